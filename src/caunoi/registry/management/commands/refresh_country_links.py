"""caunoi refresh-country-links: re-derive the countries of every agreement and project.

The services keep them current; run this after loading records some other way (bulk SQL).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Re-derive Agreement.countries and Project.countries from parties and participants."

    def handle(self, *args: Any, **options: Any) -> None:
        from caunoi.registry.models import Agreement, Project
        from caunoi.registry.services import country_links_refresh

        with transaction.atomic():
            country_links_refresh()
        self.stdout.write(
            f"{Agreement.countries.through.objects.count()} agreement links, "
            f"{Project.countries.through.objects.count()} project links."
        )
