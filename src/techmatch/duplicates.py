"""Is a new record a duplicate of an existing one of the same owner, in either language?

Plain cosine of the e5 embeddings does not separate translations from other texts on the same
subject (on XQuAD, parallel vi/en paragraphs have cosines down to .78 while the closest
non-parallel pair of one article reaches .87), so the decision combines two pieces of
evidence, and is only ever asked for two records of the same owner:

- ``cosine``: the cosine of the two records' passage embeddings (L2-normalised);
- ``anchors``: the names and numbers both texts carry, which survive translation (numbers,
  patent and model numbers, and words that cannot be Vietnamese syllables: "MEMS", "Tesla",
  "Denver"), as the overlap coefficient of the two anchor sets.

Two texts in the same language are compared lexically instead (``near_identical``: a
translation is never in the same language, and same-language texts on one subject have
cosines up to .94). Across languages, a pair is a duplicate when
``cosine + weight * overlap >= threshold`` and they share at least one name or number;
the constants are calibrated on XQuAD dev paragraphs (``bench/matching/duplicates.py``, figures in
docs/matching.md). Since a cosine is at most 1, a pair whose anchors alone cannot reach the
threshold is decided without an embedding (``needs_cosine``): an import embeds only the
rows that have a plausible same-owner candidate.

A pair across languages sharing no name or number is never refused: 18 % of XQuAD's parallel
paragraphs share none, but so do most pairs of one owner's different records. When such a
pair's embeddings are close it is a **possible duplicate** (``POSSIBLE``): a warning of the
import, for the officer to look at, not an error. Short texts (a title alone) need, besides
the cosine, a bridge term both carry (``bridge_terms``: a taxonomy concept of the term bridge,
or the same loanword, "graphene", "lithium"), as the cosines of short titles are higher:
two different offers' titles of one owner reach .83.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from techmatch.lexical import TermBridge
from vntext import normalize, search_key
from vntext.stopwords import STOP_WORDS

# A folded Vietnamese syllable (the shape kbanswer uses to tell English from Vietnamese).
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?"
)
_YEARS = re.compile(r"^\d{1,2}$")  # one- and two-digit numbers are too common to be evidence


@dataclass(frozen=True)
class Rule:
    weight: float
    threshold: float
    min_overlap: float = 0.0  # > 0: two texts sharing no name or number are never duplicates

    def score(self, cosine: Any, overlap: Any) -> Any:
        return cosine + self.weight * overlap

    def is_duplicate(self, cosine: Any, overlap: Any) -> Any:
        """Works on floats and on numpy arrays alike (the benchmark)."""
        return (self.score(cosine, overlap) >= self.threshold) & (overlap >= self.min_overlap)

    def needs_cosine(self, overlap: float) -> bool:
        """Whether the pair can be a duplicate at all (with the best possible cosine, 1)."""
        return overlap >= self.min_overlap and self.score(1.0, overlap) >= self.threshold


# Calibrated on the XQuAD dev articles (bench/matching/duplicates.py, docs/matching.md):
# requiring one shared name or number costs recall (held out .91 → .78) for precision
# (.92 → .98), and spares the embedding of most pairs (an import embeds only the rows
# with an anchored candidate).
RULE = Rule(weight=0.05, threshold=0.86, min_overlap=0.01)


@dataclass(frozen=True)
class Possible:
    """A warning for a pair across languages that shares no name or number."""

    threshold: float  # the cosine from which it is a possible duplicate
    short: int = 120  # below this many characters, a shared bridge term is needed too

    def is_possible(self, cosine: Any, bridged: Any, length: Any) -> Any:
        """Works on floats and on numpy arrays alike (the benchmark). ``length``: the
        shorter text's characters; ``bridged``: whether the two share a bridge term."""
        return (cosine >= self.threshold) & (bridged | (length >= self.short))


# Calibrated on the XQuAD dev articles, paragraphs and their first sentences, the pairs across
# languages sharing no anchor (bench/matching/duplicates.py, docs/matching.md).
POSSIBLE = Possible(threshold=0.835)


_TOKEN = re.compile(r"[^\W_]+(?:[./-][^\W_]+)*")
_PIECE = re.compile(r"[^\W_]+")


@lru_cache(maxsize=65536)
def anchors(text: str) -> frozenset[str]:
    """The folded names and numbers of a text: tokens with a digit (except one- and two-digit
    numbers), and capitalised words of three letters or more that cannot be a Vietnamese
    syllable and do not open a sentence ("Tesla", "MEMS"; not "However", not "Hà")."""
    out: set[str] = set()
    for m in _TOKEN.finditer(text):
        raw = m.group()
        digits = any(c.isdigit() for c in raw)
        if not digits and not raw[0].isupper():  # most words: no need to fold them
            continue
        word = search_key(raw)
        if digits:
            if not _YEARS.match(word):
                out.add(word)
            continue
        if len(word) <= 2 or _SYLLABLE.fullmatch(word):
            continue
        before = text[: m.start()].rstrip()
        # not a sentence's first word, unless an acronym (which opens sentences too)
        if (before and before[-1] not in '.!?:;\n"“(') or raw.isupper():
            out.add(word)
    return frozenset(out)


SIMILAR = 0.9  # the same-language near-identity: difflib ratio of the folded texts


@lru_cache(maxsize=65536)
def folded(text: str) -> str:
    return " ".join(_TOKEN.findall(search_key(text)))


def numbers(text: str) -> frozenset[str]:
    """The anchors with a digit: model codes, patent numbers, quantities."""
    return frozenset(a for a in anchors(text) if any(c.isdigit() for c in a))


def different_numbers(a: str, b: str) -> bool:
    """Both texts carry numbers and share none: two models or patents, not one record."""
    na, nb = numbers(a), numbers(b)
    return bool(na) and bool(nb) and not (na & nb)


def could_be_alike(la: int, lb: int) -> bool:
    """The best ratio two texts of these lengths can reach is at least ``SIMILAR`` (checked
    before building a matcher: an import compares every pair of rows of one owner)."""
    return 2 * min(la, lb) >= SIMILAR * (la + lb)


def near_identical(a: str, b: str) -> bool:
    """Two texts in one language are the same record when, folded (no case, diacritics or
    punctuation), they are at least ``SIMILAR`` alike, unless they carry different numbers
    (two model codes or patents of one owner are two records)."""
    fa, fb = folded(a), folded(b)
    if not fa or not fb or different_numbers(a, b):
        return False
    if fa == fb:
        return True
    if not could_be_alike(len(fa), len(fb)):
        return False
    matcher = SequenceMatcher(None, fa, fb, autojunk=False)
    return (
        matcher.real_quick_ratio() >= SIMILAR
        and matcher.quick_ratio() >= SIMILAR
        and (matcher.ratio() >= SIMILAR)
    )


def overlap(a: Iterable[str], b: Iterable[str]) -> float:
    """|A ∩ B| / min(|A|, |B|); 0 when either is empty (a translation drops some names, so
    the smaller set is the measure)."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


@lru_cache(maxsize=65536)
def loanwords(text: str) -> frozenset[str]:
    """Folded words of four letters or more, without digits, that cannot be a Vietnamese
    syllable and are no function word, in any case ("graphene", "lithium", "protein"): in a
    Vietnamese text they are loanwords or names, so one both texts share crosses languages."""
    out: set[str] = set()
    for raw in _TOKEN.findall(text):
        if len(raw) < 4 or any(c.isdigit() for c in raw):
            continue
        word = search_key(raw)
        if len(word) >= 4 and word not in STOP_WORDS and not _SYLLABLE.fullmatch(word):
            out.add(word)
    return frozenset(out)


def bridge_terms(text: str, bridge: TermBridge | None = None) -> frozenset[str]:
    """The terms that cross languages without being names or numbers: the term bridge's
    concepts found in the text (the taxonomy's field names in either language, as the
    matching uses them) and its loanwords."""
    out = set(loanwords(text))
    if bridge:
        # the folded syllables as ``analyze`` gives them, without segmenting into words
        out.update(bridge.concepts(tuple(_PIECE.findall(search_key(normalize(text))))))
    return frozenset(out)
