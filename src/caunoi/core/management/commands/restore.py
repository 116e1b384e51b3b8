"""caunoi restore FILE: put back the database and the uploaded files of a backup archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caunoi.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files by those of an archive written by "
        "`caunoi backup` (same database vendor). Everything written since that backup is lost."
    )
    requires_migrations_checks = False
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="an archive written by caunoi backup")
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask for confirmation (scripts)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"] and options.get("interactive", True):
            answer = input(
                "This replaces the database and the uploaded files by the backup's; everything "
                "written since is lost. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            restore(Path(options["file"]), using=options["database"], say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
