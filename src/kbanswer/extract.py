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

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from kbanswer.question import Expect, Question, analyze, words
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
_REASON_WORDS = frozenset(["vi", "do", "boi", "nham", "de", "because", "since", "due"])
_DEFINITION_WORDS = frozenset(["la", "duoc", "goi", "gom", "bao"])
_NAME = re.compile(r"(?<![\w])[A-ZÀ-ỸĐ][\w]+(?:[ -][A-ZÀ-ỸĐ][\w]+)*")
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
    question expects nothing in particular."""
    if expect is Expect.NONE or expect is Expect.LIST:
        return 0.5
    present = set(folded)
    digit, dated, names = _facts(sentence)
    if expect is Expect.NUMBER:
        return 1.0 if digit or present & _NUMBER_WORDS else 0.0
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
    return 0.5


def _idf(n_docs: int, df: int) -> float:
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def score_sentences(
    question: Question | str,
    candidates: Sequence[Candidate],
    *,
    question_vector: NDArray[np.float32] | None = None,
    config: Config | None = None,
) -> list[Scored]:
    """Every sentence of the candidates, scored, best first."""
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
    sets = [set(ws) for *_, ws, _ in pieces]
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
    out: list[Scored] = []
    for (rank, cand, s, e, ws, vec), present in zip(pieces, sets, strict=True):
        lex = sum(weight[t] for t in terms if t in present) / total if total else 0.0
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
        )
        out.append(Scored(cand, s, e, lex, big, sem, cue, ret, rank, score, support))
    out.sort(key=lambda x: (-x.score, x.rank, x.start))
    return out


def answer(
    question: Question | str,
    candidates: Sequence[Candidate],
    *,
    question_vector: NDArray[np.float32] | None = None,
    config: Config | None = None,
) -> Answer:
    """The supporting sentences of the candidates for a question, or an abstention."""
    cfg = config or Config()
    q = analyze(question) if isinstance(question, str) else question
    ranked = score_sentences(q, candidates, question_vector=question_vector, config=cfg)
    closest = list(candidates[: cfg.closest])
    if not ranked or not q.terms:
        return Answer(q, [], True, 0.0, closest, ranked)
    best = ranked[0]
    threshold = cfg.abstain_below_foreign if q.foreign else cfg.abstain_below
    if best.support < threshold:
        return Answer(q, [], True, best.support, closest, ranked)
    chosen = [best]
    used = best.end - best.start
    for s in ranked[1:]:
        if len(chosen) >= cfg.max_supports or s.score < cfg.keep_ratio * best.score:
            break
        if s.support < threshold or used + (s.end - s.start) > cfg.max_chars:
            continue
        chosen.append(s)
        used += s.end - s.start
    return Answer(q, chosen, False, best.support, [], ranked)
