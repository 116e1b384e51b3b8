"""Charts as data: what a dashboard or a report shows, independent of how it is drawn.

An app builds a ``Chart`` from its own records; the page includes ``core/chart.html`` with
``chart=...``, which shows the figure and its data as a table (readable without the image,
and what screen readers get), and every chart's data downloads as CSV (``to_csv``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Literal

ChartKind = Literal["bar", "hbar", "stacked_bar", "line"]

# A cell starting with one of these is read as a formula by spreadsheets (OWASP "CSV
# injection"); a leading ``'`` makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """A CSV cell that no spreadsheet runs: text whose first character after any quotes
    would start a formula gets a leading ``'`` (quotes included, so import can undo it
    exactly)."""
    if isinstance(value, str) and value.lstrip("'")[:1] in FORMULA_STARTS:
        return "'" + value
    return value


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # one per category; None: no value


@dataclass(frozen=True)
class Chart:
    key: str  # unique on its page, URL-safe: the downloads' file name
    title: str
    kind: ChartKind
    categories: tuple[str, ...]  # x axis (or y for ``hbar``)
    series: tuple[Series, ...]
    unit: str = ""  # of the values, e.g. "%" or "bài báo"
    source: str = ""  # where the numbers come from, shown under the chart

    def __post_init__(self) -> None:
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(
                    f"chart {self.key}: series {s.name!r} has {len(s.values)} values "
                    f"for {len(self.categories)} categories"
                )

    @property
    def rows(self) -> list[tuple[str, list[float | None]]]:
        """(category, the value of each series) in order: the table under the chart."""
        return [
            (category, [s.values[i] for s in self.series])
            for i, category in enumerate(self.categories)
        ]

    @property
    def empty(self) -> bool:
        return not self.categories or all(v is None for s in self.series for v in s.values)


def to_csv(chart: Chart) -> str:
    """The chart's data: one row per category, one column per series."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_safe(h) for h in ["", *(s.name for s in chart.series)]])
    for category, values in chart.rows:
        writer.writerow([csv_safe(category), *("" if v is None else _number(v) for v in values)])
    return out.getvalue()


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
