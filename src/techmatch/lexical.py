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

Explanations are stricter than the score (:func:`shown_pair`): folding makes "kiệm" and
"kiểm", "chuyền" and "chuyển" one term, which is right when one side is written without
diacritics but pairs different words when both carry them. A shared term is shown only for
written forms that agree where both are accented (syllable by syllable, after
``vntext.normalize``); a single syllable only when it stands as a word of its own in one of
the records (not only inside "phản ứng" and "ứng dụng") and is not a filler
(:data:`EXPLANATION_FILLERS`: "cần", "tìm", "anh", "need" …), which a reader would not take
as a shared subject. The score still counts folded terms, weighed by their idf.

The term bridge (:class:`TermBridge`) links phrases across languages without a dictionary of
our own: it is derived from labels the caller passes, e.g. the taxonomy's field names
``{"P01": ("Trí tuệ nhân tạo", "Artificial intelligence")}``. Wherever a text contains either
label, it gains the concept term ``~P01``, so a Vietnamese request and an English offer about
artificial intelligence share a term that the explanation shows in both spellings.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from vntext import canonical_spelling, normalize, search_key, segment
from vntext.stopwords import STOP_WORDS

_PIECE_RE = re.compile(r"[^\W_]+")
_WORD_RE = re.compile(r"[^\W_]+(?:[-'.][^\W_]+)*")
_VI_LETTERS = frozenset("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")
MAX_TERM = 40
CONCEPT = "~"  # prefix of a bridge concept term
# Words that two records share without sharing a subject: requests' verbs ("cần", "tìm"),
# pronouns and forms of address (an expert named "Anh" is not about English), quantifiers.
# Kept out of explanations only (the idf weighs them in the score).
_FILLERS = """cần tìm từng anh chị em ông bà cô chú tôi ta mình họ chúng bạn cũng rất nhiều ít mỗi
    mọi cả còn đang sẽ phải nên muốn dùng làm hơn nhất đến ra vào lên lại thêm hay nếu thể
    loại việc cách người năm ngày bên nhằm hiện đây kia nào gì ai sao không bị được các những
    này đó trong ngoài với cho của và hoặc theo việt nam vi
    need needs want wants seek seeks looking use used uses using make makes made keep keeps
    also can could will would should may must our we us you your they them new one two more
    most very such other which who what when where there here any all each some"""
EXPLANATION_FILLERS = frozenset(_FILLERS.split())


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
    # every written form of each term (lowercase, syllables joined by spaces)
    variants: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # the single-syllable terms that stand as a word of their own somewhere in the text
    alone: frozenset[str] = frozenset()


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
    variants: dict[str, set[str]] = {}
    alone: set[str] = set()
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
                form = surface[i] if same_len else p
                forms.setdefault(p, form)
                variants.setdefault(p, set()).add(form)
                if len(folded) == 1:
                    alone.add(p)
        if len(folded) > 1:
            compound = "_".join(folded)
            terms.add(compound)
            forms.setdefault(compound, " ".join(surface))
            variants.setdefault(compound, set()).add(" ".join(surface) if same_len else compound)
    frozen = {t: frozenset(v) for t, v in variants.items()}
    return Analyzed(frozenset(terms), forms, tuple(seq), frozen, frozenset(alone))


def _accented(syllable: str) -> bool:
    return any(ch in _VI_LETTERS for ch in syllable)


def forms_agree(a: str, b: str, a_bare: bool = True, b_bare: bool = True) -> bool:
    """Whether two written forms of one folded term may be the same word: syllable by
    syllable equal, or one of the two written without diacritics ("kiem" meets "kiệm";
    "kiệm" and "kiểm" do not). ``a_bare`` / ``b_bare``: whether that side may be Vietnamese
    written without diacritics at all; a side whose text has diacritics elsewhere ("sau" in
    an accented text is "sau", not "sáu") or is in another language ("cap" in English is not
    "cấp") meets an accented form only as written."""
    xs, ys = a.split(" "), b.split(" ")
    if len(xs) != len(ys):
        return True  # forms not aligned to syllables (rare): the folded term decides
    return all(
        x == y or (a_bare and not _accented(x)) or (b_bare and not _accented(y))
        for x, y in zip(xs, ys, strict=True)
    )


def written_bare(a: Analyzed, lang: str = "") -> bool:
    """Whether a text may be Vietnamese typed without diacritics: not given as another
    language, and no accented form in it."""
    if lang not in ("", "vi"):
        return False
    return not any(_accented(f) for f in a.forms.values())


# The shape of a Vietnamese syllable once folded (accents and đ removed): an optional onset,
# a vowel nucleus, an optional coda; no f, j, w, z. "minh", "phu", "cap" have it; "wafer",
# "mems", "sensor" do not.
_VI_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
    r"[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)


def vietnamese_shaped(syllable: str) -> bool:
    """Whether a folded syllable could be written in Vietnamese."""
    return _VI_SYLLABLE.fullmatch(syllable) is not None


def _in_shared_run(term: str, a: Analyzed, b: Analyzed) -> bool:
    """Whether ``term`` is one of two neighbouring syllables both texts have side by side,
    both of Vietnamese shape: a name written with and without its accents ("Minh Phú",
    "Minh Phu"), not an English phrase that happens to fold like Vietnamese ("cap wafer" in
    English, "cấp wafer" in Vietnamese)."""
    pieces = term.split("_")
    pa = {
        p
        for p in zip(a.syllables, a.syllables[1:], strict=False)
        if set(p) & set(pieces) and all(vietnamese_shaped(x) for x in p)
    }
    if not pa:
        return False
    return any(p in pa for p in zip(b.syllables, b.syllables[1:], strict=False))


def shown_pair(
    term: str,
    query: Analyzed,
    target: Analyzed,
    query_lang: str = "",
    target_lang: str = "",
    bare: Callable[[], tuple[bool, bool]] | None = None,
) -> tuple[str, str] | None:
    """The written forms under which a shared (non-concept) term is shown in an explanation,
    or None when it should not be (see the module docstring). A text in another language
    meets an accented form with a bare one only inside a run of syllables both texts share
    ("Minh Phu" meets "Minh Phú", "cap wafer" does not meet "cấp"). ``bare``: the two
    texts' ``written_bare``, made once by a caller that shows many terms of one pair; it is
    read only when no spelling is the same on both sides."""
    if "_" not in term and term not in query.alone and term not in target.alone:
        return None  # only a piece of different words on both sides
    qv = sorted(query.variants.get(term, ()))
    tv = sorted(target.variants.get(term, ()))
    pairs = [(x, y) for x in qv for y in tv if x == y]
    if not pairs:
        q_bare, t_bare = (
            bare()
            if bare is not None
            else (written_bare(query, query_lang), written_bare(target, target_lang))
        )
        pairs = [(x, y) for x in qv for y in tv if forms_agree(x, y, q_bare, t_bare)]
        if not pairs and not (q_bare and t_bare) and _in_shared_run(term, query, target):
            pairs = [(x, y) for x in qv for y in tv if forms_agree(x, y)]
    if not pairs:
        return None
    # the same spelling on both sides first, then an accented one over a bare one
    x, y = min(pairs, key=lambda p: (p[0] != p[1], -_accented(p[0]) - _accented(p[1])))
    if "_" not in term and ({x, y} & EXPLANATION_FILLERS):
        return None
    return x, y


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
    text: str,
    lang: str,
    bridge: TermBridge | None,
    use_segmenter: bool = True,
    analysis: Analyzed | None = None,
) -> tuple[frozenset[str], dict[str, str]]:
    """All terms of a record's text, concept terms included, and their written forms.
    ``analysis``: ``analyze(text, lang, use_segmenter)`` made before (e.g. stored)."""
    a = analysis if analysis is not None else analyze(text, lang, use_segmenter)
    forms = dict(a.forms)
    terms = set(a.terms)
    if bridge:
        for concept, name in bridge.concepts(a.syllables).items():
            terms.add(concept)
            forms[concept] = name
    return frozenset(terms), forms


def with_concepts(a: Analyzed, bridge: TermBridge | None) -> frozenset[str]:
    """The terms of an analysis and the bridge concepts its syllables contain (the terms
    :func:`record_terms` gives, without the written forms)."""
    if not bridge:
        return a.terms
    found = bridge.concepts(a.syllables)
    return a.terms | frozenset(found) if found else a.terms


# --- stored analyses --------------------------------------------------------------------------
#
# A caller that keeps analyses between runs (the app keeps every candidate's, keyed by a hash
# of its text) stores ``encode_analysis(analyze(text, lang))`` with ``analysis_fingerprint()``
# and gives ``decode_analysis`` of it back to ``MatchIndex(analyses=...)``; a stored analysis
# whose fingerprint differs from the current one is made again.

# Raise it for a change of analysis the probe below would not show (``analyze``, ``Analyzed``
# or the encoding). The probe's analyses are part of the fingerprint, so a retrained segmenter
# or a new folding rule changes it by itself.
ANALYZER_VERSION = 1
_PROBE = (
    ("Máy sấy cà phê năng lượng mặt trời cho hợp tác xã; kiểm soát nhiệt độ, tiết kiệm 30%.", ""),
    ("Thủy lợi, thuỷ lợi, kĩ thuật, kỹ thuật, qui định — chuyển giao công nghệ bán dẫn.", "vi"),
    ("Solar dryer for cocoa (TRL 7), patent WO2023/123456, CRISPR-Cas9 and 5G sensors.", "en"),
)


def analysis_fingerprint(use_segmenter: bool = True) -> str:
    """The identity of the analysis ``analyze`` makes now (version and probe), to store
    with analyses made by it."""
    return _fingerprint(use_segmenter)


@lru_cache(maxsize=2)
def _fingerprint(use_segmenter: bool) -> str:
    digest = hashlib.sha256(f"{ANALYZER_VERSION}:{int(use_segmenter)}".encode())
    for text, lang in _PROBE:
        digest.update(encode_analysis(_analyze_uncached(text, lang, use_segmenter)).encode())
        digest.update(b"\x1e")
    return f"{ANALYZER_VERSION}-{digest.hexdigest()[:16]}"


def _analyze_uncached(text: str, lang: str, use_segmenter: bool) -> Analyzed:
    return analyze.__wrapped__(text, lang, use_segmenter)


_ALONE = "*"  # marks a term that stands as a word of its own (terms are letters, digits, "_")


def encode_analysis(a: Analyzed) -> str:
    """A compact text of an analysis (JSON): the syllables, then each term, sorted, as
    ``"term"`` when it is written only as itself, ``["term", form]`` when only as its first
    form, else ``["term", form, every variant…]``; a leading ``*`` marks a term in ``alone``."""
    items: list[str | list[str]] = []
    for t in sorted(a.terms):
        name = _ALONE + t if t in a.alone else t
        form = a.forms[t]
        variants = a.variants.get(t, frozenset())
        if variants == {form}:
            items.append(name if form == t else [name, form])
        else:
            items.append([name, form, *sorted(variants)])
    return json.dumps([" ".join(a.syllables), items], ensure_ascii=False, separators=(",", ":"))


# Written forms repeat across records: one frozenset (and one string) per distinct form.
_SINGLE: dict[str, frozenset[str]] = {}


def decode_analysis(data: str) -> Analyzed:
    """The analysis ``encode_analysis`` wrote (equal to the one it was made from)."""
    syl, items = json.loads(data)
    terms: list[str] = []
    forms: dict[str, str] = {}
    variants: dict[str, frozenset[str]] = {}
    alone: list[str] = []
    single = _SINGLE
    for item in items:
        if isinstance(item, str):
            name, form, rest = item, "", []
        else:
            name, form, *rest = item
        if name[0] == _ALONE:
            name = name[1:]
            alone.append(name)
        if isinstance(item, str):
            form = name
        terms.append(name)
        forms[name] = form
        if rest:
            variants[name] = frozenset(rest)
        else:
            fs = single.get(form)
            if fs is None:
                if len(single) > 500_000:
                    single.clear()
                fs = single[form] = frozenset((form,))
            variants[name] = fs
    return Analyzed(
        frozenset(terms), forms, tuple(syl.split(" ")) if syl else (), variants, frozenset(alone)
    )
