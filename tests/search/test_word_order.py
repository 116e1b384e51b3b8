"""Bigrams of adjacent syllables: a document that has the query's words in the query's order
ranks above one that has the same words apart (docs/search.md, Analyzer)."""

from __future__ import annotations

from typing import Any

import pytest

from caunoi.search import lexical, ranking
from caunoi.search.analyzer import analyze, analyze_query
from caunoi.search.indexing import write_document
from caunoi.search.ranking import rank
from caunoi.search.sources import DocData


def test_bigrams_join_adjacent_words_not_across_punctuation() -> None:
    terms = analyze("Hợp đồng lữ hành phải lập, văn bản.")
    assert [t for t in terms if "+" in t] == ["dong+lu", "hanh+phai", "phai+lap"]
    assert "hanh+van" not in analyze("lữ hành, văn bản")  # a comma between them
    assert "ban+hop" not in analyze("Văn bản. Hợp đồng")  # nor across sentences


def test_query_bigrams_skip_stop_phrases() -> None:
    groups = analyze_query("Hợp đồng lữ hành là gì, đúng hay sai?")
    pairs = [b for g in groups for b in g.bigrams]
    assert pairs == ["dong+lu"]  # "hợp_đồng" and "lữ_hành" are words: their compounds
    # typed without diacritics, the words are not found; every pair is looked for
    pairs = [b for g in analyze_query("hop dong lu hanh la gi") for b in g.bigrams]
    assert pairs == ["hop+dong", "dong+lu", "lu+hanh"]
    # the formula is left out, so no pair joins the subject to it
    assert not any(b.startswith("hanh+") for b in pairs)


@pytest.fixture
def contracts(db: Any) -> dict[str, int]:
    rows = {
        # the query's words in its order
        "in_order": "Hợp đồng lữ hành được ký với khách du lịch.",
        # the same words apart, one of them twice: plain BM25 prefers it
        "apart": "Hợp đồng được ký với khách lữ hành và doanh nghiệp lữ hành.",
    }
    return {
        k: write_document("passage", n, DocData(title="", body=body, audience=("public",))).pk
        for n, (k, body) in enumerate(rows.items())
    }


def _top(query: str) -> list[int]:
    return [r.doc_id for r in rank(query, mode="lexical")[0]]


def test_words_in_the_query_order_rank_first(contracts: dict[str, int]) -> None:
    for typed in ("hợp đồng lữ hành được ký thế nào", "hop dong lu hanh duoc ky the nao"):
        assert _top(typed)[0] == contracts["in_order"], typed


def test_without_the_bigrams_the_other_one_wins(
    contracts: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the control: the fixture really needs word order to rank right
    monkeypatch.setattr(ranking, "BIGRAM_BOOST", 0.0)
    assert _top("hợp đồng lữ hành được ký thế nào")[0] == contracts["apart"]


@pytest.fixture
def match_reports(db: Any) -> dict[str, int]:
    rows = {
        # a short text repeating one name of the query
        "repeats": "Broncos Broncos Broncos Broncos.",
        # a longer one naming both, once each
        "both": "Đội Broncos của Denver thắng trận chung kết sau một mùa giải dài và khó khăn.",
        "other": "Denver là thành phố lớn nhất của bang Colorado.",
        "other2": "Sân bay Denver mở cửa năm 1995.",
        "other3": "Denver nằm ở độ cao một dặm.",
    }
    return {
        k: write_document("passage", n, DocData(title="", body=body, audience=("public",))).pk
        for n, (k, body) in enumerate(rows.items())
    }


def test_crossing_side_counts_each_name_once(match_reports: dict[str, int]) -> None:
    p = ranking.plan("Did the Denver Broncos win the final?")
    assert p.viet_share < 1.0 and len(p.crossing) >= 2
    found = [i for i, _ in ranking.crossing_rank(p, limit=10, reader=None, kinds=None)]
    assert found[0] == match_reports["both"]
    # the control: scored by BM25 the repetitive text wins, so the fixture needs the change
    bm25 = lexical.search(lexical.LexicalQuery(p.crossing, False, None, None, 10), p.searcher)
    assert bm25[0][0] == match_reports["repeats"]
