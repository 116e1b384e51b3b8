"""The dashboard's charts of agreements by partner country and by field of S&T: registered by
the registry as a dashboard panel, counted under the audience rule, downloadable."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from support import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreements(make_agreement: Any, taxonomy: dict[str, Any]) -> list[Any]:
    fields = taxonomy["fields"]
    made = [
        make_agreement(country="KR"),
        make_agreement(country="KR"),
        make_agreement(country="JP"),
        make_agreement(country="US", is_public=False),  # internal: staff only
    ]
    made[0].fields.set([fields["physics"], fields["semis"]])
    made[1].fields.set([fields["semis"]])
    made[3].fields.set([fields["semis"]])
    return made


def _csv(client: Client, key: str) -> list[list[str]]:
    response = client.get("/registry/agreements/charts/", {"chart": key, "format": "csv"})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_home_dashboard_shows_the_charts_for_everyone(agreements: Any) -> None:
    home = Client().get("/").content.decode()
    assert 'id="agreement-charts"' in home
    assert 'id="chart-agreements-by-country"' in home and 'id="chart-agreements-by-field"' in home
    assert 'href="/registry/agreements/charts/?chart=agreements-by-country&amp;format=png"' in home


def test_counts_follow_the_audience_rule(agreements: Any, owner: Any) -> None:
    public = _csv(Client(), "agreements-by-country")
    assert public[1:] == [["Hàn Quốc", "2"], ["Nhật Bản", "1"]]  # the internal one is not
    staff = _csv(login(owner), "agreements-by-country")
    assert ["Hoa Kỳ", "1"] in staff[1:]
    fields = _csv(login(owner), "agreements-by-field")
    assert fields[1] == ["Công nghệ bán dẫn", "3"] and ["Khoa học vật lý", "1"] in fields


def test_the_charts_page_and_its_downloads(agreements: Any) -> None:
    client = Client()
    page = client.get("/registry/agreements/charts/")
    assert page.status_code == 200 and page.content.decode().count("<svg") == 2
    svg = client.get(
        "/registry/agreements/charts/", {"chart": "agreements-by-field", "format": "svg"}
    )
    assert svg["Content-Type"] == "image/svg+xml" and "Công nghệ bán dẫn" in svg.content.decode()
    assert client.get("/registry/agreements/charts/", {"chart": "x"}).status_code == 404


def test_no_agreement_no_panel(db: Any) -> None:
    assert 'id="agreement-charts"' not in Client().get("/").content.decode()
