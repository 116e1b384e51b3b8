"""Highlighting does work linear in the text and looks at a bounded prefix of it: a body of
one word repeated 40,000 times (~320 KB, accepted by the forms) once took minutes."""

from __future__ import annotations

import random
import re
import sys
from types import FrameType
from typing import Any

import pytest

from caunoi.search import highlight
from caunoi.search.highlight import SNIPPET_MAX_CHARS, Terms, mark, query_terms, snippet


class CountingTerms(Terms):
    """The query's terms, counting how often a word is matched against them."""

    calls = 0

    def match(self, word: str) -> bool | None:
        type(self).calls += 1
        return super().match(word)


def counting(query: str) -> CountingTerms:
    t = query_terms(query)
    CountingTerms.calls = 0
    return CountingTerms(t.folded, t.accented)


class TooMuchWork(Exception):
    pass


def lines_run(func: Any, *args: Any, budget: int) -> int:
    """Lines of highlight.py executed by ``func(*args)``; stops it once past ``budget``."""
    count = 0
    path = highlight.__file__

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
            if count > budget:
                raise TooMuchWork(count)
        return local

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename == path else None

    sys.settrace(tracer)
    try:
        func(*args)
    finally:
        sys.settrace(None)
    return count


def test_a_huge_repetitive_body_is_cut_and_matched_once_per_word() -> None:
    body = "hợp " * 40_000
    terms = counting("hợp")
    html = snippet(body, terms)
    assert CountingTerms.calls == 1  # one distinct word, matched once
    assert html.count("<mark>hợp</mark>") >= 40  # the window is full of matches
    assert html.endswith("…")
    # work bounded by the analysed prefix: a few lines per token of it, not per pair of tokens
    tokens = SNIPPET_MAX_CHARS // 4
    assert lines_run(snippet, body, query_terms("hợp"), budget=40 * tokens) > tokens


def test_work_grows_linearly_below_the_bound() -> None:
    terms = query_terms("hợp tác")
    small = lines_run(snippet, "hợp tác " * 500, terms, budget=10**6)
    large = lines_run(snippet, "hợp tác " * 1000, terms, budget=10**6)
    assert 1.8 < large / small < 2.2  # twice the text, twice the work (quadratic: four times)


def test_text_past_the_bound_is_not_looked_at() -> None:
    body = "mở đầu " * (SNIPPET_MAX_CHARS // 7) + "Hàn Quốc"
    assert "<mark>" not in snippet(body, query_terms("Hàn Quốc"))
    assert snippet(body[:200] + " Hàn Quốc", query_terms("Hàn Quốc")).count("<mark>") == 2


def test_mark_matches_each_distinct_word_once() -> None:
    terms = counting("Việt Nam")
    html = mark("Việt Nam " * 1000, terms)
    assert CountingTerms.calls == 2
    assert html.count("<mark>") == 2000


def _reference_snippet(text: str, terms: Terms, size: int = 220) -> str:
    """The former quadratic window selection, to compare against on ordinary texts."""
    spans = highlight._matches(text, terms)
    if len(text) <= size:
        return highlight._render(text, spans, 0, len(text))
    best_start, best_count = 0, 0
    for i, (s, _) in enumerate(spans):
        count = sum(1 for a, b in spans[i:] if b <= s + size)
        if count > best_count:
            best_start, best_count = s, count
    start = max(0, best_start - size // 5)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 30 else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + size // 2 else end
    return highlight._render(text, spans, start, end)


_WORDS = (
    "hợp tác khoa học và công nghệ giữa Việt Nam Hàn Quốc Nhật Bản thỏa thuận dự án "
    "nghiên cứu phát triển năng lượng tái tạo the cooperation of science, đào tạo; 2024"
)
WORDS = _WORDS.split(" ")


@pytest.mark.parametrize("seed", range(12))
def test_snippets_unchanged_on_ordinary_texts(seed: int) -> None:
    rng = random.Random(seed)
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 600)))
    text = re.sub(r"  +", " ", text)
    for query in ("hợp tác", "han quoc", "năng lượng tái tạo", "the cooperation", "2024"):
        terms = query_terms(query)
        assert snippet(text, terms) == _reference_snippet(text, terms), (seed, query)
        assert snippet(text, terms, size=60) == _reference_snippet(text, terms, size=60)
