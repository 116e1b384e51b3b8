"""A query's cost is bounded: at most 300 characters and 32 words are used, at most 32
syllable groups reach the index; the caller is told the query was cut."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caunoi.search.analyzer import MAX_QUERY_GROUPS, analyze_query
from caunoi.search.ranking import MAX_QUERY_CHARS, MAX_QUERY_WORDS, clip_query, plan

# 200 distinct made-up words ("tu0", "tu1"…): each its own group
LONG = " ".join(f"tu{i}" for i in range(200))


def test_clip_query_cuts_at_words_and_characters() -> None:
    assert clip_query("  hợp   tác  ") == ("hợp tác", False)
    text, cut = clip_query(LONG)
    assert cut and text.split() == LONG.split()[:MAX_QUERY_WORDS]
    text, cut = clip_query(" ".join(["nghiêng" * 6] * 20))  # 20 words of 42 characters
    assert cut and len(text) <= MAX_QUERY_CHARS and text.endswith("nghiêng")
    assert len(clip_query("x" * 1000)[0]) == MAX_QUERY_CHARS


@pytest.mark.django_db
def test_query_groups_are_capped() -> None:
    assert len(analyze_query(LONG)) == MAX_QUERY_GROUPS
    assert len(plan(LONG).groups) <= MAX_QUERY_GROUPS


@pytest.mark.django_db
def test_long_query_is_cut_and_reported_on_api_and_page(make_agreement: Any) -> None:
    make_agreement(title_vi="Hiệp định hợp tác năng lượng với Hàn Quốc")
    q = "hợp tác năng lượng " + "rất dài " * 300
    data = Client().get("/api/v1/search", {"q": q, "mode": "lexical"}).json()
    assert data["truncated"] is True
    assert data["query"].startswith("hợp tác năng lượng rất")
    assert len(data["query"]) <= MAX_QUERY_CHARS and len(data["query"].split()) <= 32
    short = Client().get("/api/v1/search", {"q": "hợp tác", "mode": "lexical"}).json()
    assert short["truncated"] is False and short["count"] == 1
    body = Client().get("/search/", {"q": q, "mode": "lexical"}).content.decode()
    assert 'id="query-truncated"' in body and "chỉ phần đầu" in body
    assert 'id="query-truncated"' not in Client().get("/search/", {"q": "hợp tác"}).content.decode()
