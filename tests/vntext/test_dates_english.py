"""Dates in English words, as agreements signed abroad write them, beside the Vietnamese ones."""

from __future__ import annotations

import pytest

from vntext.dates import find_dates, month_number


@pytest.mark.parametrize(
    ("text", "quote", "iso"),
    [
        ("Signed in Daejeon on 12 March 2024, in two originals", "12 March 2024", "2024-03-12"),
        (
            "Done at Seoul this 5th day of May 2023, in duplicate",
            "5th day of May 2023",
            "2023-05-05",
        ),
        ("Done at Rome this 1st day of June, 2021.", "1st day of June, 2021", "2021-06-01"),
        ("New Delhi, 21st November 2022", "21st November 2022", "2022-11-21"),
        ("Signed on April 2, 2025 in Can Tho", "April 2, 2025", "2025-04-02"),
        ("effective March 3rd 2024 onwards", "March 3rd 2024", "2024-03-03"),
        ("valid until 31 Dec. 2026.", "31 Dec. 2026", "2026-12-31"),
        ("on 5 Sept. 2023 and", "5 Sept. 2023", "2023-09-05"),
        ("signed Mar 15, 2021", "Mar 15, 2021", "2021-03-15"),
        ("on 22nd OCTOBER 2020", "22nd OCTOBER 2020", "2020-10-22"),
    ],
)
def test_english_dates(text: str, quote: str, iso: str) -> None:
    (d,) = find_dates(text)
    assert (d.text, d.date) == (quote, iso)
    assert text[d.start : d.end] == quote


def test_not_english_dates() -> None:
    # No day (a month and year in English is not read), no such day, a word that only
    # starts like a month, a month without a year.
    assert find_dates("In May 2023 the parties met; 31 February 2024; 12 Marchx 2024.") == []
    assert find_dates("the 5th of May; 3 June") == []


def test_mixed_languages_in_one_text() -> None:
    text = "Hà Nội, ngày 12 tháng 6 năm 2025 (12 June 2025); hết hạn 11/06/2030."
    assert [d.date for d in find_dates(text)] == ["2025-06-12", "2025-06-12", "2030-06-11"]


def test_month_number() -> None:
    assert month_number("September") == 9 and month_number("sept.") == 9
    assert month_number("Jan") == 1 and month_number("DEC.") == 12
    assert month_number("Mayo") is None and month_number("ju") is None
