"""Snippets and titles mark only words that matched the query: with their diacritics when the
query has diacritics, folded when it has none, and stop words never on their own."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from caunoi.search.highlight import mark, query_terms, snippet
from caunoi.search.service import search


def marked(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


@pytest.fixture
def records(make_agreement: Any) -> dict[str, Any]:
    return {
        "generation": make_agreement(
            title_vi="Chương trình hợp tác thế hệ mới",
            title_en="The cooperation programme of a new generation",
        ),
        "box": make_agreement(title_vi="Hộp công cụ hợp tác khoa học"),
        "korea": make_agreement(
            title_vi="Hợp tác khoa học và công nghệ giữa Việt Nam và Hàn Quốc",
            country="KR",
        ),
    }


def hit_for(query: str, record: Any) -> Any:
    result = search(user=AnonymousUser(), query=query, mode="lexical")
    (hit,) = [h for h in result.hits if h.object_id == record.pk]
    return hit


@pytest.mark.django_db
def test_english_stop_word_does_not_mark_a_vietnamese_word(records: dict[str, Any]) -> None:
    hit = hit_for("the cooperation", records["generation"])
    assert marked(hit.title) == []  # not "thế"
    # "The" only as part of the phrase that matched
    assert "<mark>The</mark> <mark>cooperation</mark>" in hit.snippet
    assert "thế" not in marked(hit.snippet)


@pytest.mark.django_db
def test_query_with_diacritics_marks_the_same_diacritics_only(records: dict[str, Any]) -> None:
    assert marked(hit_for("hợp tác", records["box"]).title) == ["hợp", "tác"]  # not "Hộp"
    assert marked(hit_for("Hợp tác", records["generation"]).title) == ["hợp", "tác"]


@pytest.mark.django_db
def test_query_without_diacritics_marks_folded_matches(records: dict[str, Any]) -> None:
    assert marked(hit_for("hop tac", records["generation"]).title) == ["hợp", "tác"]
    assert marked(hit_for("hop tac", records["box"]).title) == ["Hộp", "hợp", "tác"]
    # a spelling correction the ranking made is marked too
    assert marked(hit_for("hop tac han quco", records["korea"]).title) == [
        "Hợp",
        "tác",
        "Hàn",
        "Quốc",
    ]


@pytest.mark.django_db
def test_vietnamese_function_word_marked_only_inside_a_matched_phrase(
    records: dict[str, Any],
) -> None:
    title = hit_for("khoa học và công nghệ", records["korea"]).title
    assert "<mark>học</mark> <mark>và</mark> <mark>công</mark>" in title
    assert "Nam và Hàn" in title  # this "và" is next to no matched word


def test_tone_placement_and_spelling_variants_still_match() -> None:
    assert marked(mark("hòa bình, hoà bình, hóa", query_terms("hoà bình"))) == [
        "hòa",
        "bình",
        "hoà",
        "bình",
    ]
    assert marked(mark("Viện Kĩ thuật, ký", query_terms("kỹ thuật"))) == ["Kĩ", "thuật"]
    assert marked(mark("Đà Nẵng, Da Nang", query_terms("Đà Nẵng"))) == ["Đà", "Nẵng"]


def test_stop_words_never_marked_alone() -> None:
    for query in ("the", "và", "va", "of the and"):
        text = "Thế giới và Việt Nam: the state of the art, và, va"
        assert marked(mark(text, query_terms(query))) == [], query
    # next to a matched word, but not across punctuation
    assert marked(snippet("cooperation, the art", query_terms("the cooperation"))) == [
        "cooperation"
    ]
    # a stop word typed without diacritics is still a word of a phrase ("tổ chức")
    assert marked(mark("Tổ chức quốc tế, tổ dân phố", query_terms("to chuc"))) == ["Tổ", "chức"]


def test_markup_is_escaped() -> None:
    assert mark("<b>Hàn</b> & Quốc", query_terms("han quoc")) == (
        "&lt;b&gt;<mark>Hàn</mark>&lt;/b&gt; &amp; <mark>Quốc</mark>"
    )
