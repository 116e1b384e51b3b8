"""caunoi campaigns [--json]: the reporting campaigns with their completeness figures."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from caunoi.reporting.models import Campaign
from caunoi.reporting.selectors import campaign_completeness


def campaigns_json() -> list[dict[str, Any]]:
    """Each campaign: ``id``, ``title``, dates, and ``expected``, ``actual``, ``on_time``,
    ``actual_rate`` and ``on_time_rate`` (percent, one decimal), ``plans``, ``reports``,
    ``categories``, and the same figures ``by_unit_type`` and ``by_region``."""
    out = []
    for campaign in Campaign.objects.order_by("-deadline", "-pk"):
        out.append(
            {
                "id": campaign.pk,
                "title": campaign.title_vi,
                "period": [campaign.period_start.isoformat(), campaign.period_end.isoformat()],
                "opens_on": campaign.opens_on.isoformat(),
                "deadline": campaign.deadline.isoformat(),
                "timely_until": campaign.timely_until.isoformat(),
                **campaign_completeness(campaign).as_dict(),
            }
        )
    return out


class Command(BaseCommand):
    help = "List the reporting campaigns with expected, actual and on-time submissions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON (an array)")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = campaigns_json()
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("No reporting campaigns.")
            return
        for row in rows:
            self.stdout.write(
                f"{row['id']:>4}  {row['deadline']}  {row['actual']}/{row['expected']} "
                f"({row['actual_rate']}%), on time {row['on_time']}  {row['title']}"
            )
