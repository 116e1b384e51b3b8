"""caunoi import-offers FILE --user NAME: import technology offers (CSV, XLSX, JSON), all or
nothing, printing the per-row, per-field report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from caunoi.market.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = "Import technology offers from a CSV, XLSX or JSON file (all or nothing)."
    records = "offers"

    def importer(self) -> Callable[..., Any]:
        from caunoi.market.imports import import_offers

        return import_offers
