"""Query planning and fusion: how much each side is trusted per query."""

from __future__ import annotations

from typing import Any

import pytest

from caunoi.search.analyzer import is_vietnamese_syllable
from caunoi.search.indexing import write_document
from caunoi.search.ranking import fuse, plan
from caunoi.search.sources import DocData


@pytest.mark.parametrize("word", ["hop", "tac", "nghieng", "quoc", "the", "nguyen", "Đan"])
def test_vietnamese_syllables(word: str) -> None:
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["west", "join", "as", "Denmark", "Panthers", "what", "strength"])
def test_foreign_words(word: str) -> None:
    assert not is_vietnamese_syllable(word)


@pytest.fixture
def passages(db: Any) -> dict[str, int]:
    texts = {
        "denmark": "Đan Mạch gia nhập Cộng đồng Kinh tế châu Âu năm 1973.",
        "panthers": "Đội Panthers thua trận chung kết với tỉ số 10–24.",
        "rice": "Giống lúa chịu mặn cho đồng bằng sông Cửu Long.",
    }
    return {
        k: write_document("passage", n, DocData(title="", body=t, audience=("public",))).pk
        for n, (k, t) in enumerate(texts.items())
    }


def test_vietnamese_query_is_trusted_fully(passages: dict[str, int]) -> None:
    p = plan("giống lúa chịu mặn")
    assert p.viet_share == 1.0 and p.trust == pytest.approx(1.0)
    assert p.crossing == []  # no cross-lingual side for a Vietnamese query
    p = plan("giong lua chiu man")  # without diacritics: still Vietnamese
    assert p.viet_share == 1.0 and p.trust == pytest.approx(1.0)


def test_english_query_gets_a_cross_lingual_side(passages: dict[str, int]) -> None:
    p = plan("When did Denmark join the European Economic Community in 1973?")
    assert p.viet_share < 0.5 and p.trust < 0.3
    terms = {t for g in p.crossing for t in g}
    assert {"dan", "mach"} <= terms  # the gazetteer's Vietnamese name of Denmark
    assert "=1973" in terms  # a number, as written
    assert not any(t in terms for t in ("the", "=the", "=when"))  # ordinary words stay out


def test_crossing_side_lifts_a_candidate_only_for_foreign_queries() -> None:
    den = [(1, 0.90), (2, 0.89), (3, 0.80)]
    crossing = [(2, 5.0)]
    english = fuse([], den, trust=0.1, crossing=crossing, foreign=0.9)
    assert [r.doc_id for r in english][:2] == [2, 1]
    vietnamese = fuse([], den, trust=1.0, crossing=crossing, foreign=0.0)
    assert [r.doc_id for r in vietnamese][:2] == [1, 2]
    # a name found only by the crossing side does not enter the results on its own
    assert 4 not in {r.doc_id for r in fuse([], den, 0.1, [(4, 9.0)], 0.9)}


def test_foreign_words_break_near_ties_but_do_not_overturn_dense() -> None:
    # a clear dense winner (cosine .95, the rest at or below .85): an English query's
    # accidental lexical matches and names shared by its neighbours cannot pass it
    den = [(1, 0.95), (2, 0.85), (3, 0.84), (4, 0.70)]
    lex = [(2, 9.0), (3, 8.0)]
    crossing = [(2, 7.0), (3, 7.0)]
    ranked = fuse(lex, den, trust=0.2, crossing=crossing, foreign=0.9)
    assert ranked[0].doc_id == 1
    # within a near tie the same words decide
    tie = [(1, 0.95), (2, 0.945), (4, 0.70)]
    ranked = fuse([(2, 9.0)], tie, trust=0.2, crossing=[(2, 7.0)], foreign=0.9)
    assert ranked[0].doc_id == 2


def test_trusted_words_still_overturn_dense() -> None:
    # a Vietnamese query fully covered by the index keeps the whole lexical weight
    den = [(1, 0.95), (2, 0.85), (4, 0.70)]
    lex = [(2, 12.0), (1, 2.0)]
    assert fuse(lex, den, trust=1.0)[0].doc_id == 2
    # the same lists with words the index cannot speak for: dense decides
    assert fuse(lex, den, trust=0.2)[0].doc_id == 1


@pytest.fixture
def english_passages(db: Any) -> None:
    for n, text in enumerate(
        [
            "The Panthers lost the final by ten points to twenty-four.",
            "Denmark joined the European Economic Community in 1973.",
            "Salt-tolerant rice for the Mekong delta.",
        ]
    ):
        write_document("passage", n, DocData(title="", body=text, audience=("public",)))


def test_accented_query_against_an_index_without_its_words_is_not_trusted(
    english_passages: None,
) -> None:
    # folded, "do", "the", "an" exist in English text; written with their diacritics they don't
    p = plan("Đội Panthers đã thua bao nhiêu điểm trong trận chung kết?")
    assert p.viet_share > 0.8
    assert p.exact_coverage < 0.3
    assert p.trust < 0.3


def test_accented_query_against_its_own_language_is_trusted(passages: dict[str, int]) -> None:
    p = plan("Giống lúa chịu mặn cho đồng bằng")
    assert p.exact_coverage == pytest.approx(1.0)
    # a tone typed wrongly in one word costs that word only
    p = plan("Giống lúa chịu mặn cho đồng bẳng")
    assert 0.5 < p.exact_coverage < 1.0
