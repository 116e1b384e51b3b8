"""What `caunoi import-offers`, `import-requests` and `import-experts` share: read the file,
import it as the named user, all or nothing, and print the per-row, per-field report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from caunoi.core.errors import DomainError


class ImportCommand(BaseCommand):
    records = ""  # the import kind ("offers", "requests", "experts"), also in the messages

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--user", required=True, help=f"officer's username the {self.records} are imported as"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row and report; write nothing"
        )
        parser.add_argument(
            "--skip-duplicates",
            action="store_true",
            help="leave out (and list) rows that duplicate an existing record (offers and "
            "requests: of the same owner; experts: the same ORCID, or name and organisation), "
            "instead of refusing the file",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from caunoi.accounts.models import User
        from caunoi.market.imports import import_records, read_offers

        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']!r}")
        path = Path(options["file"])
        try:
            rows = read_offers(path.name, path.read_bytes())  # reads any market import file
            report = import_records(
                self.records,
                user=user,
                rows=rows,
                progress=lambda done, total: self.stderr.write(f"{done}/{total}"),
                dry_run=options["dry_run"],
                skip_duplicates=options["skip_duplicates"],
            )
        except (DomainError, OSError) as exc:
            raise CommandError(str(getattr(exc, "message", exc))) from exc
        for e in getattr(report, "warnings", []):
            self.stdout.write(f"row {e.row} warning: {e.message}" if e.row else e.message)
        if not report.ok:
            for e in report.errors:
                # row 0: the file's own error (no data rows), without a row number
                self.stdout.write(f"row {e.row}, {e.field}: {e.message}" if e.row else e.message)
            raise CommandError(f"{len(report.errors)} errors; nothing was imported")
        for e in getattr(report, "skipped", []):
            self.stdout.write(f"row {e.row} skipped: {e.message}")
        if options["dry_run"]:
            self.stdout.write(
                f"dry run: {report.created} {self.records} would be imported "
                f"from {report.rows} rows"
            )
            return
        self.stdout.write(f"{report.created} {self.records} imported from {report.rows} rows")
