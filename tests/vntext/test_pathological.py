"""Inputs that made regular expressions or scans quadratic once: they must stay linear."""

from __future__ import annotations

import time

import pytest

from vntext.extract import extract
from vntext.segment import segment


@pytest.mark.parametrize(
    "text",
    [
        "a.b." * 6000,  # an e-mail pattern once rescanned the whole run at every syllable
        "a. " * 6000,  # abbreviation checks once sliced the sentence at every dot
        "hoà" + "a" * 60000,  # tone placement once backtracked over long words
        "1/2/3/4/5/6/7/8/9/" * 1500,
        "(" * 10000 + "ABC" + ")" * 10000,
    ],
    ids=["dotted-run", "initials", "long-word", "slashes", "brackets"],
)
def test_linear_time(text: str) -> None:
    start = time.process_time()
    extract(text)
    segment(text)
    assert time.process_time() - start < 10
