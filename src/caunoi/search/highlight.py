"""Snippets cut from the original text, HTML-escaped, with matched words in <mark>.

Only words that match the query are marked (``query_terms``):

- a query typed with diacritics marks a word only when it has the same diacritics, tone
  included, as the query's word ("hợp" marks "hợp", "Hợp", also spelt "hợp" with the tone on
  another vowel or as a spelling variant, "kĩ"/"kỹ" — but not "hộp" or "họp"), as the ``=``
  terms of the analyzer make the tone count in ranking;
- a query without diacritics marks every word that folds to it ("hop" marks "hợp" and "hộp");
- a stop word (``STOP_WORDS``: English function words and Vietnamese function words that
  carry no meaning alone) is never marked on its own, only right next to another marked word
  of the same phrase: "the cooperation" marks neither "thế" nor "the" alone, "hợp tác và phát
  triển" marks "và" between "tác" and "phát".
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.html import escape

from vntext.normalize import fold, normalize, search_key
from vntext.stopwords import STOP_WORDS

_TOKEN_RE = re.compile(r"[^\W_]+")
_key = lru_cache(maxsize=200_000)(search_key)  # a word's search form, computed once

# Words that are not marked on their own (see the module's docstring); a query typed without
# diacritics compares their folded forms ("va", "cua"), one with diacritics their written forms.
_STOP_FOLDED = frozenset(search_key(w) for w in STOP_WORDS)


@lru_cache(maxsize=200_000)
def _accents(word: str) -> str:
    """A word's diacritics, tone included, independent of where the tone sits ("hoà" and
    "hòa" alike): its combining marks sorted, and one "đ" per đ."""
    nfd = unicodedata.normalize("NFD", word.lower())
    return "".join(sorted(ch for ch in nfd if unicodedata.combining(ch))) + "đ" * nfd.count("đ")


_STOP_ACCENTED = frozenset((search_key(w), _accents(w)) for w in STOP_WORDS)


@dataclass(frozen=True)
class Terms:
    """The words a snippet marks. ``folded``: search key → is a stop word; ``accented``:
    search key → {diacritics → is a stop word} (a word matches with those diacritics only)."""

    folded: Mapping[str, bool] = field(default_factory=dict)
    accented: Mapping[str, Mapping[str, bool]] = field(default_factory=dict)

    def match(self, word: str) -> bool | None:
        """None if the word does not match; else whether it matched a stop word."""
        key = _key(word)
        stop = self.folded.get(key)
        if stop is None and key in self.accented:
            stop = self.accented[key].get(_accents(word))
        return stop


NO_TERMS = Terms()


def query_terms(query: str, corrections: Iterable[str] = ()) -> Terms:
    """What a query marks: its words — with their diacritics when any word of it has
    diacritics — and the spelling corrections the ranking used (folded, like the index's)."""
    text = normalize(query)
    with_diacritics = fold(text) != text.lower()
    folded: dict[str, bool] = {}
    accented: dict[str, dict[str, bool]] = {}
    for word in _TOKEN_RE.findall(text):
        key = _key(word)
        if with_diacritics:
            accents = _accents(word)
            accented.setdefault(key, {})[accents] = (key, accents) in _STOP_ACCENTED
        else:
            folded[key] = key in _STOP_FOLDED
    for term in corrections:
        for piece in _TOKEN_RE.findall(term):
            key = _key(piece)
            folded.setdefault(key, key in _STOP_FOLDED)
    return Terms(folded, accented)


# Snippets look at most at this many characters from the start of a text: a body can be
# large (hundreds of kilobytes are accepted), its first pages are what a reader scans anyway.
SNIPPET_MAX_CHARS = 20_000


def _matches(text: str, terms: Terms) -> list[tuple[int, int]]:
    """The spans of the marked words: one pass over the tokens, one match per distinct word."""
    tokens = list(_TOKEN_RE.finditer(text))
    seen: dict[str, bool | None] = {}
    stops: list[bool | None] = []
    for m in tokens:
        word = m.group(0)
        if word not in seen:
            seen[word] = terms.match(word)
        stops.append(seen[word])

    def marked_word_next_to(i: int, j: int) -> bool:
        """Whether token j is a marked non-stop word with only spaces between it and i."""
        if not 0 <= j < len(tokens) or stops[j] is not False:
            return False
        a, b = sorted((i, j))
        return text[tokens[a].end() : tokens[b].start()].isspace()

    spans = []
    for i, m in enumerate(tokens):
        stop = stops[i]
        if stop is False or (
            stop is True and (marked_word_next_to(i, i - 1) or marked_word_next_to(i, i + 1))
        ):
            spans.append((m.start(), m.end()))
    return spans


def mark(text: str, terms: Terms) -> str:
    """The whole text, escaped, with every matching word marked."""
    return _render(text, _matches(text, terms), 0, len(text))


def _densest(spans: list[tuple[int, int]], size: int) -> int:
    """Where the window of ``size`` characters holding the most whole spans starts (at a
    span's start; 0 without spans): two pointers, each span entered and left once."""
    best_start, best_count = 0, 0
    j = 0
    for i, (s, _) in enumerate(spans):
        j = max(j, i)
        while j < len(spans) and spans[j][1] <= s + size:
            j += 1
        if j - i > best_count:
            best_start, best_count = s, j - i
    return best_start


def snippet(text: str, terms: Terms, size: int = 220) -> str:
    """The ``size`` characters of ``text`` around the densest run of matches, marked.

    Only the first ``SNIPPET_MAX_CHARS`` characters are analysed (cut at a space), so the work
    is bounded whatever the text's length; the snippet then ends with "…"."""
    if not text:
        return ""
    full = len(text)
    if full > SNIPPET_MAX_CHARS:
        cut = text.rfind(" ", SNIPPET_MAX_CHARS - 100, SNIPPET_MAX_CHARS)
        text = text[: cut if cut > 0 else SNIPPET_MAX_CHARS]
    spans = _matches(text, terms)
    if full <= size:
        return _render(text, spans, 0, len(text))
    start = max(0, _densest(spans, size) - size // 5)
    if start:
        space = text.rfind(" ", max(0, start - 30), start)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start + size // 2 + 1, end)
        end = space if space > start + size // 2 else end
    return _render(text, spans, start, end, more=end < full)


def _render(
    text: str, spans: list[tuple[int, int]], start: int, end: int, more: bool | None = None
) -> str:
    """``text[start:end]`` escaped, spans marked, "…" where text was left out (``more``: text
    follows ``end``, by default when ``end`` is before the end of ``text``)."""
    out = ["…" if start > 0 else ""]
    pos = start
    first = bisect.bisect_right(spans, (start, -1)) - 1  # spans are sorted and disjoint
    for s, e in itertools.islice(spans, max(first, 0), None):
        if s >= end:
            break
        if e <= start:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[pos:s]))
        out.append("<mark>" + escape(text[s:e]) + "</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    if end < len(text) if more is None else more:
        out.append("…")
    return "".join(out)
