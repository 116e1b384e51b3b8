"""Ranking: lexical BM25, dense cosine and their fusion, with per-query trust.

``rank()`` is the one ranking path: the search service, the registry list search and
``caunoi eval-search`` all call it.

Query analysis adds, from the index vocabulary (the lexical index): compound words formed by
adjacent query syllables ("hop tac" → "hop_tac", useful when the query has no diacritics and
the segmenter cannot join them), and for a syllable absent from the index, its spelling
corrections at edit distance one (the most frequent two).

Lexical matching: a short query (≤ 4 syllables: keywords) must match every syllable it knows
(through any of its terms); longer queries (questions) match any term. A short query of three
or four syllables that matches nothing falls back to matching all but one of them.

Fusion: each side's scores are scaled to [0, 1] within the query (BM25 by the best score,
cosine between the last and the first dense candidate) and mixed linearly. The lexical weight
is ``LEX_WEIGHT × trust²``. *Trust* is coverage × Vietnamese share: coverage is the
idf-weighted share of the query's syllables that occur in the index (a spelling correction
counts half), the Vietnamese share the fraction of its words that can be Vietnamese syllables
("west", "join", "as" cannot). An English query against Vietnamese records gets a trust near
zero, so its accidental matches ("the" = folded "thể") do not move the dense ranking, while a
Vietnamese query, with or without diacritics, keeps the full lexical weight.

A query in another language gets a *crossing* side instead: what needs no translation — the
Vietnamese names of the countries and organisations it names (vntext gazetteer) and its
non-Vietnamese words and numbers as written, each matched group counting its idf once (no
term frequency or length: ``crossing_rank``). It adds ``CROSSING_WEIGHT × foreign share`` to
candidates already found. Both the crossing side and the lexical side of a query trusted
less than one half only break near ties of the dense side (a taper to zero ``NEAR_TIE`` below
the best cosine); trust also needs a query's accented syllables to exist in the index as
written (exact coverage). LEX_WEIGHT and the word boosts were tuned on the UIT train questions,
the exponent and CROSSING_WEIGHT on the first half of each XQuAD direction (docs/search.md).
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from caunoi.core.audience import ANONYMOUS, Reader
from caunoi.search import dense, lexical
from caunoi.search.analyzer import (
    EXACT,
    QueryGroup,
    analyze,
    analyze_query,
    edits1,
    is_vietnamese_syllable,
)
from vntext.entities import find_countries, find_organizations

# Lexical share for a query fully covered by the index (tuned on the UIT train questions;
# the environment variable is for that tuning, bench/search/tune.py).
LEX_WEIGHT = float(os.environ.get("CAUNOI_SEARCH_LEX_WEIGHT", "0.5"))
WORD_BOOST = 0.5  # weight of a compound or accented-word term next to a syllable's
BIGRAM_BOOST = 0.75  # weight of two adjacent words in the query's order ("dong+lu")
PART_BOOST = 1.0  # weight of a cited part of a legal text ("Điều 5": ``dieu_5``)
CROSSING_WEIGHT = 0.3  # the cross-lingual side, scaled by the share of foreign words
# How far below the best cosine the words of a query they cannot speak for (another language)
# may still reorder candidates: they break near ties of the dense side, they do not overturn
# it (tuned on the first half of the XQuAD sets; docs/search.md, Fusion).
NEAR_TIE = float(os.environ.get("CAUNOI_SEARCH_NEAR_TIE", "0.05"))
SHORT_QUERY = 4  # syllables; up to this many a query must match all of them
DENSE_MARGIN = 0.03  # a dense-only hit must be this close to the best cosine to be shown
MAX_CORRECTED = 4  # query syllables that get spelling corrections
# A query's bounds (docs/search.md, Query bounds): what is past them is ignored, so a pasted
# page costs what a question does.
MAX_QUERY_CHARS = 300
MAX_QUERY_WORDS = 32
MAX_CROSSING_GROUPS = 32


def clip_query(query: str) -> tuple[str, bool]:
    """The query with spaces collapsed, cut to ``MAX_QUERY_WORDS`` words and
    ``MAX_QUERY_CHARS`` characters (at a space when there is one), and whether it was cut."""
    words = (query or "").split()
    text = " ".join(words[:MAX_QUERY_WORDS])
    if len(text) > MAX_QUERY_CHARS:
        cut = text.rfind(" ", 0, MAX_QUERY_CHARS + 1)
        text = text[: cut if cut > 0 else MAX_QUERY_CHARS]
    return text, text != " ".join(words)


@dataclass
class Ranked:
    doc_id: int
    score: float
    lexical: float = 0.0  # BM25 (0 when not matched)
    cosine: float | None = None
    strong: bool = True  # a lexical match, or a dense hit close to the best one


@dataclass
class QueryPlan:
    groups: list[QueryGroup]
    coverage: float
    corrections: dict[str, list[str]] = field(default_factory=dict)
    df: dict[str, int] = field(default_factory=dict)
    n_docs: int = 0
    searcher: Any = None  # the lexical index as of planning (one sync check per query)
    viet_share: float = 1.0  # share of the query's words that are Vietnamese syllables
    exact_coverage: float = 1.0  # share of its accented syllables found as written
    crossing: list[list[str]] = field(default_factory=list)  # the cross-lingual lexical side
    crossing_idf: list[float] = field(default_factory=list)  # the idf of each crossing group

    @property
    def trust(self) -> float:
        """How far the words of the query can speak for it against this index (0–1)."""
        return self.coverage * self.viet_share * self.exact_coverage


def plan(query: str) -> QueryPlan:
    query = clip_query(query)[0]
    groups = analyze_query(query)
    if not groups:
        return QueryPlan([], 0.0)
    searcher = lexical.searcher()
    bigrams = [
        f"{a.syllable}_{b.syllable}"
        for a, b in itertools.pairwise(groups)
        if a.syllable.isalpha() and b.syllable.isalpha()
    ]
    pairs = [b for g in groups for b in g.bigrams]
    df = lexical.df_lookup([t for g in groups for t in g.terms] + bigrams + pairs, searcher)
    pairs_seen: set[str] = set()
    for g, bigram in zip(groups, [*bigrams, ""], strict=False):
        if bigram and bigram in df and bigram not in g.terms:
            g.extra.append(bigram)
        for b in g.bigrams:  # each pair once, with the group of its first syllable
            if b in df and b not in pairs_seen:
                pairs_seen.add(b)
                g.extra.append(b)
    corrections: dict[str, list[str]] = {}
    unknown = [g for g in groups if g.syllable not in df and g.syllable.isalpha()]
    for g in unknown[:MAX_CORRECTED]:
        if len(g.syllable) < 3:
            continue
        candidates = lexical.df_lookup(edits1(g.syllable), searcher)
        best = sorted(candidates, key=lambda t: -candidates[t])[:2]
        if best:
            g.extra.extend(best)
            g.corrected = True
            corrections[g.syllable] = best
            df.update({t: candidates[t] for t in best})
    n_docs = max(lexical.corpus_size(searcher), 1)

    def idf(n: int) -> float:
        return math.log(1 + (n_docs - n + 0.5) / (n + 0.5))

    total = known = exact_total = exact_known = 0.0
    for g in groups:
        counts = [df[t] for t in g.terms if t in df]
        weight = idf(max(counts)) if counts else idf(0)
        total += weight
        if counts:
            known += weight
        elif g.corrected:  # a guess: half credit
            known += weight / 2
        accented = [t for t in g.terms if t.startswith(EXACT) and not t.isascii()]
        if accented:  # a syllable typed with diacritics: is it written so in the index?
            exact_total += weight
            if accented[0] in df or g.corrected:
                exact_known += weight
    words = [g.syllable for g in groups if g.syllable.isalpha()]
    viet = sum(1 for w in words if is_vietnamese_syllable(w)) / len(words) if words else 1.0
    p = QueryPlan(groups, known / total if total else 0.0, corrections, df, n_docs, searcher, viet)
    if exact_total:
        p.exact_coverage = exact_known / exact_total
    if viet < 1.0:
        p.crossing, crossing_df = _crossing_groups(query, searcher)
        p.crossing_idf = [max(idf(crossing_df[t]) for t in g) for g in p.crossing]
    return p


def _crossing_groups(query: str, searcher: Any) -> tuple[list[list[str]], dict[str, int]]:
    """The lexical side of a query in another language: what needs no translation.

    The Vietnamese names of the countries and organisations it names (from the vntext
    gazetteer: "Denmark" → "Đan Mạch", "World Bank" → "Ngân hàng Thế giới") and its words
    that are not Vietnamese syllables or contain digits, as written ("Panthers", "1990") —
    names and numbers carry across languages; ordinary words only collide by accident
    ("the" folds to "thể"). Returns the groups and the document frequency of their terms.
    """
    names = [m.name for m in find_countries(query)] + [m.name for m in find_organizations(query)]
    groups: list[list[str]] = []
    for g in analyze_query(" ".join(names)) if names else []:
        groups.append(list(g.terms))
    for t in dict.fromkeys(analyze(query)):
        if t.startswith(EXACT) and (
            any(c.isdigit() for c in t) or not is_vietnamese_syllable(t[len(EXACT) :])
        ):
            groups.append([t])
    df = lexical.df_lookup({t for g in groups for t in g}, searcher)
    kept_groups = [kept for g in groups if (kept := [t for t in g if t in df])]
    return kept_groups[:MAX_CROSSING_GROUPS], df


def crossing_rank(
    p: QueryPlan, *, limit: int, reader: Reader | None, kinds: Sequence[str] | None
) -> list[tuple[int, float]]:
    """The crossing side's candidates, scored by the idf of the groups they match — each
    name or number counts once, whatever its frequency in the document or the document's
    length: sibling texts that repeat a shared name ("the Broncos") do not gain over the one
    that names it once (docs/search.md, Fusion)."""
    if not p.crossing or p.viet_share >= 1.0:
        return []
    q = lexical.LexicalQuery(p.crossing, False, reader, kinds, limit, group_scores=p.crossing_idf)
    return lexical.search(q, p.searcher)


def term_boosts(p: QueryPlan) -> dict[str, float]:
    """Per-term weights: folded and exact syllables and spelling corrections count fully,
    word-level terms (compounds, accented words) half — tuned on the UIT train questions —
    and bigrams of adjacent words .75 (tuned on the legal dev sets; docs/search.md)."""
    out: dict[str, float] = {}
    for g in p.groups:
        if not g.syllable.isalnum():  # a cited part of a legal text ("dieu_5")
            out.setdefault(g.syllable, PART_BOOST)
        for t in g.bigrams:
            out.setdefault(t, BIGRAM_BOOST)
        for t in g.terms[1:]:
            if not t.startswith(EXACT):
                out.setdefault(t, WORD_BOOST)
        if not g.corrected:
            for t in g.extra:
                out.setdefault(t, WORD_BOOST)
    return out


def lexical_rank(
    p: QueryPlan, *, limit: int, reader: Reader | None, kinds: Sequence[str] | None
) -> list[tuple[int, float]]:
    groups = [[t for t in g.all_terms() if t in p.df] for g in p.groups]
    groups = [g for g in groups if g]
    if not groups:
        return []
    short = len(p.groups) <= SHORT_QUERY
    boosts = term_boosts(p)
    q = lexical.LexicalQuery(groups, short, reader, kinds, limit, boosts=boosts)
    hits = lexical.search(q, p.searcher)
    if not hits and short and len(groups) >= 3:  # nothing has them all: all but one
        fallback = lexical.LexicalQuery(groups, True, reader, kinds, limit, len(groups) - 1, boosts)
        hits = lexical.search(fallback, p.searcher)
    return hits


def rank(
    query: str,
    *,
    mode: str = "hybrid",
    limit: int = 1000,
    dense_limit: int = 100,
    reader: Reader | None = ANONYMOUS,
    kinds: Sequence[str] | None = None,
) -> tuple[list[Ranked], QueryPlan]:
    """Documents for a query (bounded by ``clip_query``), best first."""
    query = clip_query(query)[0]
    p = plan(query)
    lex: list[tuple[int, float]] = []
    den: list[tuple[int, float]] = []
    if mode in ("lexical", "hybrid"):
        lex = lexical_rank(p, limit=limit, reader=reader, kinds=kinds)
    if mode in ("dense", "hybrid") and query.strip():
        den = dense.search(query, limit=dense_limit, reader=reader, kinds=kinds)
    if mode == "lexical" or not den:
        return [Ranked(i, s, lexical=s) for i, s in lex], p
    top_cos = den[0][1]
    if mode == "dense":
        return [Ranked(i, c, cosine=c, strong=c >= top_cos - DENSE_MARGIN) for i, c in den], p
    crossing = crossing_rank(p, limit=limit, reader=reader, kinds=kinds)
    return fuse(lex, den, p.trust, crossing, 1.0 - p.viet_share), p


def fuse(
    lex: list[tuple[int, float]],
    den: list[tuple[int, float]],
    trust: float,
    crossing: Sequence[tuple[int, float]] = (),
    foreign: float = 0.0,
) -> list[Ranked]:
    w_lex = LEX_WEIGHT * trust**2
    # Dense-only hits join the result set when the words cannot speak for the query: the
    # index knows less than half of it (another language) or nothing matched lexically.
    show_dense = trust < 0.5 or not lex
    out: dict[int, Ranked] = {}
    hi = den[0][1] if den else 0.0
    cosines = dict(den)
    sure = min(1.0, 2 * trust)  # how far the words speak for the query on their own

    def near(i: int) -> float:
        """1 for the best dense candidate, falling to 0 at NEAR_TIE below it (0 if absent)."""
        c = cosines.get(i)
        if c is None or NEAR_TIE <= 0:
            return 0.0 if den else 1.0
        return max(0.0, 1.0 - (hi - c) / NEAR_TIE)

    if lex:
        top = lex[0][1] or 1.0
        for i, s in lex:
            taper = sure + (1.0 - sure) * near(i) if den else 1.0
            out[i] = Ranked(i, w_lex * taper * s / top, lexical=s)
    if den:
        lo = den[-1][1]
        span = (hi - lo) or 1.0
        for i, c in den:
            r = out.get(i)
            part = (1 - w_lex) * (c - lo) / span
            if r is None:
                out[i] = Ranked(i, part, cosine=c, strong=show_dense and c >= hi - DENSE_MARGIN)
            else:
                r.score += part
                r.cosine = c
    if crossing and foreign:
        # names and numbers shared across languages break near ties among the candidates
        top = crossing[0][1] or 1.0
        for i, s in crossing:
            if (r := out.get(i)) is not None:
                r.score += CROSSING_WEIGHT * foreign * near(i) * s / top
    return sorted(out.values(), key=lambda r: (-r.score, r.doc_id))
