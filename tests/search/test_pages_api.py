"""The search page (with and without htmx), the header box, and GET /api/v1/search."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from support import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(make_agreement: Any, make_org: Any) -> dict[str, Any]:
    return {
        "korea": make_agreement(title_vi="Hiệp định hợp tác với Hàn Quốc <b>về</b> bán dẫn"),
        "nuclear": make_agreement(title_vi="Hiệp định về năng lượng hạt nhân", country="US"),
        "secret": make_agreement(title_vi="Hiệp định nội bộ về hạt nhân", is_public=False),
        "kist": make_org(name_vi="Viện Khoa học và Công nghệ Hàn Quốc", acronym="KIST"),
    }


def test_page_groups_results_by_type_and_escapes(records: dict[str, Any]) -> None:
    body = Client().get("/search/", {"q": "han quoc", "mode": "lexical"}).content.decode()
    assert 'data-kind="agreements"' in body and 'data-kind="partners"' in body
    assert "<mark>Hàn</mark> <mark>Quốc</mark>" in body
    assert "&lt;b&gt;về&lt;/b&gt;" in body and "<b>về</b>" not in body
    assert 'id="facet-kind"' in body


def test_page_fragment_for_htmx_and_header_box(records: dict[str, Any]) -> None:
    response = Client().get(
        "/search/",
        {"q": "hat nhan", "mode": "lexical"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"') and "<html" not in body
    assert "năng lượng" in body and "nội bộ" not in body
    home = Client().get("/").content.decode()
    assert 'id="header-q"' in home and 'action="/search/"' in home


def test_page_for_staff_shows_internal_records(records: dict[str, Any], viewer: Any) -> None:
    body = login(viewer).get("/search/", {"q": "hat nhan", "mode": "lexical"}).content.decode()
    assert "nội bộ" in body


def test_page_filters_sort_and_bad_input(records: dict[str, Any]) -> None:
    client = Client()
    body = client.get(
        "/search/", {"q": "hiep dinh", "mode": "lexical", "country": "US"}
    ).content.decode()
    assert "năng lượng" in body and "bán dẫn" not in body
    assert client.get("/search/", {"q": "x", "kind": "nope"}).status_code == 400
    assert (
        client.get("/search/", {"q": "hiep dinh", "sort": "date", "page": "zz"}).status_code == 200
    )


def test_api_search_with_facets_and_permissions(records: dict[str, Any], viewer: Any) -> None:
    data = Client().get("/api/v1/search", {"q": "hat nhan", "mode": "lexical"}).json()
    assert data["count"] == 1
    assert data["items"][0]["object_id"] == records["nuclear"].pk
    assert data["items"][0]["url"] == f"/registry/agreements/{records['nuclear'].pk}/"
    facets = {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in data["facets"]}
    assert facets["kind"] == {"agreements": 1} and facets["country"] == {"US": 1}
    staff = login(viewer).get("/api/v1/search", {"q": "hat nhan", "mode": "lexical"}).json()
    assert staff["count"] == 2
    filtered = (
        Client()
        .get("/api/v1/search", {"q": "han quoc", "mode": "lexical", "kind": "partners"})
        .json()
    )
    assert [i["kind"] for i in filtered["items"]] == ["partners"]
    bad = Client().get("/api/v1/search", {"q": "x", "mode": "nope"})
    assert bad.status_code == 400 and "mode" in bad.json()["errors"]
