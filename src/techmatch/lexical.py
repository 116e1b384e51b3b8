"""Lexical terms of a record for overlap scoring, in Vietnamese and English, via ``vntext``.

A text is normalised (``vntext.normalize``). Vietnamese text (``lang="vi"``, or no language
given and Vietnamese letters present) is segmented into words (``vntext.segment``); each word
gives its folded syllables (no diacritics, đ→d, spelling variants unified:
``vntext.search_key``) and, for a word of several syllables, the folded word with "_"
("cong_nghe"). Other text is cut into words and folded the same way, so names, numbers and
acronyms written alike in both languages ("CRISPR", "5G", "1998") meet across languages.

Terms of one character, terms that are only punctuation and function words written alone
(``vntext.stopwords``: "for", "the", "của", "và") are dropped: in a small or mixed-language
set of records a shared "for" would otherwise outweigh the meaning. Other common words need no
list: the index weights every term by its inverse document frequency and drops terms present
in more than half the records from queries.

The term bridge (:class:`TermBridge`) links phrases across languages without a dictionary of
our own: it is derived from labels the caller passes, e.g. the taxonomy's field names
``{"P01": ("Trí tuệ nhân tạo", "Artificial intelligence")}``. Wherever a text contains either
label, it gains the concept term ``~P01``, so a Vietnamese request and an English offer about
artificial intelligence share a term that the explanation shows in both spellings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from vntext import canonical_spelling, normalize, search_key, segment
from vntext.stopwords import STOP_WORDS

_PIECE_RE = re.compile(r"[^\W_]+")
_WORD_RE = re.compile(r"[^\W_]+(?:[-'.][^\W_]+)*")
_VI_LETTERS = frozenset("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")
MAX_TERM = 40
CONCEPT = "~"  # prefix of a bridge concept term


def looks_vietnamese(text: str) -> bool:
    """True when the text contains letters only Vietnamese uses (on a sample of it)."""
    sample = text[:2000].lower()
    return any(ch in _VI_LETTERS for ch in sample)


@dataclass(frozen=True)
class Analyzed:
    """The terms of a text and, for each term, the first form it was written in."""

    terms: frozenset[str]
    forms: Mapping[str, str]
    syllables: tuple[str, ...]  # the folded sequence the bridge phrases are looked up in


def _words(text: str, vietnamese: bool) -> list[str]:
    if vietnamese:
        return [w for sent in segment(text) for w in sent]
    return _WORD_RE.findall(text)


@lru_cache(maxsize=50_000)
def analyze(text: str, lang: str = "", use_segmenter: bool = True) -> Analyzed:
    """Terms of ``text`` (see the module docstring). ``lang``: "vi", "en", or "" to guess."""
    text = normalize(text)
    vietnamese = lang == "vi" or (lang == "" and looks_vietnamese(text))
    terms: set[str] = set()
    forms: dict[str, str] = {}
    seq: list[str] = []
    words = _words(text, vietnamese and use_segmenter)
    # one search_key over the whole text (it keeps "_" and the spaces between words)
    joined = " ".join(words)
    # ASCII words need no normalising or folding: search_key is then lowercasing and the
    # spelling rules (the same result, without the per-character pass)
    key = canonical_spelling(joined.lower()) if joined.isascii() else search_key(joined)
    keys = key.split(" ")
    if len(keys) != len(words):
        keys = [search_key(w) for w in words]
    for word, key in zip(words, keys, strict=True):
        folded = [p for p in _PIECE_RE.findall(key) if len(p) <= MAX_TERM]
        if not folded:
            continue
        surface = _PIECE_RE.findall(word.lower())
        seq.extend(folded)
        if len(surface) == 1 and surface[0] in STOP_WORDS:
            continue  # a function word ("for", "của") is no shared subject
        same_len = len(surface) == len(folded)
        for i, p in enumerate(folded):
            if (len(p) > 1 and not p.isdigit()) or len(p) >= 4:
                terms.add(p)
                forms.setdefault(p, surface[i] if same_len else p)
        if len(folded) > 1:
            compound = "_".join(folded)
            terms.add(compound)
            forms.setdefault(compound, " ".join(surface))
    return Analyzed(frozenset(terms), forms, tuple(seq))


class TermBridge:
    """Concepts named by label pairs; a text containing any label of a concept gains its term."""

    def __init__(self, labels: Mapping[str, Iterable[str]] | None = None) -> None:
        self._phrases: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        for concept, names in (labels or {}).items():
            for name in names:
                pieces = tuple(_PIECE_RE.findall(search_key(name)))
                if not pieces or (len(pieces) == 1 and len(pieces[0]) < 3):
                    continue  # one short word ("AI") is too ambiguous to bridge on
                entry = (pieces, CONCEPT + concept, name)
                self._phrases.setdefault(pieces[0], []).append(entry)
        for entries in self._phrases.values():
            entries.sort(key=lambda e: -len(e[0]))

    def __bool__(self) -> bool:
        return bool(self._phrases)

    def concepts(self, syllables: tuple[str, ...]) -> dict[str, str]:
        """Concept terms found in a folded syllable sequence, with the label that was found."""
        found: dict[str, str] = {}
        n = len(syllables)
        for i, s in enumerate(syllables):
            for pieces, concept, name in self._phrases.get(s, ()):
                if tuple(syllables[i : i + len(pieces)]) == pieces and i + len(pieces) <= n:
                    found.setdefault(concept, name)
        return found


def record_terms(
    text: str, lang: str, bridge: TermBridge | None, use_segmenter: bool = True
) -> tuple[frozenset[str], dict[str, str]]:
    """All terms of a record's text, concept terms included, and their written forms."""
    a = analyze(text, lang, use_segmenter)
    forms = dict(a.forms)
    terms = set(a.terms)
    if bridge:
        for concept, name in bridge.concepts(a.syllables).items():
            terms.add(concept)
            forms[concept] = name
    return frozenset(terms), forms
