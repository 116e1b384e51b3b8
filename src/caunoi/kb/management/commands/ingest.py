"""caunoi ingest PATH... [--user NAME] [--audience public|staff|unit] [--unit CODE]: add
documents (PDF, DOCX, HTML, TXT) to the knowledge base, with progress; idempotent by content
hash; returns when they are lexically searchable (their embeddings follow as a background
job)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from caunoi.core.errors import DomainError

SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".txt", ".md", ""}


def _files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        elif path.is_file():
            out.append(path)
        else:
            raise CommandError(f"no such file or folder: {raw}")
    return out


class Command(BaseCommand):
    help = "Add documents to the knowledge base; returns when they are searchable."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("paths", nargs="+", help="files or folders")
        parser.add_argument("--user", help="username the documents are added as")
        parser.add_argument(
            "--audience", default="staff", choices=("public", "staff", "unit"), help="who reads"
        )
        parser.add_argument("--unit", help="code of the owning unit (required for --audience unit)")
        parser.add_argument("--json", action="store_true", help="one JSON line per file")

    def handle(self, *args: Any, **options: Any) -> None:
        from caunoi.accounts.models import Unit, User
        from caunoi.kb.ingest import ingest
        from caunoi.kb.services import documents_upload
        from caunoi.search import lexical

        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {options['user']!r}")
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"no unit {options['unit']!r}")
        elif user is None:
            unit = Unit.objects.filter(code="htqt").first() or Unit.objects.first()
        files = _files(options["paths"])
        failed = 0
        for i, path in enumerate(files, start=1):
            started = time.perf_counter()

            def run(document: Any, name: str = path.name, n: int = i) -> None:
                ingest(
                    document,
                    progress=lambda done, total: self.stderr.write(
                        f"[{n}/{len(files)}] {name}: step {done}/{total}"
                    ),
                )

            try:
                [result] = documents_upload(
                    user=user,
                    files=[(path.name, path.read_bytes())],
                    audience=options["audience"],
                    owner_unit=unit,
                    run=run,
                )
            except (DomainError, OSError) as exc:
                raise CommandError(str(getattr(exc, "message", exc))) from exc
            doc = result.document
            if doc is not None:
                doc.refresh_from_db()
            error = result.error or (doc.error if doc is not None else "")
            state = "refused" if doc is None else doc.state
            failed += state in ("refused", "failed")
            line = {
                "file": str(path),
                "document": doc.pk if doc else None,
                "created": result.created,
                "state": state,
                "passages": doc.passages.count() if doc else 0,
                "pages": doc.page_count if doc else None,
                "title": doc.title if doc else "",
                "seconds": round(time.perf_counter() - started, 3),
                "error": error,
            }
            if options["json"]:
                self.stdout.write(json.dumps(line, ensure_ascii=False))
            else:
                what = "added" if result.created else "already there"
                if error:
                    what = f"{state}: {error}"
                self.stdout.write(
                    f"[{i}/{len(files)}] {path.name}: {what}"
                    + (f" — {line['passages']} passages, «{line['title']}»" if doc else "")
                )
        lexical.sync()  # searchable now, not at the next query
        if failed:
            raise CommandError(f"{failed} of {len(files)} files could not be added")
