"""The search analyzer: the same terms for documents and queries, built on vntext.

A text is normalised and segmented into words by ``vntext`` (legal numbers, dates, acronyms
stay whole). Each word yields:

- its syllables folded (no diacritics, đ→d) with spelling variants unified (qui/quy, kĩ/kỹ),
  via ``vntext.normalize.search_key`` — so "hop tac", "hợp tác" and old/new tone placements
  meet;
- for a word of several pieces, the pieces joined by "_" ("hop_tac", "735_qd_ttg") — so a
  whole word or a whole legal number scores above its parts;
- the word with its diacritics ("hợp_tác", "hàn") — so a query typed with diacritics prefers
  the exact spelling without missing the folded one;
- each syllable as written, marked with "=" ("=hợp", "=tác", "=ban"): folding merges
  syllables that differ only in tone ("bán", "bàn", "bạn", "ban" are all "ban"), which cost
  retrieval quality against BM25 over plain syllables; a query typed with diacritics also
  looks for these, so the tone it was typed with counts (docs/search.md has the figures).

Terms never contain spaces (the lexical index splits on spaces only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from vntext.normalize import normalize, search_key
from vntext.segment import segment_spans

_PIECE_RE = re.compile(r"[^\W_]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"
MAX_TERM = 60  # longer pieces (hashes, base64) are not useful terms
MAX_QUERY_GROUPS = 32  # query syllables sent to the index; the rest of a query is ignored
EXACT = "="  # marks a syllable as written ("=bán", "=ban"): tone-distinct, unlike folded ones


@dataclass(frozen=True)
class WordTerms:
    syllables: tuple[str, ...]  # folded pieces
    compound: str  # folded pieces joined by "_" ("" for a single piece)
    accented: str  # the lowercased word with diacritics, pieces joined by "_" ("" if = folded)
    exact: tuple[str, ...] = ()  # per syllable: "=" + the syllable as written, lowercased


@lru_cache(maxsize=200_000)
def word_terms(word: str) -> WordTerms:
    """The terms of one segmented word ("Hợp_tác", "735/QĐ-TTg", "Hàn")."""
    spaced = word.replace("_", " ")
    folded = [p for p in _PIECE_RE.findall(search_key(spaced)) if len(p) <= MAX_TERM]
    if not folded:
        return WordTerms((), "", "")
    compound = "_".join(folded) if len(folded) > 1 else ""
    accented_pieces = _PIECE_RE.findall(normalize(spaced).lower())
    accented = "_".join(accented_pieces)
    if accented == "_".join(folded) or len(accented) > MAX_TERM or not accented_pieces:
        accented = ""
    exact: tuple[str, ...] = ()
    if len(accented_pieces) == len(folded):
        exact = tuple(EXACT + a for a in accented_pieces)
    return WordTerms(tuple(folded), compound, accented, exact)


def _words(text: str) -> list[str]:
    return [w.text for sent in segment_spans(text) for w in sent.words]


@lru_cache(maxsize=4096)
def analyze(text: str) -> tuple[str, ...]:
    """Index terms of a text, in order (a term repeats as often as it occurs)."""
    out: list[str] = []
    for word in _words(text):
        wt = word_terms(word)
        out.extend(wt.syllables)
        out.extend(wt.exact)
        if wt.compound:
            out.append(wt.compound)
        if wt.accented:
            out.append(wt.accented)
    return tuple(out)


@dataclass
class QueryGroup:
    """One query syllable: a document matches it through any of its terms.

    ``terms[0]`` is the folded syllable; the others are boosters (the compound word or the
    accented word that starts here) and, added later, typo corrections from the vocabulary.
    """

    terms: list[str]
    syllable: str
    corrected: bool = False
    extra: list[str] = field(default_factory=list)

    def all_terms(self) -> list[str]:
        return list(dict.fromkeys(self.terms + self.extra))


def analyze_query(text: str) -> list[QueryGroup]:
    """One group per distinct query syllable, at most ``MAX_QUERY_GROUPS``."""
    groups: list[QueryGroup] = []
    seen: set[str] = set()
    accented_query = search_key(text) != normalize(text).lower()
    for word in _words(text[:1000]):
        wt = word_terms(word)
        for i, syl in enumerate(wt.syllables):
            terms = [syl]
            if i == 0 and wt.compound:
                terms.append(wt.compound)
            if i == 0 and wt.accented:
                terms.append(wt.accented)
            if accented_query and wt.exact:
                terms.append(wt.exact[i])
            key = " ".join(terms)
            if key in seen:
                continue
            seen.add(key)
            groups.append(QueryGroup(terms, syl))
            if len(groups) == MAX_QUERY_GROUPS:
                return groups
    return groups


# A folded Vietnamese syllable: initial consonant(s), one to three vowels, a final consonant.
_SYLLABLE_RE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?"
)


def is_vietnamese_syllable(word: str) -> bool:
    """Whether a word could be a Vietnamese syllable ("hop", "nghieng", "the": yes; "west",
    "join", "as": no) — how the ranking tells an English query from one without diacritics."""
    return _SYLLABLE_RE.fullmatch(search_key(word)) is not None


def edits1(term: str) -> set[str]:
    """Every string one edit away (delete, transpose, replace, insert) over folded letters."""
    splits = [(term[:i], term[i:]) for i in range(len(term) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | transposes | replaces | inserts) - {term, ""}
