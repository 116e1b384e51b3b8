"""caunoi load-reference: load or refresh fields of S&T, countries and known organisations."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the bilingual taxonomy, all countries and the gazetteer's organisations."

    def handle(self, *args: Any, **options: Any) -> None:
        from caunoi.registry.reference import reference_sync

        counts = reference_sync()
        self.stdout.write(
            f"{counts['fields']} fields, {counts['countries']} countries, "
            f"{counts['organizations']} new organisations."
        )
