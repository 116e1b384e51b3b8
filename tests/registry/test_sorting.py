"""Sorting lists and country sections: records without a date come last, either direction."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _order(html: str, titles: list[str]) -> list[str]:
    return sorted(titles, key=html.index)


@pytest.fixture
def three(make_agreement: Any) -> list[str]:
    make_agreement(title_vi="Hiệp định Aaa", signed_on=dt.date(2020, 1, 1))
    make_agreement(title_vi="Hiệp định Bbb", status="negotiating", signed_on=None)
    make_agreement(title_vi="Hiệp định Ccc", signed_on=dt.date(2022, 1, 1))
    return ["Hiệp định Aaa", "Hiệp định Bbb", "Hiệp định Ccc"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("signed_on", ["Hiệp định Aaa", "Hiệp định Ccc", "Hiệp định Bbb"]),
        ("-signed_on", ["Hiệp định Ccc", "Hiệp định Aaa", "Hiệp định Bbb"]),
    ],
)
def test_undated_records_sort_last(sort: str, expected: list[str], three: list[str]) -> None:
    html = Client().get("/registry/agreements/", {"sort": sort}).content.decode()
    assert _order(html, three) == expected
    api = Client().get("/api/v1/agreements", {"sort": sort}).json()
    items = api["items"] if isinstance(api, dict) else api
    assert [i["title_vi"] for i in items] == expected


def test_country_page_lists_undated_records_after_the_dated(three: list[str]) -> None:
    html = Client().get("/countries/KR/").content.decode()
    assert _order(html, three) == ["Hiệp định Ccc", "Hiệp định Aaa", "Hiệp định Bbb"]
