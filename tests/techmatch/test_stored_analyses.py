"""Stored analyses (``encode_analysis`` / ``decode_analysis``) give back the analysis they
were made from, and an index given them ranks and explains exactly as one that analyses the
texts itself."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from techmatch import (
    ANALYZER_VERSION,
    MatchIndex,
    Offer,
    Request,
    TermBridge,
    analysis_fingerprint,
    decode_analysis,
    encode_analysis,
    record_text,
    vector,
)
from techmatch.lexical import analyze

TEXTS = [
    ("Máy sấy cà phê năng lượng mặt trời", "Sấy cà phê và nông sản bằng nhiệt mặt trời.", ""),
    ("Lò khí hóa trấu", "Điện từ trấu cho trang trại; kiệm và kiểm soát.", "vi"),
    ("Solar dryer for cocoa", "Drying cocoa (TRL 7), patent WO2023/123456, 5G, CRISPR-Cas9.", "en"),
    ("Thủy lợi, thuỷ lợi", "kĩ thuật, kỹ thuật, qui định — hop tac quoc te, công nghệ bán dẫn", ""),
    ("", "Cảm biến oxy cho ao nuôi tôm; Oxygen sensors for shrimp ponds.", ""),
    ("Điều khiển rang cà phê", "Kiểm soát nhiệt độ khi rang cà phê. Trí tuệ nhân tạo.", "vi"),
]
SYLLABLES = [
    "cà",
    "phê",
    "sấy",
    "máy",
    "năng",
    "lượng",
    "mặt",
    "trời",
    "kiểm",
    "kiệm",
    "soát",
    "tôm",
    "ao",
    "oxy",
    "công",
    "nghệ",
    "trí",
    "tuệ",
]


def test_fingerprint_names_the_version() -> None:
    assert analysis_fingerprint().startswith(f"{ANALYZER_VERSION}-")
    assert analysis_fingerprint() != analysis_fingerprint(use_segmenter=False)


def test_decoded_analysis_equals_the_analysis() -> None:
    for title, text, lang in TEXTS:
        full = f"{title}\n{text}" if title else text
        a = analyze(full, lang)
        b = decode_analysis(encode_analysis(a))
        assert b == a
        assert dict(b.forms) == dict(a.forms) and dict(b.variants) == dict(a.variants)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from([*SYLLABLES, "Solar", "drying", "5G", "x", "1998", "Ông", "đ"]),
        min_size=0,
        max_size=12,
    ),
    st.sampled_from(["", "vi", "en"]),
)
def test_round_trip_of_any_text(words: list[str], lang: str) -> None:
    a = analyze(" ".join(words), lang)
    assert decode_analysis(encode_analysis(a)) == a


def test_an_index_with_stored_analyses_ranks_and_explains_the_same() -> None:
    rng = random.Random(3)
    bridge = TermBridge({"P01": ("Trí tuệ nhân tạo", "Artificial intelligence")})

    def vec() -> np.ndarray:
        return vector([rng.gauss(0, 1) for _ in range(8)])

    offers = [
        Offer(id=f"offer:{i}", title=t, text=x, lang=lang, vector=vec())
        for i, (t, x, lang) in enumerate(TEXTS * 3)
    ]
    stored = [decode_analysis(encode_analysis(analyze(record_text(o), o.lang))) for o in offers]
    stored[4] = None  # the index analyses this one itself
    plain = MatchIndex(offers, bridge=bridge)
    given_ = MatchIndex(offers, bridge=bridge, analyses=stored)
    assert plain.term_stats() == given_.term_stats()
    for title, text, _lang in TEXTS:
        q = Request(
            id="request:1", title=title, text=text + " artificial intelligence", vector=vec()
        )
        assert given_.rank(q, 10) == plain.rank(q, 10)
        for idx in range(len(offers)):
            assert given_.explain(q, idx) == plain.explain(q, idx)
