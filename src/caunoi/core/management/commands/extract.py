"""caunoi extract FILE|- : print the legal references, countries, organisations, amounts, dates."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Print JSON of the entities found in a text file (or - for standard input)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a UTF-8 text file, or - for standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        from vntext.cli import extract_main

        code = extract_main(options["path"])
        if code:
            raise SystemExit(code)
