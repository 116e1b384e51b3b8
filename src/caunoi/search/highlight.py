"""Snippets cut from the original text, HTML-escaped, with matched words in <mark>."""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from django.utils.html import escape

from vntext.normalize import search_key

_TOKEN_RE = re.compile(r"[^\W_]+")
_key = lru_cache(maxsize=200_000)(search_key)  # a word's search form, computed once


def _matches(text: str, terms: Collection[str]) -> list[tuple[int, int]]:
    spans = []
    for m in _TOKEN_RE.finditer(text):
        if _key(m.group(0)) in terms:
            spans.append((m.start(), m.end()))
    return spans


def mark(text: str, terms: Collection[str]) -> str:
    """The whole text, escaped, with every matching word marked."""
    return _render(text, _matches(text, terms), 0, len(text))


def snippet(text: str, terms: Collection[str], size: int = 220) -> str:
    """The ``size`` characters of ``text`` around the densest run of matches, marked."""
    if not text:
        return ""
    spans = _matches(text, terms)
    if len(text) <= size:
        return _render(text, spans, 0, len(text))
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
    return _render(text, spans, start, end)


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out = ["…" if start > 0 else ""]
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[pos:s]))
        out.append("<mark>" + escape(text[s:e]) + "</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)
