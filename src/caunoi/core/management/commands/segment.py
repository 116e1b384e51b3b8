"""caunoi segment FILE|- : print the text segmented into words, one sentence a line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Print the text with the words of each sentence joined by underscores."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a UTF-8 text file, or - for standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        from vntext.cli import segment_main

        code = segment_main(options["path"])
        if code:
            raise SystemExit(code)
