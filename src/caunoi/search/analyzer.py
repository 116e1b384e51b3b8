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

Between adjacent words of a sentence, a text yields a *bigram* at their boundary ("hợp đồng
lữ hành" → ``dong+lu``): documents that have a query's words in its order rank above those
that have them apart (within a word, its compound keeps the order; docs/search.md has the
figures).

Besides the words, a text yields a term for each reference to a part of a legal text —
"Điều 5", "khoản 2", "Chương III" give ``dieu_5``, ``khoan_2``, ``chuong_iii`` — so that a
question citing an article finds it (the number alone is too common to). A document's title
counts twice (``document_terms``: a cheap field boost; a title field of its own was measured
and did not hold on the held-out sets, docs/search.md).

A query loses its *stop phrases* first — the formulae of questions that name no subject:
"đúng hay sai", "theo quy định", "được quy định như thế nào", "có được không", "là gì",
"nào sau đây" (``STOP_PHRASES``; matched folded, so typed with or without diacritics).

Terms never contain spaces (the lexical index splits on spaces only).
"""

from __future__ import annotations

import hashlib
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
BIGRAM = "+"  # joins adjacent words at their boundary ("dong+lu"): word order counts
TITLE_COPIES = 2  # the title's terms are indexed this many times before the body

# Parts of a legal text cited by number: "Điều 5", "khoản 2", "điểm a", "Chương III" (also
# typed without diacritics, but not "mức 5": only the exact unaccented spelling).
_PART_RE = re.compile(
    r"(?<![\w])(điều|khoản|điểm|chương|mục|phần|dieu|khoan|diem|chuong|muc|phan)[\s_]+(?:số[\s_]+|so[\s_]+)?"
    r"(\d{1,4}[a-zđ]?|[IVXLC]{1,6}(?![\w])|[a-zđ](?=[\s,.;:)]|$))",
    re.IGNORECASE,
)

# Formulae of questions that name no subject, folded (docs/search.md, Analyzer). Longest
# first; a query made of nothing else keeps them.
STOP_PHRASES: tuple[str, ...] = tuple(
    sorted(
        (
            "dung hay sai",
            "dung hay khong",
            "phai khong",
            "hay khong",
            "co duoc khong",
            "duoc khong",
            "theo quy dinh cua phap luat",
            "theo quy dinh hien hanh",
            "theo quy dinh",
            "duoc quy dinh nhu the nao",
            "quy dinh nhu the nao",
            "nhu the nao",
            "la gi",
            "chon cau tra loi dung nhat",
            "chon dap an dung nhat",
            "chon dap an dung",
            "nao sau day",
            "duoi day",
        ),
        key=lambda p: -len(p.split()),
    )
)
_STOP_SEQS = [tuple(p.split()) for p in STOP_PHRASES]


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


def _sentence_words(text: str) -> list[list[str]]:
    return [[w.text for w in sent.words] for sent in segment_spans(text)]


def bigrams(words: list[WordTerms]) -> list[str]:
    """A term per pair of adjacent words of one sentence, joined at their boundary — the last
    folded syllable of one and the first of the next ("hợp đồng lữ hành" → "dong+lu"; within
    a word its compound already keeps the order). A run stops at a word with no syllable
    (punctuation), so "…văn bản, đúng…" gives no "ban+dung"."""
    out: list[str] = []
    prev = ""
    for wt in words:
        if not wt.syllables:
            prev = ""
            continue
        if prev:
            out.append(prev + BIGRAM + wt.syllables[0])
        prev = wt.syllables[-1]
    return out


def legal_part_terms(text: str) -> list[str]:
    """A term per cited part of a legal text: "Điều 5" → ``dieu_5``, "khoản 2" → ``khoan_2``,
    "Chương III" → ``chuong_iii``, "điểm a" → ``diem_a``."""
    out = []
    for m in _PART_RE.finditer(normalize(text)):
        out.append(f"{search_key(m.group(1))}_{search_key(m.group(2)).lower()}")
    return out


@lru_cache(maxsize=4096)
def analyze(text: str) -> tuple[str, ...]:
    """Index terms of a text, in order (a term repeats as often as it occurs)."""
    out: list[str] = []
    for sentence in _sentence_words(text):
        terms = [word_terms(word) for word in sentence]
        for wt in terms:
            out.extend(wt.syllables)
            out.extend(wt.exact)
            if wt.compound:
                out.append(wt.compound)
            if wt.accented:
                out.append(wt.accented)
        out.extend(bigrams(terms))
    out.extend(legal_part_terms(text))
    return tuple(out)


def document_terms(title: str, body: str, extra: str = "") -> list[str]:
    """The terms indexed for a document: the title's (``TITLE_COPIES`` times), the body's
    and the hidden text's."""
    return list(analyze(title)) * TITLE_COPIES + list(analyze(body)) + list(analyze(extra))


@dataclass
class QueryGroup:
    """One query syllable: a document matches it through any of its terms.

    ``terms[0]`` is the folded syllable; the others are boosters (the compound word or the
    accented word that starts here) and, added later, typo corrections from the vocabulary.
    ``bigrams`` are the pairs this syllable starts with the next one ("lu+hanh"): the
    planner keeps those the index knows as boosters.
    """

    terms: list[str]
    syllable: str
    corrected: bool = False
    extra: list[str] = field(default_factory=list)
    bigrams: list[str] = field(default_factory=list)

    def all_terms(self) -> list[str]:
        return list(dict.fromkeys(self.terms + self.extra))


def _stop_words(words: list[WordTerms]) -> set[int]:
    """Indexes of the words that lie wholly inside a stop phrase (none if that is all)."""
    flat: list[tuple[int, str]] = [(n, s) for n, wt in enumerate(words) for s in wt.syllables]
    inside = [False] * len(flat)
    i = 0
    while i < len(flat):
        for seq in _STOP_SEQS:
            if tuple(s for _, s in flat[i : i + len(seq)]) == seq:
                for j in range(i, i + len(seq)):
                    inside[j] = True
                i += len(seq)
                break
        else:
            i += 1
    owner = [n for n, _ in flat]
    out = {n for n, wt in enumerate(words) if wt.syllables}
    for j, n in enumerate(owner):
        if not inside[j]:
            out.discard(n)
    if len(out) == sum(1 for wt in words if wt.syllables):
        return set()  # the query is nothing but a stop phrase: keep it
    return out


def analyze_query(text: str) -> list[QueryGroup]:
    """One group per distinct query syllable (stop phrases left out), then one per cited part
    of a legal text (``dieu_5``), at most ``MAX_QUERY_GROUPS``. Each group also carries the
    bigrams it starts ("lu+hanh"; not across a stop phrase, punctuation or a sentence end)."""
    groups: list[QueryGroup] = []
    by_key: dict[str, QueryGroup] = {}
    accented_query = search_key(text) != normalize(text).lower()
    words: list[WordTerms] = []
    for sentence in _sentence_words(text[:1000]):
        words.extend(word_terms(w) for w in sentence)
        words.append(WordTerms((), "", ""))  # a sentence end: no bigram across it
    stopped = _stop_words(words)
    parts = legal_part_terms(text[:1000])
    limit = MAX_QUERY_GROUPS - len(parts[:4])
    prev: QueryGroup | None = None  # the group of the previous syllable, if adjacent
    for n, wt in enumerate(words):
        if n in stopped or not wt.syllables:
            prev = None
            continue
        for i, syl in enumerate(wt.syllables):
            terms = [syl]
            if i == 0 and wt.compound:
                terms.append(wt.compound)
            if i == 0 and wt.accented:
                terms.append(wt.accented)
            if accented_query and wt.exact:
                terms.append(wt.exact[i])
            key = " ".join(terms)
            group = by_key.get(key)
            if group is None:
                if len(groups) == limit:
                    prev = None
                    break
                group = by_key[key] = QueryGroup(terms, syl)
                groups.append(group)
            if prev is not None and i == 0:  # word boundaries only, as in documents
                bigram = prev.syllable + BIGRAM + syl
                if bigram not in prev.bigrams:
                    prev.bigrams.append(bigram)
            prev = group
    for part in dict.fromkeys(parts[:4]):
        groups.append(QueryGroup([part], part))
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


# --- which analysis made the stored terms -----------------------------------------------------

# Raise it for a change of analysis that the probe below would not show. The probe catches
# most (segmentation, folding, bigrams, legal parts, stop phrases): ``fingerprint`` is the
# terms it yields, so a retrained segmenter or a new kind of term changes it by itself.
VERSION = 1
_PROBE = (
    "Hiệp định hợp tác khoa học và công nghệ giữa Việt Nam và Hàn Quốc (KIST) ký ngày "
    "15/3/2024 theo Quyết định 1851/QĐ-TTg, Điều 5 khoản 2 điểm a; kinh phí 2,5 tỷ đồng.",
    "Ông H. đề nghị P. 18 hỗ trợ chuyển giao công nghệ bán dẫn và trí tuệ nhân tạo.",
    "Thủy lợi, thuỷ lợi, kĩ thuật, kỹ thuật, qui định, quy định — hop tac quoc te.",
    "Technology transfer of solar inverters (TRL 7) from Germany, patent WO2023/123456.",
)
_PROBE_QUERY = "hợp đồng lữ hành được quy định như thế nào theo Điều 12"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """The analysis's identity, stored with every search document's terms
    (``SearchDocument.analyzer``): documents analysed by another are analysed again in the
    background (``caunoi.search.reanalysis.reanalyze``)."""
    digest = hashlib.sha256(str(VERSION).encode())
    for text in _PROBE:
        digest.update(" ".join(document_terms(text, text, text)).encode())
        digest.update(b"\x1e")
    for group in analyze_query(_PROBE_QUERY):
        digest.update(repr(sorted(vars(group).items())).encode())
    return f"{VERSION}-{digest.hexdigest()[:16]}"
