"""caunoi agreements-digest: the daily list of agreements nearing expiry (and status upkeep)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from caunoi.registry.services import agreements_expiring, agreements_refresh_statuses


class Command(BaseCommand):
    help = "List agreements expiring within the window; with --update, move their statuses."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=settings.CAUNOI_EXPIRY_WINDOW_DAYS,
            help="the window in days (default: CAUNOI_EXPIRY_WINDOW_DAYS)",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="mark agreements in the window as expiring, past ones as expired, and renew "
            "past ones that renew automatically",
        )
        parser.add_argument("--json", action="store_true", help="print JSON lines")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days < 0:
            from django.core.management.base import CommandError

            raise CommandError("--days must be zero or more")
        if options["update"]:
            changed = agreements_refresh_statuses(window_days=days)
            self.stderr.write(f"statuses updated: {changed}")
        rows = list(agreements_expiring(window_days=days))
        if options["json"]:
            for a in rows:
                self.stdout.write(
                    json.dumps(
                        {
                            "id": a.pk,
                            "title": a.title_vi,
                            "expires_on": a.expires_on.isoformat(),
                            "days_left": a.days_to_expiry(),
                            "auto_renew": a.auto_renew,
                            "owner_unit": a.owner_unit.code,
                            "status": a.status,
                        },
                        ensure_ascii=False,
                    )
                )
            return
        if not rows:
            self.stdout.write(f"No agreement expires within {days} days.")
            return
        self.stdout.write(f"{len(rows)} agreement(s) expire within {days} days:")
        for a in rows:
            renew = " (renews automatically)" if a.auto_renew else ""
            self.stdout.write(
                f"  {a.expires_on:%d/%m/%Y}  {a.days_to_expiry():>4} d  #{a.pk} {a.title_vi}"
                f" [{a.owner_unit.code}]{renew}"
            )
