"""`caunoi reindex`: rebuild the search index from the records, then compute embeddings."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from caunoi.core.progress import ProgressLine
from caunoi.search.dense import embed_pending
from caunoi.search.indexing import reindex
from caunoi.search.sources import all_sources


class Command(BaseCommand):
    help = "Rebuild the search index of every record (or of --kind), then embed what is missing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", action="append", help="only this type (repeatable)")
        parser.add_argument(
            "--no-embed", action="store_true", help="skip embeddings (run `caunoi embed` later)"
        )
        parser.add_argument(
            "--lexical-only",
            action="store_true",
            help="only rebuild this machine's lexical index from the stored search documents "
            "(a new app server, a deleted or damaged index directory)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = options["kind"]
        unknown = [k for k in kinds or [] if k not in all_sources()]
        if unknown:
            raise CommandError(
                f"unknown type {unknown[0]!r}; types: {', '.join(sorted(all_sources()))}"
            )
        started = time.monotonic()
        if options["lexical_only"]:
            from caunoi.search import lexical

            lexical.rebuild()
            n = lexical.corpus_size()
            self.stdout.write(f"lexical index: {n} documents in {time.monotonic() - started:.1f}s")
            return

        lines: dict[str, ProgressLine] = {}

        def progress(kind: str, done: int, total: int) -> None:
            lines.setdefault(kind, ProgressLine(f"index {kind}"))(done, total)

        n = reindex(kinds=kinds, progress=progress)
        self.stdout.write(f"indexed {n} records in {time.monotonic() - started:.1f}s")
        if not options["no_embed"]:
            started = time.monotonic()
            m = embed_pending(progress=ProgressLine("embed"))
            self.stdout.write(f"embedded {m} documents in {time.monotonic() - started:.1f}s")
