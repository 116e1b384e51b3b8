"""caunoi backup FILE: the database and the uploaded files in one archive (see core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caunoi.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database (SQLite or PostgreSQL) and of the uploaded "
        "files (MEDIA_ROOT) into one .tar.gz archive, while the site keeps running."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="the archive to write, e.g. backup/caunoi-2026-01-31.tar.gz"
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backup(Path(options["file"]), using=options["database"], say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
