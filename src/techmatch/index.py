"""The matching engine: an index over one set of candidates, ranked for a query record.

Score of a candidate for a query::

    relevance = (w_dense·dense + w_lexical·lexical + w_fields·fields) / (sum of active weights)
    score     = relevance × fit × feedback          (rounded to 6 decimals)

- ``dense``: cosine of the two given vectors, rescaled from [``dense_floor``, 1] to [0, 1]
  (e5 cosines of unrelated texts sit around 0.7; the rescaling is monotone, so dense alone
  ranks exactly as the cosine does);
- ``lexical``: cosine of idf-weighted term sets (:mod:`techmatch.lexical`), from an inverted
  index;
- ``fields``: mean over the query's field codes of the best relation to the candidate's
  codes (:mod:`techmatch.fields`);
- a weight is active when the query has that signal (a vector, fields); a candidate without a
  vector is ranked on the other signals;
- ``fit``: product of the constraint factors (:mod:`techmatch.constraints`), 0 excludes;
- ``feedback``: factors from :mod:`techmatch.feedback`.

Ranking is exact and vectorised: relevance over every candidate with numpy (one float32
matrix-vector product, one weighted ``bincount`` over the postings of the query's terms, one
pass per query field); on a shortlist of the best relevances the dense part is recomputed in
float64 and the constraint and feedback factors applied. Since every factor is at most 1
(feedback boosts are added to the shortlist explicitly) and the float32 cosines are within a
known margin of the exact ones, no candidate outside the shortlist can beat the k-th score
inside it once that score is above the best relevance left outside plus the margin;
otherwise the shortlist grows. Ties are broken by candidate id. Explanations are built for
the returned matches only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, cast

import numpy as np
import numpy.typing as npt

from techmatch.constraints import Fit, Policy, fit_line, pair_fit
from techmatch.feedback import EMPTY, Adjustment, FeedbackBook
from techmatch.fields import FieldMatch, FieldTree, field_matches
from techmatch.lexical import (
    CONCEPT,
    Analyzed,
    TermBridge,
    analyze,
    looks_vietnamese,
    record_terms,
    shown_pair,
    with_concepts,
    written_bare,
)
from techmatch.records import (
    COOPERATION_TYPES,
    Expert,
    Offer,
    Record,
    Request,
    Target,
    Vector,
)

Floats = npt.NDArray[np.float64]
FloatArray = npt.NDArray[np.float64] | npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]
Audience = Literal["officer", "provider"]


@dataclass(frozen=True)
class Weights:
    """Weights of the relevance parts, and how lexical evidence counts across languages.

    ``same_language_floor``: in a pair written in the same language, lexical overlap up to
    this much is the chance overlap of everyday words ("loại", "nhập khẩu") and counts 0; above
    it, the score is rescaled to [0, 1]. ``cross_language``: the factor of the lexical score
    of a pair in different languages (names, numbers, acronyms and bridge concepts are all
    such a pair can share). Both are per pair, so a pair's score still depends on the two
    records alone (and the term statistics).
    """

    dense: float = 0.6
    lexical: float = 0.3
    fields: float = 0.1
    dense_floor: float = 0.7
    # tuned on the dev half of the mixed-language XQuAD sets (bench/matching/mixed.py)
    same_language_floor: float = 0.2
    cross_language: float = 1.0


@dataclass(frozen=True)
class Components:
    """The score of a match and what it is made of (all in [0, 1] but feedback)."""

    dense: float
    lexical: float
    fields: float
    relevance: float
    fit: float
    feedback: float
    score: float


@dataclass(frozen=True)
class TermMatch:
    """A term both records contain, as each one writes it (``~`` terms are bridge concepts)."""

    term: str
    query_form: str
    target_form: str
    weight: float


@dataclass(frozen=True)
class Explanation:
    """Why a candidate matches: plain data, no names, translated by the app from the keys."""

    components: Components
    fields: tuple[FieldMatch, ...]
    terms: tuple[TermMatch, ...]
    fit: tuple[Fit, ...]


@dataclass(frozen=True)
class Match:
    id: str
    rank: int
    score: float
    explanation: Explanation | None = None


_COOP_BIT = {c: 1 << i for i, c in enumerate(COOPERATION_TYPES)}


def _coop_mask(types: Sequence[str]) -> int:
    m = 0
    for t in types:
        m |= _COOP_BIT.get(t, 1 << 62)  # an unknown type is a type of its own
    return m


def _tri(value: bool | None) -> int:
    return -1 if value is None else int(value)


def record_text(r: Record) -> str:
    """The text of a record the lexical part analyses: title and text."""
    return f"{r.title}\n{r.text}" if r.title else r.text


_text = record_text


def lang_mask(r: Record) -> int:
    """The record's language as a bit (vi 1, en 2, another 4); guessed from the letters when
    ``lang`` is not given (Vietnamese letters: vi, otherwise en)."""
    if r.lang == "vi":
        return 1
    if r.lang == "en":
        return 2
    if r.lang:
        return 4
    return 1 if looks_vietnamese(_text(r)) else 2


@dataclass(frozen=True)
class TermStats:
    """The collection statistics the lexical part is weighed with: the number of candidates
    ``n`` and each term's document frequency ``df``.

    By default an index weighs terms by its own candidates, so adding or changing one
    candidate moves every idf a little. An index given a ``TermStats`` snapshot weighs by the
    snapshot instead, which makes a pair's score a function of the two records alone: the
    app scores one changed offer against every request (:meth:`MatchIndex.scores_for`) and
    gets the scores a full recompute with the same snapshot gives.
    """

    n: int
    df: Mapping[str, int] = field(default_factory=dict)

    def idf(self, term: str) -> float:
        return math.log1p(self.n / max(self.df.get(term, 0), 1))


@dataclass
class _Postings:
    vocab: dict[str, int]
    indptr: Ints
    docs: Ints
    df: Ints
    norms: Floats  # per candidate, of its idf-weighted term vector


class MatchIndex:
    """Candidates of one kind (offers, experts, intermediaries — or requests, for an offer).

    ``tree`` gives the field hierarchy, ``bridge`` the cross-language concept terms;
    ``use_segmenter=False`` analyses Vietnamese by syllables only (faster, less precise).
    ``analyses``: the candidates' ``analyze(title + "\\n" + text, lang, use_segmenter)``
    made before (e.g. kept between runs with ``encode_analysis``), one per candidate in
    order, ``None`` where the index should analyse the text itself; the caller vouches that
    each is the analysis of its candidate's current text (the ranking is then the same).
    """

    def __init__(
        self,
        candidates: Sequence[Target] | Sequence[Request],
        *,
        tree: FieldTree | None = None,
        bridge: TermBridge | None = None,
        weights: Weights | None = None,
        policy: Policy | None = None,
        use_segmenter: bool = True,
        max_df: float = 0.5,
        stats: TermStats | None = None,
        analyses: Sequence[Analyzed | None] | None = None,
    ) -> None:
        self.records: list[Record] = list(candidates)
        if analyses is not None and len(analyses) != len(self.records):
            raise ValueError("one analysis (or None) per candidate")
        self.analyses: list[Analyzed | None] = (
            list(analyses) if analyses is not None else [None] * len(self.records)
        )
        # the last query's analysis and terms (rank, then explain each of its rows)
        self._query_memo: _QueryMemo | None = None
        self.stats = stats
        self.tree = tree or FieldTree()
        self.bridge = bridge
        self.weights = weights or Weights()
        self.policy = policy or Policy()
        self.use_segmenter = use_segmenter
        self.max_df = max_df
        n = len(self.records)
        self.n = n
        self.ids = [r.id for r in self.records]
        if len(set(self.ids)) != n:
            raise ValueError("candidate ids must be unique")
        self.position = {i: k for k, i in enumerate(self.ids)}
        order = sorted(range(n), key=lambda k: self.ids[k])
        self.id_rank = np.empty(n, dtype=np.int64)
        self.id_rank[order] = np.arange(n)
        self.lang = np.array([lang_mask(r) for r in self.records], dtype=np.int64)
        self._same_lang: dict[int, npt.NDArray[np.bool_]] = {}
        # the relevance's denominators: (with fields, with dense) -> (den, max(den, 1e-12))
        self._dens: dict[tuple[bool, bool], tuple[Floats, Floats]] = {}
        self._build_vectors()
        self._build_terms()
        self._build_fields()
        self._build_constraints()

    # -- building ---------------------------------------------------------------------------

    def _build_vectors(self) -> None:
        dims = {r.vector.shape[-1] for r in self.records if r.vector is not None}
        if len(dims) > 1:
            raise ValueError(f"candidate vectors of different sizes: {sorted(dims)}")
        self.dim = dims.pop() if dims else 0
        self.has_vec = np.array([r.vector is not None for r in self.records], dtype=bool)
        mat = np.zeros((self.n, self.dim), dtype=np.float32)
        for k, r in enumerate(self.records):
            if r.vector is not None:
                mat[k] = r.vector
        self.vectors = mat
        self._all_vec = bool(self.has_vec.all())

    def _build_terms(self) -> None:
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for k in range(self.n):
            # sorted: a candidate's norm is summed in one order however its set was built
            for t in sorted(with_concepts(self.analysis(k), self.bridge)):
                cols.append(vocab.setdefault(t, len(vocab)))
                rows.append(k)
        row = np.array(rows, dtype=np.int64)
        col = np.array(cols, dtype=np.int64)
        order = np.argsort(col, kind="stable")
        df = np.bincount(col, minlength=len(vocab)).astype(np.int64)
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        # the frequencies terms are weighed and filtered by: the candidates' own, or a snapshot
        self.stat_n = self.n if self.stats is None else self.stats.n
        if self.stats is None:
            self.stat_df = df
        else:
            sdf = self.stats.df
            self.stat_df = np.array([sdf.get(t, 0) for t in vocab], dtype=np.int64)
        idf = np.log1p(self.stat_n / np.maximum(self.stat_df, 1))
        norms = np.sqrt(np.bincount(row, weights=idf[col] ** 2, minlength=self.n))
        self.postings = _Postings(vocab, indptr, row[order], df, norms)
        self._safe_norms = np.maximum(norms, 1e-12)
        self.idf = idf

    def _build_fields(self) -> None:
        under: dict[str, list[int]] = {}
        exact: dict[str, list[int]] = {}
        for k, r in enumerate(self.records):
            seen: set[str] = set()
            for code in r.fields:
                exact.setdefault(code, []).append(k)
                for c in (code, *self.tree.ancestors(code)):
                    if c not in seen:
                        seen.add(c)
                        under.setdefault(c, []).append(k)
        self.field_under = {c: np.unique(np.array(v, dtype=np.int64)) for c, v in under.items()}
        self.field_exact = {c: np.unique(np.array(v, dtype=np.int64)) for c, v in exact.items()}

    def _build_constraints(self) -> None:
        n = self.n
        countries = sorted({r.country.upper() for r in self.records if r.country})
        self.country_code = {c: i for i, c in enumerate(countries)}
        self.country = np.full(n, -1, dtype=np.int64)
        self.trl = np.zeros(n, dtype=np.int64)
        self.coop = np.zeros(n, dtype=np.int64)
        self.price_low = np.full(n, np.nan)
        self.need_lab = np.zeros(n, dtype=bool)
        self.need_equipment = np.zeros(n, dtype=bool)
        self.need_staff = np.full(n, -1, dtype=np.int64)
        self.unavailable = np.zeros(n, dtype=bool)
        # request-side arrays (candidates are requests)
        self.has_pref = np.zeros(n, dtype=bool)
        self.only = np.zeros(n, dtype=bool)
        self.min_trl = np.zeros(n, dtype=np.int64)
        self.budget_high = np.full(n, np.nan)
        self.cap_lab = np.full(n, -1, dtype=np.int64)
        self.cap_equipment = np.full(n, -1, dtype=np.int64)
        self.cap_staff = np.full(n, -1, dtype=np.int64)
        self.officers_only = np.zeros(n, dtype=bool)
        prefers: dict[str, list[int]] = {}
        for k, r in enumerate(self.records):
            if r.country:
                self.country[k] = self.country_code[r.country.upper()]
            if isinstance(r, Offer):
                self.trl[k] = r.trl or 0
                self.coop[k] = _coop_mask(r.cooperation)
                if r.price.low is not None:
                    self.price_low[k] = r.price.low
                self.need_lab[k] = bool(r.needs.lab)
                self.need_equipment[k] = bool(r.needs.equipment)
                self.need_staff[k] = -1 if r.needs.staff is None else r.needs.staff
            elif isinstance(r, Expert):
                self.unavailable[k] = not r.available
            elif isinstance(r, Request):
                self.has_pref[k] = bool(r.preferred_countries)
                self.only[k] = r.countries_only and bool(r.preferred_countries)
                for c in r.preferred_countries:
                    prefers.setdefault(c.upper(), []).append(k)
                self.min_trl[k] = r.min_trl or 0
                self.coop[k] = _coop_mask(r.cooperation)
                if r.budget.high is not None:
                    self.budget_high[k] = r.budget.high
                self.cap_lab[k] = _tri(r.capacity.lab)
                self.cap_equipment[k] = _tri(r.capacity.equipment)
                self.cap_staff[k] = -1 if r.capacity.staff is None else r.capacity.staff
                self.officers_only[k] = r.confidentiality == "officers"
        self.prefers = {c: np.array(v, dtype=np.int64) for c, v in prefers.items()}
        # The distinct combinations of what a request's constraints read of a candidate
        # (all but the price): a request's factors are computed once per combination and
        # gathered, instead of a masked pass per constraint over every candidate.
        disc = np.stack(self._request_columns(), axis=1).astype(np.int64)
        combos, code = np.unique(disc, axis=0, return_inverse=True)
        self._combos = tuple(combos[:, j] for j in range(combos.shape[1]))
        self._combo_code = code.reshape(-1).astype(np.int64)
        # the same combinations twice, the second time priced above the request's budget
        self._combos_twice = tuple(np.tile(c, 2) for c in self._combos)
        self._over_half = np.arange(2 * len(combos)) >= len(combos)

    # -- relevance over all candidates ----------------------------------------------------------

    def dense_scores(self, query: Record) -> npt.NDArray[np.float32] | None:
        """float32 cosines of the query with every candidate (exact ones: ``_exact_cos``)."""
        if query.vector is None or self.dim == 0:
            return None
        out: npt.NDArray[np.float32] = self.vectors @ query.vector.astype(np.float32)
        return out

    def analysis(self, k: int) -> Analyzed:
        """The analysis of candidate ``k``'s text (given to the index, or made now)."""
        a = self.analyses[k]
        if a is None:
            r = self.records[k]
            a = analyze(_text(r), r.lang, self.use_segmenter)
        return a

    def _query(self, query: Record) -> _QueryMemo:
        """The query's analysis, terms and term ids, made once for consecutive calls with
        the same query (ranking it, then explaining each of its rows)."""
        text = _text(query)
        m = self._query_memo
        if (
            m is not None
            and m.text == text
            and m.lang == query.lang
            and m.stats is self.stats
            and m.identity == _identity_key(query)
        ):
            return m
        a = analyze(text, query.lang, self.use_segmenter)
        terms, forms = record_terms(text, query.lang, self.bridge, self.use_segmenter, a)
        ids, qnorm = self._term_ids(terms)
        m = _QueryMemo(
            text,
            query.lang,
            self.stats,
            _identity_key(query),
            a,
            terms,
            forms,
            ids,
            qnorm,
            _identity_pieces(query),
        )
        self._query_memo = m
        return m

    def _query_term_ids(self, query: Record) -> tuple[Ints, float]:
        m = self._query(query)
        return m.term_ids, m.qnorm

    def _term_ids(self, terms: frozenset[str]) -> tuple[Ints, float]:
        p = self.postings
        unseen = math.log1p(self.n) if self.n else 1.0
        ids: list[int] = []
        sq = 0.0
        for t in terms:
            j = p.vocab.get(t)
            if j is None:
                sq += (unseen if self.stats is None else self.stats.idf(t)) ** 2
                continue
            sq += float(self.idf[j]) ** 2
            ids.append(j)
        return np.array(sorted(ids), dtype=np.int64), math.sqrt(sq)

    def _usable(self, term_ids: Ints) -> Ints:
        if self.stat_n < 20:
            return term_ids
        return term_ids[self.stat_df[term_ids] <= self.max_df * self.stat_n]

    def term_stats(self) -> TermStats:
        """This index's own collection statistics (a snapshot for later indexes)."""
        p = self.postings
        return TermStats(self.n, {t: int(p.df[j]) for t, j in p.vocab.items()})

    def _across(self, lex: Floats, same: npt.NDArray[np.bool_]) -> Floats:
        """Lexical scores of pairs in the same language (``same``) and across languages, as
        ``Weights.same_language_floor`` and ``cross_language`` count them."""
        w = self.weights
        if w.same_language_floor == 0.0 and w.cross_language == 1.0:
            return lex
        b = w.same_language_floor
        out: Floats = lex - b
        np.maximum(out, 0.0, out=out)
        out /= 1.0 - b
        np.copyto(out, lex if w.cross_language == 1.0 else lex * w.cross_language, where=~same)
        return out

    def _same_language(self, query: Record) -> npt.NDArray[np.bool_]:
        """Which candidates share a language with ``query`` (one array per language mask)."""
        mask = lang_mask(query)
        same = self._same_lang.get(mask)
        if same is None:
            same = self._same_lang[mask] = (self.lang & mask) != 0
        return same

    def lexical_scores(self, query: Record) -> Floats:
        term_ids, qnorm = self._query_term_ids(query)
        term_ids = self._usable(term_ids)
        p = self.postings
        if not len(term_ids) or qnorm == 0:
            return np.zeros(self.n)
        starts, ends = p.indptr[term_ids], p.indptr[term_ids + 1]
        docs = np.concatenate([p.docs[s:e] for s, e in zip(starts, ends, strict=True)])
        w = np.repeat(self.idf[term_ids] ** 2, ends - starts)
        acc: Floats = np.bincount(docs, weights=w, minlength=self.n).astype(np.float64, copy=False)
        acc /= self._safe_norms * qnorm
        return acc

    def _lexical_one(self, query: Record, target: Record, idx: int) -> float:
        term_ids, qnorm = self._query_term_ids(query)
        term_ids = self._usable(term_ids)
        p = self.postings
        shared = [int(j) for j in term_ids if self.postings_has(int(j), idx)]
        if not shared or qnorm == 0:
            return 0.0
        return float(np.sum(self.idf[shared] ** 2)) / (max(float(p.norms[idx]), 1e-12) * qnorm)

    def postings_has(self, term_id: int, idx: int) -> bool:
        p = self.postings
        docs = p.docs[p.indptr[term_id] : p.indptr[term_id + 1]]
        pos = int(np.searchsorted(docs, idx))
        return pos < len(docs) and int(docs[pos]) == idx

    def field_scores(self, query: Record) -> Floats | None:
        codes = sorted(set(query.fields))
        if not codes:
            return None
        total = np.zeros(self.n)
        for code in codes:
            best = np.zeros(self.n)
            parent = self.tree.parent(code)
            if parent is not None and parent in self.field_under:
                best[self.field_under[parent]] = 0.25  # sibling (or the code itself, below)
            for a in self.tree.ancestors(code):
                if a in self.field_exact:
                    best[self.field_exact[a]] = 0.5
            if code in self.field_under:
                best[self.field_under[code]] = 1.0
            total += best
        return total / len(codes)

    def _parts(
        self, query: Record, dense: FloatArray | None
    ) -> tuple[Floats, tuple[Floats, Floats], FloatArray | None]:
        """The relevance of every candidate in parts: the lexical and field numerator, the
        denominator (active weights) and its ``max(den, 1e-12)``, both shared and not to be
        written, and the dense cosines (float32 from the matrix product; ``None``: no dense
        part)."""
        w = self.weights
        if dense is None:
            dense = self.dense_scores(query)
        num = self._across(self.lexical_scores(query), self._same_language(query))
        num *= w.lexical
        fld = self.field_scores(query)
        if fld is not None:
            fld *= w.fields
            num += fld
        return num, self._den(fld is not None, dense is not None), dense

    def _den(self, fields: bool, dense: bool) -> tuple[Floats, Floats]:
        key = (fields, dense)
        got = self._dens.get(key)
        if got is None:
            w = self.weights
            den = np.full(self.n, w.lexical)
            if fields:
                den = den + w.fields
            if dense:
                den = den + w.dense * self.has_vec
            got = self._dens[key] = (den, np.maximum(den, 1e-12))
        return got

    def _dense_part(self, cos: Floats, sel: Ints) -> Floats:
        w = self.weights
        hv = self.has_vec[sel]
        d = np.clip((cos - w.dense_floor) / (1.0 - w.dense_floor), 0.0, 1.0)
        return np.where(hv, w.dense * d, 0.0)

    def _dense_all(self, cos: FloatArray) -> Floats:
        """``_dense_part`` of every candidate (the same values, fewer passes)."""
        w = self.weights
        d: Floats = np.subtract(cos, w.dense_floor, dtype=np.float64)
        d /= 1.0 - w.dense_floor
        np.clip(d, 0.0, 1.0, out=d)
        d *= w.dense
        if not self._all_vec:
            d[~self.has_vec] = 0.0
        return d

    def relevance(self, query: Record, dense: FloatArray | None = None) -> Floats:
        """Relevance of every candidate (dense part from the float32 product)."""
        num, (_, safe), cos = self._parts(query, dense)
        rel = num if cos is None else self._dense_all(cos) + num
        return rel / safe

    def _exact_cos(self, query: Record, sel: Ints) -> Floats:
        assert query.vector is not None
        return self.vectors[sel].astype(np.float64) @ query.vector.astype(np.float64)

    # -- constraints and feedback on a subset -----------------------------------------------------

    def fit_factors(
        self, query: Record, sel: Ints | None = None, audience: Audience = "officer"
    ) -> Floats:
        """Constraint factors of the candidates ``sel`` (``None``: every candidate, in
        order) for ``query`` (vectorised pair_fit). A candidate's factor is the same
        product, in the same order, whichever subset it is computed in."""
        p = self.policy

        def at(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
            return a if sel is None else a[sel]

        if isinstance(query, Request):
            over = self._over_budget(query, sel)
            if sel is not None:
                return self._request_fit(query, [a[sel] for a in self._request_columns()], over)
            # one table: each combination's factor within budget, then above it
            if over is None:
                out: Floats = self._request_fit(query, self._combos, None)[self._combo_code]
            else:
                table = self._request_fit(query, self._combos_twice, self._over_half)
                out = table[self._combo_code + len(self._combos[0]) * over]
            return out
        f = np.ones(self.n if sel is None else len(sel))
        # the query is an offer (or expert, intermediary); candidates are requests
        if audience == "provider":
            f[at(self.officers_only)] = 0.0
        c = query.country.upper()
        if c:
            prefers = np.zeros(self.n, dtype=bool)
            if c in self.prefers:
                prefers[self.prefers[c]] = True
            other = at(self.has_pref) & ~at(prefers)
            f[other & at(self.only)] = 0.0
            f[other & ~at(self.only)] *= p.country_other
        if isinstance(query, Offer):
            if query.trl is not None:
                gap = at(self.min_trl) - query.trl
                self._trl_below(f, gap, (at(self.min_trl) > 0) & (gap > 0))
            omask = _coop_mask(query.cooperation)
            if omask:
                m = at(self.coop)
                f[(m != 0) & ((m & omask) == 0)] *= p.cooperation_mismatch
            if query.price.low is not None:
                with np.errstate(invalid="ignore"):
                    f[at(self.budget_high) < query.price.low] *= p.over_budget
            if query.needs.lab:
                f[at(self.cap_lab) == 0] *= p.lab_missing
            if query.needs.equipment:
                f[at(self.cap_equipment) == 0] *= p.equipment_missing
            if query.needs.staff is not None:
                s = at(self.cap_staff)
                f[(s >= 0) & (s < query.needs.staff)] *= p.staff_short
        elif isinstance(query, Expert) and not query.available:
            f *= p.expert_unavailable
        return f

    def _trl_below(self, f: Floats, gap: Ints, below: npt.NDArray[np.bool_]) -> None:
        """``f`` for the pairs whose TRL is ``gap`` levels below the minimum (``below``):
        excluded, or lowered a factor per level, by the policy."""
        p = self.policy
        if p.trl_below == "exclude":
            f[below] = 0.0
        else:
            f[below] *= p.trl_per_level ** gap[below].astype(np.float64)

    def _request_columns(self) -> tuple[Ints, ...]:
        """The candidates' columns a request's constraints read, as ``_combos`` holds them."""
        return (
            self.country,
            self.trl,
            self.coop,
            self.need_lab,
            self.need_equipment,
            self.need_staff,
            self.unavailable,
        )

    def _over_budget(self, query: Request, sel: Ints | None) -> npt.NDArray[np.bool_] | None:
        if query.budget.high is None:
            return None
        low = self.price_low if sel is None else self.price_low[sel]
        with np.errstate(invalid="ignore"):
            over: npt.NDArray[np.bool_] = low > query.budget.high
        return over

    def _request_fit(
        self,
        query: Request,
        cols: Sequence[Ints],
        over: npt.NDArray[np.bool_] | None,
    ) -> Floats:
        """A request's factors for candidates given by their columns (``cols``: as
        ``_request_columns`` gives them; ``over``: priced above its budget), each the product
        of the constraints in one fixed order."""
        p = self.policy
        country, trl, coop, need_lab, need_equipment, need_staff, unavailable = cols
        f = np.ones(len(country))
        prefs = [
            self.country_code[c.upper()]
            for c in query.preferred_countries
            if c.upper() in self.country_code
        ]
        if query.preferred_countries:
            other = (country >= 0) & ~np.isin(country, prefs)
            f[other] *= 0.0 if query.countries_only else p.country_other
        if query.min_trl is not None:
            gap = query.min_trl - trl
            self._trl_below(f, gap, (trl > 0) & (gap > 0))
        qmask = _coop_mask(query.cooperation)
        if qmask:
            f[(coop != 0) & ((coop & qmask) == 0)] *= p.cooperation_mismatch
        if over is not None:
            f[over] *= p.over_budget
        cap = query.capacity
        if cap.lab is False:
            f[need_lab != 0] *= p.lab_missing
        if cap.equipment is False:
            f[need_equipment != 0] *= p.equipment_missing
        if cap.staff is not None:
            f[need_staff > cap.staff] *= p.staff_short
        f[unavailable != 0] *= p.expert_unavailable
        return f

    def feedback_factors(self, adj: Adjustment, book: FeedbackBook, sel: Ints) -> Floats:
        p = self.policy
        f = np.ones(len(sel))
        if adj.trl_floor is not None:
            trl = self.trl[sel]
            low = (trl > 0) & (trl <= adj.trl_floor)
            f[low] *= p.trl_per_level ** (adj.trl_floor + 1 - trl[low]).astype(np.float64)
        if adj.price_cap is not None:
            with np.errstate(invalid="ignore"):
                f[self.price_low[sel] >= adj.price_cap] *= p.over_budget
        if adj.pair or book.per_target:
            pos = {int(k): j for j, k in enumerate(sel)}
            for tid, (factor, _) in adj.pair.items():
                k = self.position.get(tid)
                if k is not None and k in pos:
                    f[pos[k]] *= factor
            for tid, factor in book.per_target.items():
                k = self.position.get(tid)
                if k is not None and k in pos:
                    f[pos[k]] *= factor
        return f

    # -- ranking ----------------------------------------------------------------------------

    def rank(
        self,
        query: Record,
        k: int = 20,
        *,
        feedback: FeedbackBook = EMPTY,
        audience: Audience = "officer",
        explain: bool = True,
        dense: FloatArray | None = None,
        exclude_self: bool = True,
    ) -> list[Match]:
        """The ``k`` best candidates for ``query``, best first, with explanations.

        ``audience="provider"``: the query is a provider's offer; requests only officers may
        see are never returned, and anonymous requests are explained without identity.
        ``dense``: precomputed cosines of the query against every candidate (batch ranking).
        """
        if k <= 0 or self.n == 0:
            return []
        num, (den, safe), cos = self._parts(query, dense)
        rel = num.copy() if cos is None else self._dense_all(cos)
        if cos is not None:
            rel += num
        rel /= safe
        # The float32 cosines are within 2.3e-5 of the exact ones (384 terms, unit vectors);
        # the shortlist is rescored exactly, so a candidate left out may be up to ``margin``
        # better than its float32 relevance says.
        margin = 0.0
        if cos is not None:
            w = self.weights
            margin = w.dense * 3e-5 * self.dim / 384 / (1.0 - w.dense_floor)
            margin /= max(float(np.min(den)), 1e-12)
        adj = feedback.for_query(query.id)
        boosted = [
            self.position[t] for t, (fct, _) in adj.pair.items() if fct > 1.0 and t in self.position
        ]
        # The constraints are known exactly for every candidate and cost a few passes, so
        # the shortlist is taken on relevance × fit: a request's hard constraints (countries
        # only, TRL minimum) cannot fill it with candidates they exclude. A candidate left
        # out has a final score of at most its relevance bound × its fit, since the feedback
        # factors are at most 1 except for the boosted pairs, which are always rescored.
        fit = self.fit_factors(query, None, audience)
        upper = rel * fit
        upper[fit == 0] = -1.0  # excluded: never returned
        if exclude_self and query.id in self.position:
            upper[self.position[query.id]] = -1.0
        # the fit factors are penalties (at most 1); a policy giving one above 1 widens it
        margin *= max(float(np.max(fit)), 1.0)
        live = int(np.count_nonzero(upper > -1.0))
        m = min(live, max(4 * k, 100))
        while True:
            if m >= live:
                sel = np.flatnonzero(upper > -1.0)
            else:
                # the m best, and at position m the best of the rest
                part = np.argpartition(-upper, m)
                sel = part[:m]
                outside_best = float(upper[part[m]]) + margin
            if boosted:
                sel = np.union1d(sel, np.array(boosted, dtype=np.int64))
            exact = num[sel]
            if cos is not None:
                exact = exact + self._dense_part(self._exact_cos(query, sel), sel)
            exact /= safe[sel]
            if exclude_self and query.id in self.position:
                exact[sel == self.position[query.id]] = 0.0
            final = exact * fit[sel]
            final *= self.feedback_factors(adj, feedback, sel)
            final = np.round(final, 6)
            keep = final > 0
            sel, final = sel[keep], final[keep]
            if m >= live:
                break
            if len(final) >= k and float(np.sort(final)[-k]) > round(outside_best, 6):
                break
            m = min(live, m * 4)
        order = np.lexsort((self.id_rank[sel], -final))[:k]
        out: list[Match] = []
        for r, j in enumerate(order, start=1):
            idx = int(sel[j])
            score = float(final[j])
            expl = self.explain(query, idx, feedback, audience) if explain else None
            out.append(Match(self.ids[idx], r, score, expl))
        return out

    def rank_many(
        self,
        queries: Sequence[Record],
        k: int = 20,
        *,
        feedback: FeedbackBook = EMPTY,
        audience: Audience = "officer",
        explain: bool = False,
        block: int = 128,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[list[Match]]:
        """``rank`` for many queries; the dense part as blocked matrix products."""
        out: list[list[Match]] = []
        for s in range(0, len(queries), block):
            chunk = queries[s : s + block]
            dense_block: npt.NDArray[np.float32] | None = None
            with_vec = [q.vector is not None for q in chunk]
            if self.dim and any(with_vec):
                qm = np.zeros((len(chunk), self.dim), dtype=np.float32)
                for i, q in enumerate(chunk):
                    if q.vector is not None:
                        qm[i] = q.vector
                dense_block = qm @ self.vectors.T
            for i, q in enumerate(chunk):
                d = None
                if dense_block is not None and with_vec[i]:
                    d = dense_block[i]
                out.append(
                    self.rank(q, k, feedback=feedback, audience=audience, explain=explain, dense=d)
                )
            if progress is not None:
                progress(min(s + block, len(queries)), len(queries))
        return out

    def scores_for(self, target: Target, feedback: FeedbackBook = EMPTY) -> Floats:
        """For an index of requests: the score each request gives ``target`` — the score
        ``MatchIndex([..., target, ...], stats=S).rank(request)`` returns for it, where ``S``
        is this index's ``stats`` (required: without a snapshot a score depends on the other
        candidates). 0 where the request excludes it. Vectorised over the requests: one
        float64 matrix-vector product, one ``bincount`` over the postings of the target's
        terms, the field relations once per distinct set of requested codes.
        """
        if self.stats is None:
            raise ValueError("scores_for needs an index built with TermStats")
        if isinstance(target, Request):
            raise TypeError("the target is an offer, expert or intermediary")
        n, w, stats = self.n, self.weights, self.stats
        if n == 0:
            return np.zeros(0)
        for r in self.records:
            if not isinstance(r, Request):
                raise TypeError("scores_for ranks a target for an index of requests")
        # lexical: the target's terms against the requests' postings, its norm by the snapshot
        terms, _ = record_terms(_text(target), target.lang, self.bridge, self.use_segmenter)
        tnorm = math.sqrt(sum(stats.idf(t) ** 2 for t in terms))
        p = self.postings
        ids = np.array(sorted(p.vocab[t] for t in terms if t in p.vocab), dtype=np.int64)
        ids = self._usable(ids)
        lex = np.zeros(n)
        if len(ids) and tnorm > 0:
            starts, ends = p.indptr[ids], p.indptr[ids + 1]
            docs = np.concatenate([p.docs[s:e] for s, e in zip(starts, ends, strict=True)])
            wts = np.repeat(self.idf[ids] ** 2, ends - starts)
            acc = np.bincount(docs, weights=wts, minlength=n)
            with np.errstate(divide="ignore", invalid="ignore"):
                lex = np.where(p.norms > 0, acc / (max(tnorm, 1e-12) * p.norms), 0.0)
        lex = self._across(lex, (self.lang & lang_mask(target)) != 0)
        num = w.lexical * lex
        den = np.full(n, w.lexical)
        # fields: the query's (request's) codes against the target's, as field_scores does
        under = {c for code in target.fields for c in (code, *self.tree.ancestors(code))}
        exact = set(target.fields)
        memo: dict[tuple[str, ...], float] = {}
        fld = np.zeros(n)
        has_fields = np.zeros(n, dtype=bool)
        for k, r in enumerate(self.records):
            codes = tuple(sorted(set(r.fields)))
            if not codes:
                continue
            has_fields[k] = True
            if codes not in memo:
                memo[codes] = sum(self._field_value(c, under, exact) for c in codes) / len(codes)
            fld[k] = memo[codes]
        num = num + np.where(has_fields, w.fields * fld, 0.0)
        den = den + np.where(has_fields, w.fields, 0.0)
        # dense: requests with a vector, when the target has one
        if target.vector is not None and self.dim:
            cos = self.vectors.astype(np.float64) @ target.vector.astype(np.float64)
            d = np.clip((cos - w.dense_floor) / (1.0 - w.dense_floor), 0.0, 1.0)
            num = num + np.where(self.has_vec, w.dense * d, 0.0)
            den = den + w.dense * self.has_vec
        rel = num / np.maximum(den, 1e-12)
        final = rel * self.fit_factors(target, np.arange(n))
        # feedback: the requests with adjustments, and the target's own factor
        if feedback.per_query or feedback.per_target:
            one = MatchIndex(
                [target],
                tree=self.tree,
                bridge=self.bridge,
                weights=self.weights,
                policy=self.policy,
                use_segmenter=self.use_segmenter,
                stats=stats,
            )
            sel = np.zeros(1, dtype=np.int64)
            for k, r in enumerate(self.records):
                if r.id in feedback.per_query or target.id in feedback.per_target:
                    adj = feedback.for_query(r.id)
                    final[k] *= float(one.feedback_factors(adj, feedback, sel)[0])
        out: Floats = np.round(final, 6)
        return out

    def _field_value(self, code: str, under: set[str], exact: set[str]) -> float:
        """``field_scores``' value of one requested code for one candidate."""
        best = 0.0
        parent = self.tree.parent(code)
        if parent is not None and parent in under:
            best = 0.25
        if any(a in exact for a in self.tree.ancestors(code)):
            best = 0.5
        if code in under:
            best = 1.0
        return best

    # -- explanations ---------------------------------------------------------------------------

    def explain(
        self,
        query: Record,
        idx: int,
        feedback: FeedbackBook = EMPTY,
        audience: Audience = "officer",
    ) -> Explanation:
        """The explanation of candidate ``idx`` for ``query`` (scalar recomputation)."""
        target = self.records[idx]
        w = self.weights
        request, other = (query, target) if isinstance(query, Request) else (target, query)
        if not isinstance(request, Request) or isinstance(other, Request):
            raise TypeError("a match pairs a request with an offer, expert or intermediary")
        dense = 0.0
        has_dense = query.vector is not None and target.vector is not None
        if has_dense:
            assert query.vector is not None and target.vector is not None
            cos = float(np.dot(query.vector.astype(np.float64), target.vector.astype(np.float64)))
            dense = min(1.0, max(0.0, (cos - w.dense_floor) / (1.0 - w.dense_floor)))
        raw = self._lexical_one(query, target, idx)
        same = np.array([(lang_mask(query) & lang_mask(target)) != 0])
        lex = float(self._across(np.array([raw]), same)[0])
        fmatches = field_matches(self.tree, query.fields, target.fields)
        fld = sum(m.score for m in fmatches) / len(set(query.fields)) if query.fields else 0.0
        num = w.lexical * lex + (w.dense * dense if has_dense else 0.0)
        den = w.lexical + (w.dense if has_dense else 0.0)
        if query.fields:
            num += w.fields * fld
            den += w.fields
        relevance = num / den
        fit, lines = pair_fit(request, other, self.policy)
        fb, fb_lines = self._feedback_lines(query, target, feedback)
        score = round(relevance * fit * fb, 6)
        comps = Components(dense, lex, fld, relevance, fit, fb, score)
        # the shared terms shown are those the lexical part weighed (none when they weigh
        # nothing); shown also when a same-language pair's overlap is under the floor that
        # makes its lexical part 0: "MEMS" and "cảm biến" shared are still said
        terms = self._terms(query, idx) if raw > 0 else ()
        return Explanation(comps, fmatches, terms, lines + fb_lines)

    def _feedback_lines(
        self, query: Record, target: Record, book: FeedbackBook
    ) -> tuple[float, tuple[Fit, ...]]:
        adj = book.for_query(query.id)
        p = self.policy
        factor = 1.0
        lines: list[Fit] = []
        if isinstance(target, Offer):
            if adj.trl_floor is not None and target.trl and target.trl <= adj.trl_floor:
                f = p.trl_per_level ** (adj.trl_floor + 1 - target.trl)
                lines.append(fit_line("feedback.trl", f, trl=adj.trl_floor))
                factor *= f
            if (
                adj.price_cap is not None
                and target.price.low is not None
                and target.price.low >= adj.price_cap
            ):
                lines.append(
                    fit_line("feedback.price", p.over_budget, price=f"{adj.price_cap:,.0f}")
                )
                factor *= p.over_budget
        if target.id in adj.pair:
            f, kind = adj.pair[target.id]
            lines.append(fit_line("feedback.pair", f, kind=kind))
            factor *= f
        if target.id in book.per_target:
            f = book.per_target[target.id]
            lines.append(fit_line("feedback.target", f))
            factor *= f
        return factor, tuple(lines)

    def _terms(self, query: Record, idx: int, limit: int = 12) -> tuple[TermMatch, ...]:
        target = self.records[idx]
        q = self._query(query)
        qt, qforms, qa = q.terms, q.forms, q.analysis
        ta = self.analysis(idx)
        tt, tforms = record_terms(_text(target), target.lang, self.bridge, self.use_segmenter, ta)
        hidden = q.identity_pieces | _identity_pieces(target)

        @cache
        def bare() -> tuple[bool, bool]:  # once per explanation, and only when needed
            return written_bare(qa, query.lang), written_bare(ta, target.lang)

        p = self.postings
        out: list[TermMatch] = []
        for t in qt & tt:
            j = p.vocab.get(t)
            if j is None:
                continue
            if self.stat_n >= 20 and self.stat_df[j] > self.max_df * self.stat_n:
                continue
            if hidden and (set(t.lstrip(CONCEPT).split("_")) & hidden):
                continue
            if t.startswith(CONCEPT):
                out.append(TermMatch(t, qforms[t], tforms[t], float(self.idf[j])))
                continue
            # accents, languages and fillers: see techmatch.lexical
            shown = shown_pair(t, qa, ta, bare=bare)
            if shown is not None:
                out.append(TermMatch(t, shown[0], shown[1], float(self.idf[j])))
        out.sort(key=lambda m: (not m.term.startswith(CONCEPT), -m.weight, m.term))
        # a compound and its own syllables say the same thing: keep the compound
        compounds = {m.term for m in out if "_" in m.term}
        pieces = {piece for c in compounds for piece in c.split("_")}
        out = [
            m for m in out if "_" in m.term or m.term.startswith(CONCEPT) or m.term not in pieces
        ]
        # one line per pair of words, whatever their case ("Sinh học" and "sinh học")
        seen: set[tuple[str, str]] = set()
        unique = []
        for m in out:
            key = (m.query_form.lower(), m.target_form.lower())
            if key not in seen:
                seen.add(key)
                unique.append(m)
        return tuple(unique[:limit])


@dataclass(frozen=True)
class _QueryMemo:
    text: str
    lang: str
    stats: TermStats | None
    identity: tuple[str, tuple[str, ...]]
    analysis: Analyzed
    terms: frozenset[str]
    forms: dict[str, str]
    term_ids: Ints
    qnorm: float
    identity_pieces: set[str]


def _identity_key(record: Record) -> tuple[str, tuple[str, ...]]:
    if not isinstance(record, Request):
        return ("", ())
    return (record.confidentiality, record.identity)


def _identity_pieces(record: Record) -> set[str]:
    """Folded pieces of a non-public request's identity strings (kept out of explanations)."""
    if not isinstance(record, Request) or record.confidentiality == "public":
        return set()
    out: set[str] = set()
    for name in record.identity:
        terms, _ = record_terms(name, "", None, use_segmenter=False)
        for t in terms:
            out.update(t.split("_"))
    return out


def vector(values: Sequence[float] | Vector) -> Vector:
    """An L2-normalised float32 vector (for callers and tests)."""
    v = np.asarray(values, dtype=np.float32)
    n = float(np.linalg.norm(v))
    return cast(Vector, v / n) if n else v


__all__ = [
    "Components",
    "Explanation",
    "Match",
    "MatchIndex",
    "TermMatch",
    "TermStats",
    "Weights",
    "record_text",
    "vector",
]
