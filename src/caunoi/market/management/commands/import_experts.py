"""caunoi import-experts FILE --user NAME: import experts (foreign experts, overseas Vietnamese
scientists; CSV, XLSX, JSON), all or nothing, printing the per-row, per-field report."""

from __future__ import annotations

from caunoi.market.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = "Import experts from a CSV, XLSX or JSON file (all or nothing)."
    records = "experts"
