"""The duplicate rule's pieces: names and numbers that survive translation, the overlap, the
same-language near-identity and the bound that spares embeddings."""

from __future__ import annotations

from techmatch.duplicates import RULE, Rule, anchors, different_numbers, near_identical, overlap


def test_anchors_are_names_and_numbers_that_cross_languages() -> None:
    en = anchors("However, the MEMS sensor KX-200 of Samsung won in 2016 under KR 10-2215678.")
    vi = anchors("Cảm biến MEMS KX-200 của Samsung đoạt giải năm 2016, bằng KR 10-2215678.")
    assert {"mems", "kx-200", "samsung", "2016", "10-2215678"} <= en & vi
    assert "however" not in en  # opens the sentence
    assert not {"cam", "bien", "giai"} & vi  # Vietnamese syllables are no names
    assert "12" not in anchors("tested for 12 months")  # small numbers are too common


def test_overlap_is_measured_on_the_smaller_set() -> None:
    assert overlap({"a", "b"}, {"a", "b", "c", "d"}) == 1.0
    assert overlap(set(), {"a"}) == 0.0


def test_near_identical_ignores_case_diacritics_punctuation_but_not_model_numbers() -> None:
    assert near_identical("Cảm biến khí MEMS công suất thấp", "cam bien khi MEMS cong suat thap.")
    assert not near_identical("Máy sấy lạnh QX00123", "Máy sấy lạnh QX00456")
    assert different_numbers("Máy sấy QX00123", "Máy sấy QX00456")
    assert not different_numbers("Máy sấy", "Máy sấy QX00456")


def test_the_rule_needs_a_shared_anchor_and_a_close_embedding() -> None:
    assert RULE.min_overlap > 0
    assert not RULE.needs_cosine(0.0)  # no shared name or number: decided without a vector
    assert RULE.needs_cosine(0.5)
    assert RULE.is_duplicate(0.9, 0.5) and not RULE.is_duplicate(0.7, 0.5)
    loose = Rule(weight=0.0, threshold=0.8)
    assert loose.needs_cosine(0.0) and loose.is_duplicate(0.85, 0.0)


def test_lengths_rule_out_a_match_before_any_comparison() -> None:
    from techmatch.duplicates import could_be_alike

    assert could_be_alike(100, 110) and not could_be_alike(100, 130)
    assert not near_identical("Máy sấy", "Máy sấy lạnh nông sản công suất lớn")


def test_bridge_terms_are_taxonomy_concepts_and_loanwords() -> None:
    from techmatch.duplicates import bridge_terms, loanwords
    from techmatch.lexical import TermBridge

    vi = "Lớp phủ graphene cho anốt pin sạc nhanh"
    assert "graphene" in loanwords(vi) & loanwords("Graphene anode coating")
    assert not loanwords("Sấy lạnh trái cây nhiệt đới cho hợp tác xã")  # syllables only
    assert "with" not in loanwords("coating with graphene")  # a function word
    bridge = TermBridge({"P02": ("Công nghệ bán dẫn", "Semiconductors")})
    assert "~P02" in bridge_terms("Đóng gói công nghệ bán dẫn", bridge)
    assert "~P02" in bridge_terms("Packaging for semiconductors", bridge)


def test_a_possible_duplicate_needs_a_close_cosine_and_for_short_texts_a_bridge() -> None:
    from techmatch.duplicates import POSSIBLE

    long = POSSIBLE.short
    assert POSSIBLE.is_possible(POSSIBLE.threshold + 0.01, False, long)
    assert not POSSIBLE.is_possible(POSSIBLE.threshold - 0.01, True, long)
    assert not POSSIBLE.is_possible(POSSIBLE.threshold + 0.01, False, long - 1)
    assert POSSIBLE.is_possible(POSSIBLE.threshold + 0.01, True, long - 1)
