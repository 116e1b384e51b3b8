"""caunoi import-requests FILE --user NAME: import technology requests (CSV, XLSX, JSON), all or
nothing, printing the per-row, per-field report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from caunoi.market.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = "Import technology requests from a CSV, XLSX or JSON file (all or nothing)."
    records = "requests"

    def importer(self) -> Callable[..., Any]:
        from caunoi.market.imports import import_requests

        return import_requests
