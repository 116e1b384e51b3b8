"""Dates written the Vietnamese way: "27/12/2018", "11-4-2012", "ngày 27 tháng 12 năm 2018",
"tháng 10/2019", "tháng 5 năm 2011". Day-first always (the Vietnamese convention) for numbers.

Dates in English words too, as agreements signed abroad write them: day-month-year
("12 March 2024", "21st November 2022", "this 5th day of May, 2023", "5 Sept. 2023") and
month-day-year ("April 2, 2025", "March 3rd 2024"), month names full or abbreviated.
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
MONTHS_EN = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov")
_MONTH_EN = (
    "(?:"
    + "|".join(MONTHS_EN)
    + "|"
    + "|".join(rf"{a}\.?" for a in (*_ABBREVIATIONS, "dec"))
    + r")(?![a-z])"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
# "12 March 2024", "21st November, 2022", "5th day of May 2023"
ENGLISH_DMY = (
    rf"(?P<d4>[0-3]?\d){_ORDINAL}(?:\s+day\s+of)?\s+(?P<m4>{_MONTH_EN})\s*,?\s+(?P<y4>{_YEAR})"
)
# "April 2, 2025", "March 3rd 2024"
ENGLISH_MDY = rf"(?P<m5>{_MONTH_EN})\s+(?P<d5>[0-3]?\d){_ORDINAL}\s*,?\s+(?P<y5>{_YEAR})"
DATE_RE = re.compile(
    rf"(?<![\d/.,-])(?:{WORDED_DATE}|{NUMERIC_DATE}|{MONTH_YEAR}|{ENGLISH_DMY}|{ENGLISH_MDY})"
    r"(?![\w/]|[.,-]\d)",
    re.IGNORECASE,
)


def month_number(name: str) -> int | None:
    """1-12 for an English month name, full or abbreviated ("Sept.", "dec"), else None."""
    word = name.lower().rstrip(".")
    if word in MONTHS_EN:
        return MONTHS_EN[word]
    if word == "sept":
        return 9
    for full, number in MONTHS_EN.items():
        if len(word) == 3 and full.startswith(word):
            return number
    return None


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
    for d, mo, y in (("d4", "m4", "y4"), ("d5", "m5", "y5")):
        if g.get(d) and g.get(mo) and (month := month_number(g[mo])):
            return iso_date(int(g[d]), month, int(g[y]))
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
