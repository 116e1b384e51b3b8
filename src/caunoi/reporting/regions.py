"""Regions of reporting units: the central level for ministries and agencies, the
socio-economic region of the statistics office for provinces (``data/provinces_2020.tsv``,
which also names today's province that answers for each province of 2020)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from caunoi.reporting.models import Region

DATA = Path(__file__).parent / "data" / "provinces_2020.tsv"


@dataclass(frozen=True)
class Province2020:
    code: str
    name_vi: str
    region: str
    successor: str


@cache
def provinces_2020() -> tuple[Province2020, ...]:
    with DATA.open(encoding="utf-8") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        return tuple(Province2020(**row) for row in rows)


@cache
def _province_regions() -> dict[str, str]:
    # Today's provinces kept the code of the 2020 province they are named after.
    return {p.code: p.region for p in provinces_2020()}


def region_of(unit: Any) -> str:
    """The region of a unit; blank for a province the table does not know."""
    if unit.kind != "province":
        return str(Region.CENTRAL)
    return _province_regions().get(unit.code, "")
