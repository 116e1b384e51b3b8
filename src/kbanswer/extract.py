"""Extractive answers: which sentences of the retrieved passages answer a question, and when
the passages do not support an answer at all.

Each sentence of the candidate passages gets

* ``lexical``: the idf-weighted share of the question's content terms it contains, idf taken
  over the candidate sentences themselves (a term every sentence has says nothing), plus a
  share for the question's bigrams found as written;
* ``semantic``: the cosine between the question's and the sentence's embeddings, when the
  caller gives them (the only signal an English question has over Vietnamese text, besides
  names and numbers);
* ``cue``: whether it holds what the question's wording expects — a number for "bao nhiêu",
  a date or year for "khi nào", a name for "ai", a place for "ở đâu";
* ``retrieval``: its passage's retrieval score relative to the best candidate's, and its rank.

``score`` (for ordering) mixes all four; ``support`` (for abstention) weighs the first three
with weights of its own and leaves out the relative retrieval part, which is 1 for the best
passage whatever it says. The answer is abstained when
the best sentence's support is under the threshold for the question's language; the
thresholds and weights are calibrated on a development half of the public QA sets
(bench/kb/answer.py, docs/kb.md). The text is never composed: every answer is sentences of
the sources, as written, with their spans.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from kbanswer.question import STOPWORDS as _STOP
from kbanswer.question import (
    Expect,
    Question,
    analyze,
    bridged,
    code_parts,
    part_of,
    sense_spans,
    words,
)
from vntext import find_dates, sentences

_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")
_NUMBER_WORDS = frozenset(
    [
        "mot",
        "hai",
        "ba",
        "bon",
        "nam",
        "sau",
        "bay",
        "tam",
        "chin",
        "muoi",
        "tram",
        "nghin",
        "ngan",
        "trieu",
        "ti",
        "ty",
        "chuc",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "hundred",
        "thousand",
        "million",
        "billion",
        "nua",
        "half",
    ]
)
_TIME_WORDS = frozenset(["nam", "thang", "ngay", "the", "ki", "thap", "nien", "quy", "hoc", "ki"])
# Units of a duration ("5 năm", "ba tháng", "two years"), folded.
_DURATION_WORDS = frozenset(
    [
        *("nam", "thang", "ngay", "tuan", "gio", "phut", "ki", "nhiem"),
        *("year", "years", "month", "months", "week", "weeks", "day", "days", "hours", "decade"),
    ]
)
_REASON_WORDS = frozenset(["vi", "do", "boi", "nham", "de", "because", "since", "due"])
_DEFINITION_WORDS = frozenset(["la", "duoc", "goi", "gom", "bao"])
_NAME = re.compile(r"(?<![\w])[A-ZÀ-ỸĐ][\w]+(?:[ -][A-ZÀ-ỸĐ][\w]+)*")
_REFERENCE = re.compile(r"\d+(?:/\d{4})?/[a-z]")  # folded "45/qd-bkhcn", "12/2019/tt-bkhcn"
# Labels of a document's parts and numbers: no answer by themselves ("Số: 112/QĐ-BKHCN").
_LABEL_WORDS = frozenset(["so", "dieu", "khoan", "diem", "muc", "chuong", "phan", "no", "article"])
_ENUMERATION = re.compile(r"^\s*(?:\d{1,2}|[a-zđ])[.)]\s+")  # "2. ", "a) "
MAX_SENTENCE_CHARS = 600  # a longer "sentence" (a table, a run-on list) is cut at a clause


@dataclass(frozen=True)
class Candidate:
    """One retrieved passage: what the caller knows of it."""

    key: str  # the caller's id of the passage
    text: str
    score: float = 0.0  # retrieval score (any scale; only ratios to the best are used)
    document: str = ""
    title: str = ""
    page: int | None = None
    label: str = ""  # article, clause ("Điều 5") or section
    offset: int = 0  # where the passage starts in its document's text
    # Embeddings of the passage's sentences, in the order ``split`` gives them (optional).
    sentence_vectors: NDArray[np.float32] | None = None
    # What else names the passage's document (its number): a question that names the
    # document ("Quyết định 112/QĐ-BKHCN …") names each of its passages.
    context: str = ""


@dataclass(frozen=True)
class Config:
    w_lexical: float = 0.55
    w_bigram: float = 0.15
    w_semantic: float = 1.0
    w_cue: float = 0.12
    w_retrieval: float = 0.25
    w_rank: float = 0.1
    semantic_floor: float = 0.78  # cosines below this count as nothing (e5's baseline)
    # Support (abstention) weighs the same components its own way: what orders sentences
    # well is not what tells an answer from a near miss.
    a_lexical: float = 1.0
    a_bigram: float = 0.5
    a_semantic: float = 1.0
    a_cue: float = 0.25
    # For a question in another language only names and numbers overlap lexically: its
    # support leans on the embeddings instead.
    a_lexical_foreign: float = 0.5
    a_semantic_foreign: float = 1.0
    abstain_below: float = 0.35  # support under this: abstain (Vietnamese questions)
    abstain_below_foreign: float = 0.1  # the same for questions in another language
    # Cross-lingual alignment in the ordering: the mean over the question's terms of how
    # close each term's embedding is to the sentence's (only when term vectors are given).
    w_aligned: float = 0.0
    align_floor: float = 0.75
    # The answerability check: a logistic weighting of the best sentence's CHECK_FEATURES,
    # one per question language; when given it replaces the support threshold: the answer is
    # abstained when the probability that the best sentence answers is under check_below.
    check: tuple[float, ...] = ()
    check_foreign: tuple[float, ...] = ()
    check_below: float = 0.5
    check_below_foreign: float = 0.5
    max_supports: int = 3
    keep_ratio: float = 0.9  # further sentences need this share of the best one's score
    max_chars: int = 600  # the answer's sentences together stay under this
    closest: int = 3  # passages shown when abstaining


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    start: int  # span of the sentence in the passage's text
    end: int
    lexical: float
    bigram: float
    semantic: float | None
    cue: float
    retrieval: float
    rank: int
    score: float
    support: float
    context: float = 0.0  # idf share of the terms in the sentence and its neighbours
    passage: float = 0.0  # idf share of the terms in the whole passage
    names: float = 1.0  # share of the question's names and numbers near it (1: it names none)
    aligned: float = 0.0  # cross-lingual term alignment, 0–1 (term vectors given)

    @property
    def text(self) -> str:
        return self.candidate.text[self.start : self.end]


@dataclass(frozen=True)
class Answer:
    question: Question
    supports: list[Scored]  # best first; empty when abstained
    abstained: bool
    confidence: float  # the best sentence's support
    closest: list[Candidate] = field(default_factory=list)  # shown when abstaining
    ranked: list[Scored] = field(default_factory=list)  # every sentence, best first


def split(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a passage (vntext's rules), stripped; an over-long one is cut after
    ";" or ":" so an answer stays readable."""
    return list(_split(text))


@lru_cache(maxsize=8192)
def _split(text: str) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for start, end in sentences(text):
        while end - start > MAX_SENTENCE_CHARS:
            window = text[start : start + MAX_SENTENCE_CHARS]
            cut = max(window.rfind("; "), window.rfind(": "), window.rfind(", "))
            if cut < MAX_SENTENCE_CHARS // 3:
                break
            out.append((start, start + cut + 1))
            start += cut + 2
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return tuple(out)


@lru_cache(maxsize=65536)
def _facts(sentence: str) -> tuple[bool, bool, tuple[str, ...]]:
    """Whether a sentence has a digit, a year or date, and its capitalised names (not at its
    start), folded. Cached: the same sentences come back for many questions."""
    digit = _DIGIT.search(sentence) is not None
    dated = digit and (_YEAR.search(sentence) is not None or bool(find_dates(sentence)))
    names = tuple(" ".join(words(m.group(0))) for m in _NAME.finditer(sentence) if m.start())
    return digit, dated, names


def cue_score(expect: Expect, sentence: str, folded: Sequence[str], question: str) -> float:
    """1 when the sentence holds what the question expects, 0 when it does not, ½ when the
    question expects nothing in particular. A list item's label ("4. Chủ dự án: …") is no
    number the question could ask for."""
    if expect is Expect.NONE or expect is Expect.LIST:
        return 0.5
    present = set(folded)
    digit, dated, names = _facts(sentence)
    if digit and _ENUMERATION.match(sentence):
        digit, dated, _ = _facts(_ENUMERATION.sub("", sentence, count=1))
    if expect is Expect.NUMBER:
        return 1.0 if digit or present & _NUMBER_WORDS else 0.0
    if expect is Expect.DURATION:
        counted = digit or bool(present & _NUMBER_WORDS)
        unit = bool(present & _DURATION_WORDS)
        return 1.0 if counted and unit else 0.5 if counted or unit else 0.0
    if expect is Expect.DATE:
        if dated:
            return 1.0
        return 0.5 if present & _TIME_WORDS else 0.0
    if expect in (Expect.PERSON, Expect.PLACE):
        asked = set(words(question))
        # a capitalised name not already in the question
        return 1.0 if any(not set(n.split()) <= asked for n in names) else 0.0
    if expect is Expect.REASON:
        return 1.0 if present & _REASON_WORDS else 0.0
    if expect is Expect.DEFINITION:
        return 1.0 if present & _DEFINITION_WORDS else 0.0
    if expect is Expect.REFERENCE:
        asked = set(words(question))
        # a legal document's number ("45/QĐ-BKHCN") other than the ones the question names
        return 1.0 if any(_REFERENCE.match(w) and w not in asked for w in folded) else 0.0
    return 0.5


def _idf(n_docs: int, df: int) -> float:
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def score_sentences(
    question: Question | str,
    candidates: Sequence[Candidate],
    *,
    question_vector: NDArray[np.float32] | None = None,
    term_vectors: Mapping[str, NDArray[np.float32]] | None = None,
    config: Config | None = None,
) -> list[Scored]:
    """Every sentence of the candidates, scored, best first.

    ``term_vectors``: embeddings of some of the question's terms (``query:`` side), for an
    English question over Vietnamese text the words that are not names or numbers; each
    sentence's ``aligned`` is the mean over them of the term's cosine with the sentence above
    ``align_floor``, scaled to 0–1."""
    cfg = config or Config()
    q = analyze(question) if isinstance(question, str) else question
    pieces: list[tuple[int, Candidate, int, int, list[str], NDArray[np.float32] | None]] = []
    for rank, cand in enumerate(candidates):
        spans = split(cand.text)
        vecs = cand.sentence_vectors
        if vecs is not None and len(vecs) != len(spans):
            vecs = None  # embedded with other boundaries: do not guess which is which
        for i, (s, e) in enumerate(spans):
            vec = vecs[i] if vecs is not None else None
            pieces.append((rank, cand, s, e, words(cand.text[s:e]), vec))
    if not pieces:
        return []
    terms = q.lexical_terms
    n = len(pieces)
    df = dict.fromkeys(terms, 0)
    # a code's pieces are found too: "IPP3" in "IPP3-VN-2025-01"
    sets = [set(ws) | {p for w in ws for p in code_parts(w)} for *_, ws, _ in pieces]
    if q.bridge:  # an English question's translated terms, found by their renderings
        sets = [
            present | bridged(q, present, ws)
            for present, (*_, ws, _) in zip(sets, pieces, strict=True)
        ]
    for present in sets:
        for t in terms:
            if t in present:
                df[t] += 1
    weight = {t: _idf(n, df[t]) for t in terms}
    total = sum(weight.values())
    bigrams = q.bigrams if not q.foreign else ()
    top_retrieval = max((c.score for c in candidates), default=0.0) or 1.0
    qv = None
    if question_vector is not None:
        qv = np.asarray(question_vector, dtype=np.float32)
        qv = qv / (float(np.linalg.norm(qv)) or 1.0)
    tv: NDArray[np.float32] | None = None
    if term_vectors:
        rows = [np.asarray(v, dtype=np.float32) for v in term_vectors.values()]
        tv = np.stack([r / (float(np.linalg.norm(r)) or 1.0) for r in rows])
    by_passage: dict[int, set[str]] = {}
    # What names each candidate document: its title and context, and the numbers and codes
    # of its passages among the candidates ("IPP3-VN-2025-01"). A number or code the question
    # gives is near every sentence of the document it names.
    by_document: dict[str, set[str]] = {}
    for (rank, cand, *_), present in zip(pieces, sets, strict=True):
        by_passage.setdefault(rank, set()).update(present)
        if cand.document:
            coded = {w for w in present if _DIGIT.search(w)}
            coded |= {p for w in coded for p in code_parts(w)}
            by_document.setdefault(cand.document, set()).update(coded)
    # The words of each candidate document's title: a question that names the document
    # ("Dự án IPP3 …", "Quyết định 112/QĐ-BKHCN …") asks about what the title says it is, so
    # the title's words are each of its sentences' as much as its number is ("dự án" for
    # the clause "7. Tổng kinh phí: …" of the decision approving the project).
    by_title: dict[str, set[str]] = {}
    for cand in candidates:
        if cand.document:
            own = words(f"{cand.title} {cand.context}")
            by_document.setdefault(cand.document, set()).update(
                own, (p for w in own for p in code_parts(w))
            )
            titled = words(cand.title)
            found = set(titled) | bridged(q, set(titled), titled)
            by_title.setdefault(cand.document, set()).update(found)
    names = set(q.names)

    def share(present: set[str]) -> float:
        return sum(weight[t] for t in terms if t in present) / total if total else 0.0

    out: list[Scored] = []
    for i, ((rank, cand, s, e, ws, vec), present) in enumerate(zip(pieces, sets, strict=True)):
        near = set(present)
        for j in (i - 1, i + 1):
            if 0 <= j < n and pieces[j][0] == rank:
                near |= sets[j]
        # The question's names and numbers that name this sentence's document ("Quyết định
        # 112/QĐ-BKHCN" for each sentence of that decision: "Quyết định này thay thế …") are
        # the sentence's own words as much as those it writes out.
        named_doc = names & by_document.get(cand.document, set())
        if named_doc:
            named_doc |= by_title.get(cand.document, set()) & set(terms)
        context = share(near | named_doc)
        passage = share(by_passage[rank] | named_doc)
        around = near | by_document.get(cand.document, set()) if cand.document else near
        # a name the lexicon translates ("MoU" → "bản ghi nhớ") is near as its rendering too
        named = (
            sum(1 for w in names if w in around or f"~{w}" in around) / len(names) if names else 1.0
        )
        lex = share(present | named_doc)
        big = 0.0
        if bigrams:
            joined = " " + " ".join(ws) + " "
            big = sum(1 for b in bigrams if f" {b} " in joined) / len(bigrams)
        sem: float | None = None
        sem_part = 0.0
        if qv is not None and vec is not None:
            v = np.asarray(vec, dtype=np.float32)
            sem = float(v @ qv) / (float(np.linalg.norm(v)) or 1.0)
            sem_part = max(0.0, sem - cfg.semantic_floor) / (1.0 - cfg.semantic_floor)
        aligned = 0.0
        if tv is not None and vec is not None:
            v = np.asarray(vec, dtype=np.float32)
            cos = tv @ (v / (float(np.linalg.norm(v)) or 1.0))
            lifted = np.maximum(0.0, cos - cfg.align_floor) / (1.0 - cfg.align_floor)
            aligned = float(lifted.mean())
        cue = cue_score(q.expect, cand.text[s:e], ws, q.text)
        ret = max(0.0, cand.score) / top_retrieval
        support = (
            (cfg.a_lexical_foreign if q.foreign else cfg.a_lexical) * lex
            + cfg.a_bigram * big
            + (cfg.a_semantic_foreign if q.foreign else cfg.a_semantic) * sem_part
            + cfg.a_cue * (cue - 0.5)
        )
        score = (
            cfg.w_lexical * lex
            + cfg.w_bigram * big
            + cfg.w_semantic * sem_part
            + cfg.w_cue * (cue - 0.5)
            + cfg.w_retrieval * ret
            + cfg.w_rank / (1 + rank)
            + cfg.w_aligned * aligned
        )
        out.append(
            Scored(
                cand,
                s,
                e,
                lex,
                big,
                sem,
                cue,
                ret,
                rank,
                score,
                support,
                context=context,
                passage=passage,
                names=named,
                aligned=aligned,
            )
        )
    out.sort(key=lambda x: (-x.score, x.rank, x.start))
    return out


def answer(
    question: Question | str,
    candidates: Sequence[Candidate],
    *,
    question_vector: NDArray[np.float32] | None = None,
    term_vectors: Mapping[str, NDArray[np.float32]] | None = None,
    config: Config | None = None,
) -> Answer:
    """The supporting sentences of the candidates for a question, or an abstention."""
    cfg = config or Config()
    q = analyze(question) if isinstance(question, str) else question
    ranked = score_sentences(
        q, candidates, question_vector=question_vector, term_vectors=term_vectors, config=cfg
    )
    closest = list(candidates[: cfg.closest])
    # A sentence that only repeats what the question names is no answer to it.
    eligible = [s for s in ranked if not anchored_only(q, s)]
    if not eligible or not q.terms:
        return Answer(q, [], True, 0.0, closest, ranked)
    best = eligible[0]
    threshold = cfg.abstain_below_foreign if q.foreign else cfg.abstain_below
    weights = cfg.check_foreign if q.foreign else cfg.check
    if weights:
        confidence = answerability(check_inputs(q, ranked, best), weights)
        if confidence < (cfg.check_below_foreign if q.foreign else cfg.check_below):
            return Answer(q, [], True, confidence, closest, ranked)
    elif best.support < threshold:
        return Answer(q, [], True, best.support, closest, ranked)
    else:
        confidence = best.support
    chosen = [best]
    used = best.end - best.start
    for s in eligible[1:]:
        if len(chosen) >= cfg.max_supports or s.score < cfg.keep_ratio * best.score:
            break
        if (not weights and s.support < threshold) or used + (s.end - s.start) > cfg.max_chars:
            continue
        if _names_another(q, best, s):
            continue
        chosen.append(s)
        used += s.end - s.start
    return Answer(q, chosen, False, confidence, [], ranked)


def _names_another(q: Question, best: Scored, s: Scored) -> bool:
    """Whether ``s`` is from another document than the answer's first sentence while the
    question names something (a partner, a number) that ``s`` is not near, as the first
    one is: "the memorandum with KIST" is not answered further by KISTI's memorandum."""
    doc = best.candidate.document
    return (
        bool(q.names and doc and s.candidate.document and s.candidate.document != doc)
        and s.names < best.names
    )


_EXPECTS_A_VALUE = frozenset(
    [Expect.NUMBER, Expect.DURATION, Expect.DATE, Expect.PERSON, Expect.PLACE, Expect.REFERENCE]
)


def anchored_only(q: Question, s: Scored) -> bool:
    """Whether a sentence's only support is the question's own names and numbers (its
    anchor), with nothing beyond them that could answer: the header line "Số: 112/QĐ-BKHCN"
    for "Which decision does Decision 112/QĐ-BKHCN replace?", the project's code for "What is
    the budget of the IPP3 project?". Such a sentence holds none of the question's other
    terms, and either says nothing but the anchor (and labels: "Số", "Điều") or lacks, once
    the anchor is left out, what the question expects (a number, date, name, place, another
    document's number)."""
    anchors = q.names
    if not anchors:
        return False
    ws = words(s.text)
    present = set(ws) | {p for w in ws for p in code_parts(w)}
    present |= bridged(q, present, ws)
    matched = {t for t in q.lexical_terms if t in present}
    of_anchor = [any(part_of(t, a) or part_of(a, t) for a in anchors) for t in matched]
    if not any(of_anchor):
        return False  # it holds none of the anchor
    if not all(of_anchor) and not q.foreign:
        return False  # it holds some of the question's other terms
    # A question in another language meets its other terms through the lexicon, whose senses
    # are looser ("project" → "dự án" in "Mã số dự án"): they do not save a sentence that,
    # the anchor left out, lacks what the question expects.

    def anchor(w: str) -> bool:
        return any(part_of(a, w) for a in anchors)

    novel = [
        w
        for w in ws
        if w not in _STOP and w not in _LABEL_WORDS and not anchor(w) and w not in q.terms
    ]
    if not novel and all(of_anchor):
        return True
    if q.expect not in _EXPECTS_A_VALUE:
        return False
    text = _ENUMERATION.sub("", s.text)
    kept = [tok for tok in _WORD_SPAN.finditer(text) if not anchor(" ".join(words(tok.group(0))))]
    rest = " ".join(tok.group(0) for tok in kept)
    return cue_score(q.expect, rest, words(rest), q.text) == 0.0


_WORD_SPAN = re.compile(r"[^\W_]+(?:[./-][^\W_]+)*")


# What the answerability check weighs, of the best sentence (in this order; the first is
# the intercept). ``semantic_gap``: its cosine above the median of the candidate sentences'
# (an out-of-corpus question meets sentences that are all about as close); ``margin``: its
# score above the best sentence of another passage (of its own passage's next sentence when
# no other passage is a candidate); ``expected``: the question expects a
# number, date, name, place or reason (then ``cue`` says whether the sentence has it).
CHECK_FEATURES = (
    "bias",
    "lexical",
    "bigram",
    "semantic",
    "cue",
    "expected",
    "context",
    "passage",
    "names",
    "aligned",
    "semantic_gap",
    "margin",
)


def check_features(
    q: Question, ranked: Sequence[Scored], config: Config | None = None
) -> list[float]:
    """The answerability check's inputs for a question's ranked sentences (best first)."""
    cfg = config or Config()
    best = ranked[0]
    sem_part = 0.0
    gap = 0.0
    if best.semantic is not None:
        sem_part = max(0.0, best.semantic - cfg.semantic_floor) / (1.0 - cfg.semantic_floor)
        cosines = sorted(s.semantic for s in ranked if s.semantic is not None)
        gap = best.semantic - cosines[len(cosines) // 2]
    # The best sentence of another passage; when the passage is the only candidate (a small
    # knowledge base), its own next sentence: a lone passage is no tie with itself.
    other = next((s.score for s in ranked if s.rank != best.rank), None)
    if other is None:
        other = ranked[1].score if len(ranked) > 1 else best.score
    expected = q.expect not in (Expect.NONE, Expect.LIST, Expect.DEFINITION)
    return [
        1.0,
        best.lexical,
        best.bigram,
        sem_part,
        best.cue - 0.5,
        1.0 if expected else 0.0,
        best.context,
        best.passage,
        best.names,
        best.aligned,
        gap,
        best.score - other,
    ]


def lead_sentence(q: Question, ranked: Sequence[Scored]) -> Scored | None:
    """The sentence ``answer`` leads with: the best one that is not only the question's own
    names and numbers (None: it abstains whatever the check says)."""
    if not q.terms:
        return None
    return next((s for s in ranked if not anchored_only(q, s)), None)


def check_inputs(q: Question, ranked: Sequence[Scored], best: Scored) -> list[float]:
    """The answerability check's inputs exactly as ``answer`` computes them: ``best`` (its
    lead sentence) first, then the other ranked sentences; ``check_features`` with the
    default configuration (its ``semantic_floor``), whatever the ordering's configuration.
    The bench fits the check on these, so the weights it ships read the same numbers.

    The margin is taken over the sentences that could answer instead of the lead
    (``_rivals``): not one passed over as no answer (``anchored_only``), not one that, the
    question's names and numbers left out, lacks what it expects ("Mã số dự án:
    IPP3-VN-2025-01." for the project's budget), not one of another document that is less
    near what the question names (the KISTI memorandum's budget for the IPP3 project's), and
    not one that says what the lead says (the same statement in another passage or source
    agrees with the lead; it does not compete with it). When only such sentences are left
    the passages are as one: the lead's own passage's next sentence is the rival; when none
    is left at all, the weakest candidate sentence."""
    features = check_features(q, [best, *(s for s in ranked if s is not best)])
    rivals = [s for s in ranked if s is not best and _rivals(q, best, s)]
    rival = next((s for s in rivals if s.rank != best.rank), None)
    if rival is None and all(s.rank == best.rank for s in ranked if _rivals(q, best, s)):
        # a lone candidate passage (a small knowledge base) is no tie with itself: its own
        # next sentence that could lead is the rival (as ``check_features`` reads it)
        rival = next(iter(rivals), None)
    if rival is None and len(ranked) > 1 and not rivals:
        # nothing else could answer: the lead's margin is over the weakest candidate sentence
        rival = min(ranked, key=lambda x: x.score)
    features[CHECK_FEATURES.index("margin")] = best.score - (
        rival.score if rival is not None else best.score
    )
    return features


def _rivals(q: Question, best: Scored, s: Scored) -> bool:
    """Whether ``s`` could answer the question instead of ``best`` (``check_inputs``)."""
    if anchored_only(q, s) or _names_another(q, best, s) or _no_value_but_anchor(q, s):
        return False
    if _only_its_document(q, best, s):
        return False
    return s.candidate.key == best.candidate.key or not same_statement(best.text, s.text)


def _only_its_document(q: Question, best: Scored, s: Scored) -> bool:
    """Whether ``s``, of the lead's own document, holds none of the question's terms but
    what names that document (its number, its code: counted in each of its sentences):
    "6. Thời gian thực hiện: …" of the IPP3 project's decision says nothing of its budget."""
    doc = best.candidate.document
    if not q.names or not doc or s.candidate.document != doc or s.names == 0.0:
        return False  # the question names nothing of the document: nothing is borrowed
    ws = words(s.text)
    present = set(ws) | {p for w in ws for p in code_parts(w)}
    present |= bridged(q, present, ws)
    own = [t for t in q.lexical_terms if t in present]
    return not any(not any(part_of(t, a) or part_of(a, t) for a in q.names) for t in own)


def _no_value_but_anchor(q: Question, s: Scored) -> bool:
    """Whether the question expects a value (a number, a date…) that the sentence holds only
    as the question's own names and numbers: "2. Mã số dự án: IPP3-VN-2025-01." has no
    amount for "Dự án IPP3 có tổng kinh phí bao nhiêu?" once "IPP3" is left out."""
    if not q.names or q.expect not in _EXPECTS_A_VALUE or s.cue == 0.0:
        return False
    anchors = q.names

    def anchor(w: str) -> bool:
        return any(part_of(a, w) for a in anchors)

    text = _ENUMERATION.sub("", s.text)
    tokens_ = [tok.group(0) for tok in _WORD_SPAN.finditer(text)]
    if not any(anchor(" ".join(words(t))) for t in tokens_):
        return False
    rest = " ".join(t for t in tokens_ if not anchor(" ".join(words(t))))
    return cue_score(q.expect, rest, words(rest), q.text) == 0.0


SAME_RUN = 4  # words: shorter common runs are phrasing, not a shared statement
SAME_SHARE = 0.4  # of the shorter sentence's words in such runs: the same statement


@lru_cache(maxsize=8192)
def same_statement(a: str, b: str) -> bool:
    """Whether two sentences say the same thing: the words of the shorter one stand, in
    runs of at least ``SAME_RUN`` in the same order, for at least ``SAME_SHARE`` of it in
    the other (folded: a decision's title quoted by two reports, a paragraph copied into
    another document)."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return False
    matcher = SequenceMatcher(None, wa, wb, autojunk=False)
    shared = sum(m.size for m in matcher.get_matching_blocks() if m.size >= SAME_RUN)
    return shared >= SAME_SHARE * min(len(wa), len(wb))


def answerability(features: Sequence[float], weights: Sequence[float]) -> float:
    """The logistic probability that the best sentence answers (weights from the bench)."""
    z = sum(f * w for f, w in zip(features, weights, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


# --- the answer's span and the question's terms in it -----------------------------------

_TOKEN = re.compile(r"[^\W_]+(?:[./-][^\W_]+)*")
_CLAUSE = re.compile(r"\s*(?:[,;:()]|\s[–-]\s)\s*")


def tokens(text: str) -> list[tuple[int, int, str]]:
    """The words of a text with their spans, each folded as ``words`` folds it."""
    out = []
    for m in _TOKEN.finditer(text):
        folded = words(m.group(0))
        if folded:
            out.append((m.start(), m.end(), " ".join(folded)))
    return out


def answer_span(question: Question | str, text: str) -> tuple[int, int]:
    """The shortest part of an answer sentence that answers, as a span of ``text``: of its
    clauses (cut at , ; : ( ) and dashes) the one that holds what the question expects (a
    number, date, name…) and most of the question's terms around it; in that clause, the
    run of words the question does not have (stop words trimmed from its ends) that holds
    the expected kind and touches one of the question's words. The whole sentence when every
    word is the question's."""
    q = analyze(question) if isinstance(question, str) else question
    asked = set(q.terms) | set(q.names) | set(q.foreign_terms)
    bounds = [0]
    for cut in _CLAUSE.finditer(text):
        bounds.extend([cut.start(), cut.end()])
    bounds.append(len(text))
    clauses = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    toks = tokens(text)

    def folded(ts: Sequence[tuple[int, int, str]]) -> list[str]:
        return [w for t in ts for w in t[2].split()]

    best: tuple[float, list[tuple[int, int, str]]] | None = None
    for n, (a, b) in enumerate(clauses):
        inside = [t for t in toks if t[0] >= a and t[1] <= b]
        if not any(t[2] not in asked and t[2] not in _STOP for t in inside):
            continue
        near = set(folded(inside))
        for m in (n - 1, n + 1):
            if 0 <= m < len(clauses):
                near |= set(folded([t for t in toks if clauses[m][0] <= t[0] < clauses[m][1]]))
        hits = len(asked & near) / len(asked) if asked else 0.0
        value = cue_score(q.expect, text[a:b], folded(inside), q.text) + hits
        if best is None or value > best[0]:
            best = (value, inside)
    if best is None:
        return 0, len(text)
    inside = best[1]
    runs: list[tuple[float, int, int]] = []
    i = 0
    while i < len(inside):
        if inside[i][2] in asked:
            i += 1
            continue
        j = i
        while j + 1 < len(inside) and inside[j + 1][2] not in asked:
            j += 1
        lo, hi = i, j
        while lo <= hi and inside[lo][2] in _STOP:
            lo += 1
        while hi >= lo and inside[hi][2] in _STOP:
            hi -= 1
        if lo <= hi:
            part = inside[lo : hi + 1]
            a, b = part[0][0], part[-1][1]
            touches = (i > 0) or (j + 1 < len(inside))
            cue = cue_score(q.expect, text[a:b], folded(part), q.text)
            runs.append((2 * cue + touches - 0.02 * len(part), a, b))
        i = j + 1
    if not runs:
        return inside[0][0], inside[-1][1]
    _, a, b = max(runs, key=lambda r: r[0])
    return a, b


# The words of a sentence an English question's terms are compared with (``mark_grams``):
# each one not seen before is an embedding at question time (about 11 ms on a quiet machine),
# so a long sentence is cut to its first ``MARK_GRAMS`` (the unigrams and bigrams of about
# its first 14 syllables past the stop words; bench/kb/ask_latency.py).
MARK_GRAMS = 24


def mark_grams(
    question: Question | str, text: str, *, limit: int = MARK_GRAMS
) -> list[tuple[int, int]]:
    """The spans of ``text`` that ``marks`` embeds for an English question: its words of one
    or two syllables with no stop word at either end, other than the names and numbers
    already marked, in order, at most ``limit`` of them (none for a Vietnamese question, or
    when fewer than three: a median of one or two words says nothing)."""
    q = analyze(question) if isinstance(question, str) else question
    if not q.foreign:
        return []
    toks = tokens(text)
    marked = set(_plain_marks(q, text, toks))
    grams: list[tuple[int, int]] = []
    for i, (a, b, w) in enumerate(toks):
        if w in _STOP or (a, b) in marked:
            continue
        grams.append((a, b))
        if i + 1 < len(toks) and toks[i + 1][2] not in _STOP:
            c, d = toks[i + 1][0], toks[i + 1][1]
            if text[b:c].strip() == "":
                grams.append((a, d))
    return grams[:limit] if len(grams) >= 3 else []


def _plain_marks(q: Question, text: str, toks: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """The question's names and numbers (and a Vietnamese question's words) in the text."""
    wanted = set(q.names) | (set(q.foreign_terms) if q.foreign else set(q.terms))
    hit = [w in wanted for _, _, w in toks]
    # a stop word joins a mark when the two stand side by side in the question too
    # ("đoàn ra", "bảo đảm"), so the mark covers the question's words as it wrote them
    pairs = set(itertools.pairwise(words(q.text)))
    for _ in range(2):
        for i in range(len(toks)):
            if hit[i]:
                continue
            left = i > 0 and hit[i - 1] and (toks[i - 1][2], toks[i][2]) in pairs
            right = i + 1 < len(toks) and hit[i + 1] and (toks[i][2], toks[i + 1][2]) in pairs
            hit[i] = left or right
    if q.foreign and q.bridge:
        # the Vietnamese renderings of an English question's translated words, as written
        folded = [w for _, _, w in toks]
        for key, senses in q.bridge:
            for sense in senses:
                n = len(sense.split())
                for i in sense_spans(key, sense, folded):
                    hit[i : i + n] = [True] * n
    return [(a, b) for (a, b, _), h in zip(toks, hit, strict=True) if h]


def marks(
    question: Question | str,
    text: str,
    *,
    term_vectors: Mapping[str, NDArray[np.float32]] | None = None,
    embed: Callable[[list[str]], NDArray[np.float32]] | None = None,
    floor: float = 0.85,
    lead: float = 0.03,
    limit: int = MARK_GRAMS,
) -> list[tuple[int, int]]:
    """Where the question's terms are in a sentence, translation-free: its names and numbers
    (and for a Vietnamese question its words), as written; for an English question also the
    sentence's words of one or two syllables (``mark_grams``, at most ``limit``) whose
    embedding (``embed``, the same side as the term vectors) is the closest to a term's, at
    least ``floor`` close and ``lead`` above the median of the sentence's words (the
    multilingual space puts every short text fairly close to every other). Merged spans, in
    order."""
    q = analyze(question) if isinstance(question, str) else question
    toks = tokens(text)
    spans = _plain_marks(q, text, toks)
    if q.foreign and term_vectors and embed is not None and toks:
        grams = mark_grams(q, text, limit=limit)
        if grams:
            vecs = np.asarray(embed([text[a:b] for a, b in grams]), dtype=np.float32)
            vecs = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
            for tv in term_vectors.values():
                t = np.asarray(tv, dtype=np.float32)
                cos = vecs @ (t / (float(np.linalg.norm(t)) or 1.0))
                i = int(np.argmax(cos))
                if float(cos[i]) >= floor and float(cos[i] - np.median(cos)) >= lead:
                    spans.append(grams[i])
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged
