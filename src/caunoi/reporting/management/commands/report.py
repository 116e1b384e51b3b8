"""caunoi report CAMPAIGN_ID --format docx|pdf|xlsx --out FILE: a campaign's consolidated report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caunoi.reporting.models import Campaign

FORMATS = ("docx", "pdf", "xlsx")


class Command(BaseCommand):
    help = "Write the consolidated report of a reporting campaign (DOCX, PDF or XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign_id", type=int)
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--out", required=True, help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        from caunoi.core.audience import EVERYTHING
        from caunoi.reporting.outputs import write

        campaign = Campaign.objects.filter(pk=options["campaign_id"]).first()
        if campaign is None:
            raise CommandError(f"No reporting campaign with id {options['campaign_id']}.")
        # The command line runs as an operator of the server: its agreements charts count
        # every agreement, as ``caunoi ask`` reads everything.
        content = write(campaign, options["format"], reader=EVERYTHING)
        out = Path(options["out"])
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc}") from exc
        self.stdout.write(f"Wrote {out} ({len(content):,} bytes).")
