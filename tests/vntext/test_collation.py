"""Vietnamese alphabetical order: letters of their own, then tones."""

from __future__ import annotations

import random

from vntext.collation import sort_key


def test_vietnamese_letters_follow_their_base_letter() -> None:
    names = ["Ý", "Ô-man", "Áo", "Đan Mạch", "Ai Cập", "Yemen", "Ấn Độ", "Dominica", "Ơ", "Úc"]
    expected = ["Ai Cập", "Áo", "Ấn Độ", "Dominica", "Đan Mạch", "Ô-man", "Ơ", "Úc", "Ý", "Yemen"]
    shuffled = names[:]
    random.Random(1).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == expected


def test_tones_decide_only_when_the_letters_tie() -> None:
    # dictionary tone order: none, huyền, hỏi, ngã, sắc, nặng
    assert sorted(["má", "mạ", "mã", "ma", "mà", "mả"], key=sort_key) == [
        "ma",
        "mà",
        "mả",
        "mã",
        "má",
        "mạ",
    ]
    # the letters decide first, the tones only between equal letters
    assert sorted(["mạch", "mác", "mà"], key=sort_key) == ["mà", "mác", "mạch"]


def test_words_compare_before_longer_words() -> None:
    assert sorted(["Bahamas", "Ba Lan"], key=sort_key) == ["Ba Lan", "Bahamas"]


def test_case_does_not_matter() -> None:
    assert sort_key("đà nẵng")[:2] == sort_key("Đà Nẵng")[:2]
