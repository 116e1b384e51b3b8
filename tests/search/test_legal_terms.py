"""Legal texts: cited parts ("Điều 5"), document numbers, stop phrases, article headings."""

from __future__ import annotations

from typing import Any

import pytest

from caunoi.search.analyzer import (
    analyze,
    analyze_query,
    document_terms,
    legal_part_terms,
)
from caunoi.search.indexing import write_document
from caunoi.search.ranking import rank
from caunoi.search.sources import DocData


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("theo Điều 5 của Luật này", ["dieu_5"]),
        ("điểm a khoản 2 Điều 10", ["diem_a", "khoan_2", "dieu_10"]),
        ("CHƯƠNG III. ĐIỀU KHOẢN THI HÀNH", ["chuong_iii"]),
        ("Mục 2 và Phần I", ["muc_2", "phan_i"]),
        ("dieu 7 khong dau", ["dieu_7"]),  # typed without diacritics
    ],
)
def test_cited_parts_become_terms(text: str, terms: list[str]) -> None:
    assert legal_part_terms(text) == terms
    assert set(terms) <= set(analyze(text))


@pytest.mark.parametrize(
    "text",
    ["điều kiện cấp phép", "mục đích của chương trình", "phần mềm", "chương trình 5 năm", "mức 5"],
)
def test_ordinary_words_are_not_cited_parts(text: str) -> None:
    assert legal_part_terms(text) == []


def _syllables(text: str) -> list[str]:
    return [g.syllable for g in analyze_query(text)]


def test_stop_phrases_leave_the_subject() -> None:
    assert _syllables("Hợp đồng lữ hành phải lập thành văn bản, đúng hay sai?") == _syllables(
        "Hợp đồng lữ hành phải lập thành văn bản"
    )
    # without diacritics too, and several phrases in one question
    assert _syllables("thoi han tam tru duoc quy dinh nhu the nao") == _syllables(
        "thoi han tam tru"
    )
    assert _syllables("Theo quy định, người nước ngoài có được góp vốn không?") != []
    assert "theo" not in _syllables("Theo quy định hiện hành, thuế suất là gì?")


def test_a_query_made_only_of_a_stop_phrase_keeps_it() -> None:
    assert _syllables("đúng hay sai") == ["dung", "hay", "sai"]


def test_stop_phrase_words_inside_a_longer_word_are_kept() -> None:
    # "quy định" alone is a subject ("which regulation…"), only "theo quy định" is a formula
    assert "quy" in _syllables("Quy định nào nói về việc cấp bằng?")


def test_query_cites_a_part_as_its_own_group() -> None:
    groups = analyze_query("Điều 5 Luật Đầu tư công")
    assert [g.terms for g in groups if g.syllable == "dieu_5"] == [["dieu_5"]]


def test_title_counts_before_the_body() -> None:
    terms = document_terms("Điều 39. Hợp đồng lữ hành", "Hợp đồng phải lập thành văn bản.")
    assert terms.count("lu_hanh") == 2  # the title's words, twice
    assert terms.count("dieu_39") == 2  # and its cited part
    assert terms.count("van") == 1  # the body's, once


@pytest.fixture
def articles(db: Any) -> dict[str, int]:
    rows = {
        "art5": (
            "Luật Đầu tư công, Điều 5. Đối tượng áp dụng",
            "Luật này áp dụng đối với cơ quan, tổ chức, cá nhân tham gia hoạt động đầu tư công.",
        ),
        "art15": (
            "Luật Đầu tư công, Điều 15. Hành vi bị cấm",
            "Nghiêm cấm các hành vi sau đây trong hoạt động đầu tư công: lợi dụng chức vụ.",
        ),
        "art50": (
            "Luật Đầu tư công, Điều 50. Điều khoản thi hành",
            "Luật số 39/2019/QH14 có hiệu lực thi hành từ ngày 01 tháng 01 năm 2020; "
            "5 điều của luật cũ hết hiệu lực.",
        ),
        "tour": (
            "Luật Du lịch, Điều 39. Hợp đồng lữ hành",
            "Hợp đồng phải được lập thành văn bản và có các nội dung chủ yếu sau đây.",
        ),
        "tour2": (
            "Luật Du lịch, Điều 41. Hợp đồng đại lý lữ hành",
            "Hợp đồng đại lý lữ hành phải được lập thành văn bản giữa bên giao và bên nhận.",
        ),
    }
    return {
        k: write_document("passage", n, DocData(title=title, body=body, audience=("public",))).pk
        for n, (k, (title, body)) in enumerate(rows.items())
    }


def _top(query: str) -> list[int]:
    return [r.doc_id for r in rank(query, mode="lexical")[0]]


def test_a_cited_article_is_found_first(articles: dict[str, int]) -> None:
    assert _top("Điều 5 Luật Đầu tư công quy định gì")[0] == articles["art5"]
    assert _top("dieu 15 luat dau tu cong")[0] == articles["art15"]


def test_a_cited_law_number_finds_it(articles: dict[str, int]) -> None:
    for typed in ("Luật số 39/2019/QH14", "luat so 39/2019/qh14", "39 / 2019 / QH14"):
        assert _top(typed)[0] == articles["art50"], typed


def test_heading_words_outrank_the_same_words_in_a_body(articles: dict[str, int]) -> None:
    found = _top("hợp đồng lữ hành có phải lập thành văn bản không, đúng hay sai?")
    assert found[0] == articles["tour"]
