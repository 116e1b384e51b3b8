"""`caunoi ask "QUESTION" [--json]` and `caunoi ask --batch QUESTIONS.jsonl` (ARCHITECTURE.md).

Answers from the knowledge base and the registry of the working directory's database:
``answer``, ``citations`` (``document``, ``title``, ``page``, ``quote``) and ``abstained``.
A batch reads lines ``{"id", "text"}`` and prints one such object per line with the
question's ``id``, in input order; a line that is not a question gets ``"error"`` and the
others are still answered.

The command is an operator's: it reads every document and record unless ``--public`` (what
anonymous visitors see) or ``--user NAME`` (what that user sees) is given.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caunoi.core.audience import ANONYMOUS, EVERYTHING


class Command(BaseCommand):
    help = "Answer a question from the knowledge base and the registry, with citations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("question", nargs="?", help="the question")
        parser.add_argument("--json", action="store_true", help="print the answer as JSON")
        parser.add_argument("--batch", help='a JSONL file of {"id", "text"} lines')
        who = parser.add_mutually_exclusive_group()
        who.add_argument("--public", action="store_true", help="ask as an anonymous visitor")
        who.add_argument("--user", help="ask as this user (their audience rules)")

    def _who(self, options: dict[str, Any]) -> Any:
        if options.get("public"):
            return ANONYMOUS
        name = options.get("user")
        if name:
            from django.contrib.auth import get_user_model

            try:
                return get_user_model().objects.get_by_natural_key(name)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"no such user: {name}") from exc
        return EVERYTHING

    def handle(self, *args: Any, **options: Any) -> None:
        from caunoi.kb.assistant import ask

        who = self._who(options)
        if options.get("batch"):
            if options.get("question"):
                raise CommandError("give a question or --batch, not both")
            self._batch(options["batch"], who)
            return
        question = (options.get("question") or "").strip()
        if not question:
            raise CommandError('a question is needed: caunoi ask "QUESTION" [--json]')
        reply = ask(who, question)
        if options.get("json"):
            self.stdout.write(json.dumps(reply.as_json(), ensure_ascii=False))
            return
        self.stdout.write(reply.answer)
        for n, c in enumerate(reply.citations, 1):
            where = c.label or (f"tr. {c.page}" if c.page else "")
            self.stdout.write(f"[{n}] {c.title}{' — ' + where if where else ''} (#{c.document})")
        if reply.registry_url:
            self.stdout.write(reply.registry_url)
        for c in reply.closest:
            self.stdout.write(f"  ~ {c.title}: {c.quote[:200]}")

    def _batch(self, path: str, who: Any) -> None:
        from caunoi.kb.assistant import ask

        p = Path(path)
        if not p.is_file():
            raise CommandError(f"batch file not found: {path}")
        try:
            lines = p.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 text") from exc
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                row = None
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                out: dict[str, Any] = {
                    "id": row.get("id") if isinstance(row, dict) else None,
                    "error": f"line {n}: needs a JSON object with id and text",
                }
                self.stdout.write(json.dumps(out, ensure_ascii=False))
                sys.stderr.write(f"{path}:{n}: not a question line\n")
                continue
            reply = ask(who, row["text"])
            self.stdout.write(
                json.dumps({"id": row.get("id"), **reply.as_json()}, ensure_ascii=False)
            )
