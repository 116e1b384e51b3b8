"""Lexical search through the service: diacritics, variants, typos, legal numbers, facets."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from caunoi.search.service import search

pytestmark = pytest.mark.django_db


def titles(result: Any) -> list[str]:
    return [h.title.replace("<mark>", "").replace("</mark>", "") for h in result.hits]


@pytest.fixture
def records(make_agreement: Any, make_org: Any, taxonomy: Any) -> dict[str, Any]:
    korea = make_agreement(
        title_vi="Hiệp định hợp tác khoa học và công nghệ giữa Việt Nam và Hàn Quốc",
        title_en="Agreement on scientific and technological cooperation with Korea",
        legal_basis="Quyết định số 735/QĐ-TTg",
        country="KR",
    )
    nuclear = make_agreement(
        title_vi="Hiệp định hợp tác về sử dụng năng lượng hạt nhân vì mục đích hòa bình",
        title_en="Agreement for cooperation concerning peaceful uses of nuclear energy",
        country="US",
        status="expired",
    )
    secret = make_agreement(
        title_vi="Thỏa thuận nội bộ về thủy lợi với Nhật Bản",
        country="JP",
        is_public=False,
    )
    korea.fields.add(taxonomy["fields"]["semis"])
    lab = make_org(name_vi="Viện Kĩ thuật Quí giá", acronym="VKT", country_id="KR")
    return {"korea": korea, "nuclear": nuclear, "secret": secret, "lab": lab}


@pytest.mark.parametrize(
    "query",
    [
        "hop tac han quoc",  # no diacritics
        "Hợp tác Hàn Quốc",
        "HỢP TÁC HÀN QUỐC",
        "hop tac han quco",  # a typo
        "735/QĐ-TTg",
        "735/QD-TTg",
        "735/qd-ttg",
    ],
)
def test_query_forms_find_the_record(records: dict[str, Any], query: str) -> None:
    result = search(user=AnonymousUser(), query=query, mode="lexical")
    assert titles(result)[0] == records["korea"].title_vi, (query, titles(result))


def test_spelling_variants_and_tone_placement(records: dict[str, Any]) -> None:
    for query in ("Viện Kỹ thuật Quý giá", "vien ky thuat quy gia", "hoà bình", "hòa bình"):
        result = search(user=AnonymousUser(), query=query, mode="lexical")
        assert result.total >= 1, query
    assert titles(search(user=AnonymousUser(), query="hoà bình", mode="lexical")) == [
        records["nuclear"].title_vi
    ]


def test_snippets_escape_and_mark_original_text(records: dict[str, Any]) -> None:
    hit = search(user=AnonymousUser(), query="han quoc", mode="lexical").hits[0]
    assert "<mark>Hàn</mark> <mark>Quốc</mark>" in hit.title
    assert hit.url == f"/registry/agreements/{records['korea'].pk}/"


def test_anonymous_never_sees_internal_records(records: dict[str, Any], viewer: Any) -> None:
    anon = search(user=AnonymousUser(), query="thuy loi nhat ban", mode="lexical")
    assert anon.total == 0 and anon.hits == []
    everything = search(user=AnonymousUser(), query="", mode="lexical")
    assert records["secret"].title_vi not in titles(everything)
    countries = {v.value for f in everything.facets if f.name == "country" for v in f.values}
    assert "JP" not in countries
    staff = search(user=viewer, query="thuy loi nhat ban", mode="lexical")
    assert titles(staff) == [records["secret"].title_vi]


def test_facets_and_filters(records: dict[str, Any]) -> None:
    result = search(user=AnonymousUser(), query="hiep dinh hop tac", mode="lexical")
    facets = {f.name: {v.value: v.count for v in f.values} for f in result.facets}
    assert facets["kind"] == {"agreements": 2}
    assert facets["country"] == {"KR": 1, "US": 1}
    assert facets["status"] == {"in_force": 1, "expired": 1}
    assert facets["field"] == {"semiconductors": 1}
    only_us = search(
        user=AnonymousUser(), query="hiep dinh hop tac", mode="lexical", filters={"country": "us"}
    )
    assert titles(only_us) == [records["nuclear"].title_vi]
    # The country facet still offers the other countries (disjunctive facets).
    assert {v.value for f in only_us.facets if f.name == "country" for v in f.values} == {
        "KR",
        "US",
    }
    by_field = search(
        user=AnonymousUser(), query="hiep dinh", mode="lexical", filters={"field": "semiconductors"}
    )
    assert titles(by_field) == [records["korea"].title_vi]
    dated = search(user=AnonymousUser(), query="hiep dinh", mode="lexical", sort="date")
    dates = [h.date for h in dated.hits]
    assert dates == sorted(dates, reverse=True)
