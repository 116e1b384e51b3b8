"""caunoi import-offers FILE --user NAME: import technology offers (CSV, XLSX, JSON), all or
nothing, printing the per-row, per-field report."""

from __future__ import annotations

from caunoi.market.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = "Import technology offers from a CSV, XLSX or JSON file (all or nothing)."
    records = "offers"
