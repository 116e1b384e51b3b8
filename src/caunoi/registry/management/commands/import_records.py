"""caunoi import-records ENTITY FILE --user USERNAME: all-or-nothing CSV/XLSX import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caunoi.core.errors import DomainError
from caunoi.registry.entities import ENTITIES


class Command(BaseCommand):
    help = "Import partners, agreements or projects from CSV/XLSX; nothing is written on error."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("entity", choices=[k for k, e in ENTITIES.items() if e.importable])
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="the account the import acts as")

    def handle(self, *args: Any, **options: Any) -> None:
        from caunoi.accounts.models import User
        from caunoi.registry.imports import import_file

        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user named {options['user']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            report = import_file(
                user=user,
                entity=ENTITIES[options["entity"]],
                name=path.name,
                content=path.read_bytes(),
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if not report.ok:
            for e in report.errors:
                self.stderr.write(f"row {e.row}, {e.field or '-'}: {e.message}")
            raise CommandError(f"{len(report.errors)} error(s); nothing was imported.")
        self.stdout.write(
            f"{report.created} record(s) created, {report.updated} updated,"
            f" {report.unchanged} unchanged."
        )
