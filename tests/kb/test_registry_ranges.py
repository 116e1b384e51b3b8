"""A registry question over a range of years links to the list page filtered by that range:
the linked list holds exactly what the answer counted (its count is the answer's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from caunoi.core.audience import EVERYTHING
from caunoi.kb.assistant import ask

from .test_ask import _linked_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(make_agreement: Any) -> None:
    for year, expires in ((2019, 2024), (2020, 2026), (2022, 2027), (2023, 2028), (2024, 2027)):
        make_agreement(
            title_vi=f"Ký năm {year}",
            signed_on=dt.date(year, 6, 1),
            expires_on=dt.date(expires, 6, 1),
        )
    make_agreement(title_vi="Chưa ký", signed_on=None, status="negotiating")


def test_a_range_of_signing_years_links_to_the_list_of_that_range(signed: None) -> None:
    reply = ask(EVERYTHING, "Các hiệp định ký từ 2020 đến 2023")
    assert sorted(r.title for r in reply.registry_rows) == [
        "Ký năm 2020",
        "Ký năm 2022",
        "Ký năm 2023",
    ]
    assert "year_from=2020" in reply.registry_url and "year_to=2023" in reply.registry_url
    assert reply.registry_count == _linked_count(reply) == 3
    page = Client().get(reply.registry_url).content.decode()
    assert "Ký năm 2022" in page and "Ký năm 2019" not in page and "Ký năm 2024" not in page
    assert 'name="year_from"' in page and 'value="2020"' in page and 'value="2023"' in page
    # one end of the range only
    after = ask(EVERYTHING, "Có bao nhiêu hiệp định ký sau năm 2022?")
    assert after.registry_count == _linked_count(after) == 2  # 2023, 2024
    assert "year_from=2023" in after.registry_url and "year_to" not in after.registry_url
    before = ask(EVERYTHING, "Có bao nhiêu hiệp định ký trước năm 2021?")
    assert before.registry_count == _linked_count(before) == 2  # 2019, 2020
    assert "year_to=2020" in before.registry_url
    # a single year keeps its own parameter
    one = ask(EVERYTHING, "Có bao nhiêu hiệp định ký năm 2022?")
    assert "year=2022" in one.registry_url and one.registry_count == _linked_count(one) == 1


def test_a_range_of_expiry_years_links_to_the_list_of_that_range(signed: None) -> None:
    reply = ask(EVERYTHING, "Which agreements expire between 2026 and 2027?")
    assert sorted(r.title for r in reply.registry_rows) == [
        "Ký năm 2020",
        "Ký năm 2022",
        "Ký năm 2024",
    ]
    assert "expires_from=2026" in reply.registry_url and "expires_to=2027" in reply.registry_url
    assert reply.registry_count == _linked_count(reply) == 3
    page = Client().get(reply.registry_url).content.decode()
    assert "Ký năm 2024" in page and "Ký năm 2023" not in page
    assert 'id="filter-expiry"' in page  # the applied expiry range is shown, removable


def test_a_bad_range_bound_is_ignored_not_an_error(signed: None) -> None:
    response = Client().get("/registry/agreements/", {"year_from": "20x0", "year_to": "2023"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ký năm 2019" in body and "Ký năm 2024" not in body  # only the good bound applied


def test_the_api_takes_the_same_range(signed: None) -> None:
    client = Client()
    data = client.get("/api/v1/agreements", {"year_from": 2020, "year_to": 2023}).json()
    assert sorted(a["title_vi"] for a in data["items"]) == [
        "Ký năm 2020",
        "Ký năm 2022",
        "Ký năm 2023",
    ]
    assert client.get("/api/v1/agreements", {"expires_from": 2027}).json()["count"] == 3
    assert client.get("/api/v1/agreements", {"year_to": "x"}).status_code == 422


def test_a_year_counted_on_dates_the_list_cannot_filter_is_said(units: Any) -> None:
    from caunoi.registry.models import Project

    for title, actual, planned in (
        ("Bắt đầu thực tế 2024", dt.date(2024, 3, 1), dt.date(2023, 9, 1)),
        ("Dự kiến 2024", None, dt.date(2024, 5, 1)),
        ("Bắt đầu 2022", dt.date(2022, 1, 1), dt.date(2022, 1, 1)),
    ):
        Project.objects.create(
            title_vi=title,
            kind="oda",
            owner_unit=units["htqt"],
            is_public=True,
            actual_start=actual,
            planned_start=planned,
        )
    reply = ask(EVERYTHING, "Có bao nhiêu dự án bắt đầu năm 2024?")
    assert reply.registry_count == 2  # the actual or the planned start
    assert "year" not in reply.registry_url
    assert "Danh sách được liên kết không lọc theo năm" in reply.answer
    # where the link carries the year, nothing is said
    assert "không lọc theo năm" not in ask(EVERYTHING, "Các hiệp định ký năm 2024").answer
