"""Normalisation, tone placement, folding and search keys, including property-based tests."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from vntext.normalize import (
    canonical_spelling,
    fold,
    normalize,
    normalize_with_offsets,
    place_tones,
    search_key,
)

VIETNAMESE = "hợp tác quốc tế về khoa học và công nghệ Hoà bình khoẻ thuỷ Quý ĐỨC người"
ALPHABET = st.sampled_from(
    list(VIETNAMESE)
    + list("aeiouyAĐđ0123456789.,;:/-()%&_ \n\t\r")
    + ["\u00a0", "\u00ad", "\u200b", "\ufb01", "\u0301", "\u0323", "\u0300", "\u2011", "\x07"]
)
TEXTS = st.text(alphabet=ALPHABET, max_size=80) | st.text(max_size=40)


def test_tone_placement_old_and_new_styles() -> None:
    assert place_tones("hoà khoẻ thuỷ") == "hòa khỏe thủy"
    assert place_tones("hòa khỏe thủy", "new") == "hoà khoẻ thuỷ"
    # unambiguous syllables are left alone
    for word in ("hoàn", "quyết", "người", "thuở", "khuỷu", "giữ", "quý", "của", "mía", "Đoàn"):
        assert place_tones(word) == word
        assert place_tones(word, "new") == word
    assert place_tones("qúy") == "quý"  # a misplaced mark is moved to the nucleus
    assert place_tones("HOÀ BÌNH") == "HÒA BÌNH"
    assert place_tones("café") == "café"  # not a Vietnamese syllable


def test_normalize_cleans_pdf_artefacts() -> None:
    raw = "hợp\u00a0 tác\u00ad  quốc\u200b tế \r\n ﬁnance\x07 end  "
    assert normalize(raw) == "hợp tác quốc tế\nfinance end"
    decomposed = unicodedata.normalize("NFD", "Hoà bình")
    assert normalize(decomposed) == "Hòa bình"


def test_fold_and_search_key() -> None:
    assert fold("Hợp tác Quốc tế ĐỔI MỚI đ") == "hop tac quoc te doi moi d"
    assert search_key("hợp tác quốc tế") == search_key("HOP TAC QUOC TE")
    assert search_key("qui mô") == search_key("quy mô") == "quy mo"
    assert search_key("kĩ thuật") == search_key("kỹ thuật")
    assert search_key("Hoà bình") == search_key("hòa bình")
    assert canonical_spelling("quy") == "quy"


@settings(max_examples=300, deadline=None)
@given(TEXTS)
@example("à\u200b\u0323")  # a mark cut from its base by a zero-width space
@example("oà\u0300")  # a stray mark after a syllable
@example("ÀÛ")  # not Vietnamese letters: tone marks stay where they are
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert unicodedata.is_normalized("NFC", once)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_fold_is_idempotent_and_ascii_for_vietnamese(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert not any(c in once for c in "đĐ")
    assert fold(VIETNAMESE).isascii()


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_offsets_map_back_to_the_original(text: str) -> None:
    norm = normalize_with_offsets(text)
    assert len(norm.starts) == len(norm.ends) == len(norm.text)
    for k, ch in enumerate(norm.text):
        a, b = norm.original_span(k, k + 1)
        assert 0 <= a < b <= len(text)
        source = normalize(text[a:b])
        # each normalised character comes from its source cluster (a space may stand for any
        # whitespace or removed control character; ligatures expand)
        if not ch.isspace():
            assert fold(ch) in fold(source) or ch in source or source == "", (ch, text[a:b])
    # spans are monotonic
    assert list(norm.starts) == sorted(norm.starts)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_search_key_is_idempotent(text: str) -> None:
    key = search_key(text)
    assert search_key(key) == key
