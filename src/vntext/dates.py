"""Dates written the Vietnamese way: "27/12/2018", "11-4-2012", "ngày 27 tháng 12 năm 2018",
"tháng 10/2019", "tháng 5 năm 2011". Day-first always (the Vietnamese convention).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from vntext.normalize import normalize_with_offsets

_SEP = r"[\s_]+"
_YEAR = r"(?:1[89]|20)\d\d"
# Day-first numeric date; "." is accepted as a separator only when both separators are dots.
NUMERIC_DATE = rf"(?P<d>[0-3]?\d)\s?(?P<s>[/.-])\s?(?P<m>[01]?\d)\s?(?P=s)\s?(?P<y>{_YEAR})"
WORDED_DATE = (
    rf"(?:ngày{_SEP})?(?P<d2>[0-3]?\d){_SEP}tháng{_SEP}(?P<m2>[01]?\d)"
    rf"(?:{_SEP}|\s?,\s?)năm{_SEP}(?P<y2>{_YEAR})"
)
MONTH_YEAR = rf"tháng{_SEP}(?P<m3>[01]?\d)(?:\s?[/-]\s?|{_SEP}năm{_SEP})(?P<y3>{_YEAR})"
DATE_RE = re.compile(
    rf"(?<![\d/.,-])(?:{WORDED_DATE}|{NUMERIC_DATE}|{MONTH_YEAR})(?![\w/]|[.,-]\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """A date in the text; ``date`` is ISO 8601 ("2018-12-27", or "2019-10" for a month)."""

    text: str
    start: int
    end: int
    date: str

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "start": self.start, "end": self.end, "date": self.date}


def iso_date(day: int | None, month: int, year: int) -> str | None:
    """ISO form of a calendar date, or None when it does not exist (31/02, month 13)."""
    try:
        if day is None:
            dt.date(year, month, 1)
            return f"{year:04d}-{month:02d}"
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date_match(m: re.Match[str]) -> str | None:
    """The ISO date of a match of :data:`DATE_RE` (or a pattern embedding its groups)."""
    g = m.groupdict()
    if g.get("d2"):
        return iso_date(int(g["d2"]), int(g["m2"]), int(g["y2"]))
    if g.get("d"):
        return iso_date(int(g["d"]), int(g["m"]), int(g["y"]))
    if g.get("m3"):
        return iso_date(None, int(g["m3"]), int(g["y3"]))
    return None


def find_dates_in_view(view: str) -> list[tuple[int, int, str]]:
    """(start, end, iso) of every date in an already normalised text."""
    out = []
    for m in DATE_RE.finditer(view):
        iso = parse_date_match(m)
        if iso:
            out.append((m.start(), m.end(), iso))
    return out


def find_dates(text: str) -> list[DateMention]:
    """Every full date or month-and-year in ``text``, with offsets into the original text."""
    norm = normalize_with_offsets(text)
    out = []
    for s, e, iso in find_dates_in_view(norm.text):
        a, b = norm.original_span(s, e)
        out.append(DateMention(text[a:b], a, b, iso))
    return out
