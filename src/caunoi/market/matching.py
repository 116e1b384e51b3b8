"""Matching in the app: techmatch records from the marketplace models, ranking, stored matches.

For each published request, the ranking core (``techmatch``) ranks the published offers,
experts and intermediaries; the best of each kind are stored as ``Match`` rows with their
score and explanation (JSON), replacing the request's previous rows in one transaction. The
feedback given on a row survives the replacement and is fed back to the ranking
(``techmatch.FeedbackBook``). A request's matches are the one source of truth for both
directions: an offer's page lists the requests whose matches include it.

Who sees what (``request_matches`` / ``offer_matches``): a request's matches are for its
requester and network staff; an offer's matching requests for the offer's owner and staff,
never an officers-only request for the owner, and never an anonymous request's requester
(the core keeps identity terms out of explanations; the pages name nobody).

Vectors: a candidate's stored search-document vector when the current engine made it,
otherwise it is embedded now (``caunoi.search.dense.embed_passages``, at most ``EMBED_MAX``
per recompute); the request is embedded as a query (``embed_query``) once per text and
engine, the vector kept in ``RequestVector`` (keyed by a hash of the text embedded).

Analyses: each candidate's lexical analysis (``techmatch.encode_analysis``) is kept in
``CandidateAnalysis``, keyed by a hash of its language and text and the analyser's
fingerprint, so an index build analyses only the candidates whose text (or the analyser)
changed since the last one.

Incremental updates: the lexical part is weighed with a snapshot of each kind's term
statistics (``MatchStatistics``, taken by a full recompute), so a pair's score depends on the
two records alone. A changed, published or withdrawn offer (expert, intermediary) is then
scored against every published request (``update_target``) and inserted into, or removed
from, each request's stored list; a request whose list it leaves is refilled from the full
ranking. The result equals a full recompute with the same snapshot
(``recompute_all(refresh_stats=False)``); when the number of published candidates has moved
by more than ``STATS_DRIFT`` (plus ``STATS_SLACK``) since the snapshot, the update is a full
recompute that takes a new one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from caunoi.core.audience import reader_for
from caunoi.jobs.parallel import fork_map
from caunoi.market import notices
from caunoi.market.audience import as_reader, is_owner
from caunoi.market.models import (
    CandidateAnalysis,
    Confidentiality,
    Cooperation,
    Expert,
    Intermediary,
    Match,
    MatchStatistics,
    RequestVector,
    Status,
    TechnologyOffer,
    TechnologyRequest,
)
from caunoi.search import dense
from caunoi.search.models import SearchDocument
from caunoi.taxonomy.models import Field
from caunoi.taxonomy.selectors import country_labels
from techmatch import (
    Analyzed,
    Budget,
    Capacity,
    Feedback,
    FeedbackBook,
    FieldTree,
    MatchIndex,
    TermBridge,
    TermStats,
    analysis_fingerprint,
    decode_analysis,
    encode_analysis,
    record_text,
)
from techmatch import Expert as TmExpert
from techmatch import Intermediary as TmIntermediary
from techmatch import Match as TmMatch
from techmatch import Offer as TmOffer
from techmatch import Request as TmRequest
from techmatch.fields import taxonomy_links
from techmatch.index import Explanation
from techmatch.lexical import analyze

K = 20  # stored matches per request and kind
# At most this many candidates without a stored vector are embedded by one recompute (the
# search service's background task embeds the rest; until then they rank without the dense
# part). Keeps a recompute after a large import from embedding thousands of offers twice.
EMBED_MAX = 200
# A target update is a full recompute (with new statistics) once the number of published
# candidates of its kind differs from the snapshot's by more than this fraction (plus
# STATS_SLACK, so that a small collection is not recomputed at every publication).
STATS_DRIFT = 0.2
STATS_SLACK = 20
# Requests updated per transaction by an incremental update.
BATCH = 500
# Requests ranked together by a full recompute: their dense cosines against every candidate
# as one matrix product (128 × 100k offers: 51 MB of float32).
RANK_BLOCK = 128
# Rows per INSERT when matches are stored (a block of requests' rows in a few statements).
STORE_BATCH = 1000
# Candidates analysed per item when an index analyses many at once (``fork_map``: spread over
# the cores when there are several such chunks).
ANALYSE_CHUNK = 2000
# Matches below MIN_SCORE are neither stored nor shown (``CAUNOI_MATCH_MIN_SCORE``); a stored
# match below MIN_RELATIVE × the best score of its kind for its request is not shown
# (``CAUNOI_MATCH_MIN_RELATIVE``). A match with feedback is always kept and shown.
MIN_SCORE = 0.15
MIN_RELATIVE = 0.5
# Indicative rates to VND for comparing prices and budgets in different currencies
# (``CAUNOI_MARKET_RATES`` overrides; a currency without a rate is not compared).
RATES = {"VND": 1.0, "USD": 25_000.0, "EUR": 27_000.0}

# The app's cooperation codes → the core's.
COOPERATION = {
    "licence": "licence",
    "technical": "technical_cooperation",
    "joint_venture": "joint_venture",
    "acquisition": "acquisition",
    "commercial": "commercial_technical_assistance",
    "research": "research_cooperation",
    "services": "services",
}
# The app's feedback codes → the core's kinds.
FEEDBACK = {
    "not_relevant": "not_relevant",
    "too_early": "too_early_stage",
    "benefit_unclear": "benefit_unclear",
    "too_expensive": "too_expensive",
    "interested": "interested",
}
# Match target kinds: model, search source slug, the Match column.
KINDS: dict[str, tuple[type[Model], str]] = {
    "offer": (TechnologyOffer, "offers"),
    "expert": (Expert, "experts"),
    "intermediary": (Intermediary, "intermediaries"),
}


def _join(*parts: Any) -> str:
    return "\n".join(str(p).strip() for p in parts if p and str(p).strip())


def _codes(obj: Any) -> tuple[str, ...]:
    return tuple(sorted(f.code for f in obj.fields.all()))


def _lang(language: str) -> str:
    return language if language in ("vi", "en") else ""


def taxonomy() -> tuple[FieldTree, TermBridge]:
    """The field tree and the term bridge of the database's taxonomy
    (``techmatch.fields.taxonomy_links``, as ``caunoi eval-match`` and the bench build them)."""
    return taxonomy_links(Field.objects.values_list("code", "parent__code", "name_vi", "name_en"))


def field_tree() -> FieldTree:
    """The taxonomy's parent links, by code."""
    return taxonomy()[0]


def term_bridge() -> TermBridge:
    """The taxonomy's bilingual field names as cross-language concepts."""
    return taxonomy()[1]


def offer_text(o: TechnologyOffer) -> tuple[str, str]:
    title = " · ".join(t for t in (o.title_vi, o.title_en) if t)
    text = _join(o.summary_vi, o.summary_en, o.description, o.innovation, *(o.keywords or []))
    return title, text


def request_text(r: TechnologyRequest) -> tuple[str, str]:
    title = " · ".join(t for t in (r.title_vi, r.title_en) if t)
    text = _join(r.summary_vi, r.summary_en, r.need, r.purpose, r.characteristics)
    return title, text


def identity(r: TechnologyRequest) -> tuple[str, ...]:
    """The strings that name a requester (kept out of explanations by the core)."""
    out: list[str] = []
    org = r.owner_organization
    if org is not None:
        out += [org.name_vi, org.name_en, org.acronym]
    user = r.owner_user
    out += [user.get_full_name(), user.get_username()]
    return tuple(s for s in out if s)


def request_record(r: TechnologyRequest, vector: Any = None) -> TmRequest:
    title, text = request_text(r)
    return TmRequest(
        id=f"request:{r.pk}",
        title=title,
        text=text,
        fields=_codes(r),
        country="VN",
        preferred_countries=tuple(r.preferred_countries or ()),
        min_trl=r.min_trl,
        cooperation=tuple(COOPERATION.get(c, c) for c in r.cooperation or ()),
        budget=_money_range(r.budget_min, r.budget_max, r.currency),
        capacity=Capacity(
            staff=r.staff_count,
            lab=r.has_lab,
            equipment=True if r.equipment.strip() else None,
        ),
        confidentiality=r.confidentiality,  # type: ignore[arg-type]
        identity=identity(r),
        vector=vector,
    )


def min_score() -> float:
    return float(getattr(settings, "CAUNOI_MATCH_MIN_SCORE", MIN_SCORE))


def min_relative() -> float:
    return float(getattr(settings, "CAUNOI_MATCH_MIN_RELATIVE", MIN_RELATIVE))


def kept(score: float) -> bool:
    """Whether a match with this score is stored (above zero and the floor)."""
    return score > 0 and score >= min_score()


def rates() -> dict[str, float]:
    return dict(getattr(settings, "CAUNOI_MARKET_RATES", None) or RATES)


def _money_range(low: Any, high: Any, currency: str) -> Budget:
    """A price or budget in VND at the indicative rate (open when the currency has none)."""
    rate = rates().get(currency or "VND")
    if rate is None:
        return Budget()
    return Budget(
        float(low) * rate if low is not None else None,
        float(high) * rate if high is not None else None,
    )


def target_record(
    kind: str, obj: Any, vector: Any = None, codes: tuple[str, ...] | None = None
) -> TmOffer | TmExpert | TmIntermediary:
    """``codes``: the record's field codes read before (``_codes(obj)`` otherwise)."""
    rid = f"{kind}:{obj.pk}"
    country = obj.country_id or ""
    if codes is None:
        codes = _codes(obj)
    if kind == "offer":
        title, text = offer_text(obj)
        return TmOffer(
            id=rid,
            title=title,
            text=text,
            lang=_lang(obj.language),
            fields=codes,
            country=country,
            trl=obj.trl,
            cooperation=tuple(COOPERATION.get(c, c) for c in obj.cooperation or ()),
            ip_status=(obj.ip_status,) if obj.ip_status else (),
            price=_money_range(obj.price_min, obj.price_max, obj.price_currency),
            needs=Capacity(
                staff=obj.needs_staff,
                lab=True if obj.needs_lab else None,
                equipment=True if obj.needs_equipment else None,
            ),
            vector=vector,
        )
    if kind == "expert":
        return TmExpert(
            id=rid,
            title=obj.name,
            text=_join(obj.profile, obj.affiliation),
            fields=codes,
            country=country,
            languages=tuple(f"{x['language']}:{x['level']}" for x in obj.languages or ()),
            vector=vector,
        )
    return TmIntermediary(
        id=rid,
        title=obj.name,
        text=_join(obj.services, obj.fees),
        fields=codes,
        country=country,
        regions=tuple(obj.regions or ()),
        vector=vector,
    )


def stored_vectors(source: str, ids: Iterable[int]) -> dict[int, np.ndarray]:
    """The current engine's stored search-document vectors of these records."""
    ident = dense.engine_ident()
    wanted = set(ids)
    rows = SearchDocument.objects.filter(
        kind=source, embedding__isnull=False, embedding_engine__in=[ident, ""]
    )
    if len(wanted) <= 1000:  # a few: by id; many (a full index): the kind's, filtered here
        rows = rows.filter(object_id__in=sorted(wanted))
    out: dict[int, np.ndarray] = {}
    size = dense.DIM * 4
    for pk, raw in rows.values_list("object_id", "embedding").iterator(chunk_size=5000):
        if raw is not None and len(raw) == size and pk in wanted:
            out[int(pk)] = np.frombuffer(bytes(raw), dtype=np.float32)
    return out


def _passage(kind: str, obj: Any) -> str:
    if kind == "offer":
        title, text = offer_text(obj)
    else:
        title, text = obj.name, target_record(kind, obj).text
    return f"{title}. {text}"


def _published(model: type[Model]) -> QuerySet[Any]:
    qs: QuerySet[Any] = model._default_manager.filter(status=Status.PUBLISHED)
    return qs.select_related("owner_organization").prefetch_related("fields").order_by("pk")


# The offer columns a match record is made of (a recompute loads every published offer).
OFFER_COLUMNS = (
    "id",
    "status",
    "title_vi",
    "title_en",
    "summary_vi",
    "summary_en",
    "description",
    "innovation",
    "keywords",
    "language",
    "country_id",
    "trl",
    "cooperation",
    "ip_status",
    "price_min",
    "price_max",
    "price_currency",
    "needs_staff",
    "needs_lab",
    "needs_equipment",
)


def published_codes(model: type[Model]) -> dict[int, tuple[str, ...]]:
    """The field codes of every published record of a model, in one query."""
    m2m = model._meta.get_field("fields")
    through = m2m.remote_field.through  # type: ignore[union-attr]
    own = m2m.m2m_field_name()  # type: ignore[union-attr]
    rows = through.objects.filter(**{f"{own}__status": Status.PUBLISHED}).values_list(
        f"{own}_id", "field__code"
    )
    found: dict[int, list[str]] = {}
    for pk, code in rows.iterator(chunk_size=10_000):
        found.setdefault(int(pk), []).append(code)
    return {pk: tuple(sorted(codes)) for pk, codes in found.items()}


def candidates(kind: str) -> list[Any]:
    """The published records of a kind as techmatch records, with vectors."""
    model, source = KINDS[kind]
    qs = model._default_manager.filter(status=Status.PUBLISHED).order_by("pk")
    if kind == "offer":
        qs = qs.only(*OFFER_COLUMNS)
    objs = list(qs.iterator(chunk_size=5000))
    codes = published_codes(model)
    vecs = stored_vectors(source, [o.pk for o in objs])
    missing = [o for o in objs if o.pk not in vecs][:EMBED_MAX]
    if missing:
        computed = dense.embed_passages([_passage(kind, o) for o in missing])
        for o, v in zip(missing, computed, strict=True):
            vecs[o.pk] = v
    return [target_record(kind, o, vecs.get(o.pk), codes.get(o.pk, ())) for o in objs]


def _analysis_hash(record: Any) -> str:
    return hashlib.sha256(f"{record.lang}\x1f{record_text(record)}".encode()).hexdigest()


def candidate_analyses(
    kind: str,
    records: list[Any],
    *,
    every: bool = False,
    known: Mapping[tuple[str, str], Analyzed] | None = None,
    new: bool = False,
) -> list[Analyzed]:
    """The lexical analyses of these candidates (``CandidateAnalysis``): the stored one where
    the text and the analyser are unchanged, otherwise made now and stored. ``every``: the
    records are all the kind's published ones (a full index), so rows of other records (no
    longer published) are deleted. ``known``: analyses made ahead, by (language, text), taken
    instead of analysing again (an import's workers made them). ``new``: the records were
    just written, so no stored row is read."""
    fingerprint = analysis_fingerprint()
    pks = [int(r.id.split(":", 1)[1]) for r in records]
    rows = CandidateAnalysis.objects.filter(kind=kind)
    if not every:
        rows = rows.filter(object_id__in=pks)
    stored = (
        {}
        if new
        else {
            int(oid): (digest, analyzer, data)
            for oid, digest, analyzer, data in rows.values_list(
                "object_id", "text_hash", "analyzer", "data"
            ).iterator(chunk_size=5000)
        }
    )
    out: list[Analyzed | None] = []
    todo: list[tuple[int, str]] = []  # (position, text hash) of the ones to analyse now
    for pk, r in zip(pks, records, strict=True):
        digest = _analysis_hash(r)
        row = stored.get(pk)
        if row is not None and row[0] == digest and row[1] == fingerprint:
            try:
                out.append(decode_analysis(row[2]))
                continue
            except (ValueError, TypeError, KeyError, IndexError):
                pass  # an unreadable row is made again
        todo.append((len(out), digest))
        out.append(None)

    ahead = known or {}

    def analyse(chunk: list[tuple[int, str]]) -> list[Analyzed]:
        out: list[Analyzed] = []
        for i, _digest in chunk:
            text, lang = record_text(records[i]), records[i].lang
            made = ahead.get((str(lang), text))  # a model's language choice: its value
            out.append(made if made is not None else analyze(text, lang))
        return out

    chunks = [todo[s : s + ANALYSE_CHUNK] for s in range(0, len(todo), ANALYSE_CHUNK)]
    fresh: list[CandidateAnalysis] = []
    now = timezone.now()
    for chunk, made in zip(chunks, fork_map(analyse, chunks), strict=True):
        for (i, digest), a in zip(chunk, made, strict=True):
            out[i] = a
            fresh.append(
                CandidateAnalysis(
                    kind=kind,
                    object_id=pks[i],
                    text_hash=digest,
                    analyzer=fingerprint,
                    data=encode_analysis(a),
                    analysed_at=now,
                )
            )
    if fresh:
        CandidateAnalysis.objects.bulk_create(
            fresh,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=["text_hash", "analyzer", "data", "analysed_at"],
        )
    if every:
        gone = sorted(set(stored) - set(pks))
        for start in range(0, len(gone), 5000):
            CandidateAnalysis.objects.filter(
                kind=kind, object_id__in=gone[start : start + 5000]
            ).delete()
    return [a for a in out if a is not None]


def _has_feedback() -> Q:
    """A match either side gave feedback on."""
    return ~Q(feedback="") | ~Q(provider_feedback="")


def feedback_book() -> FeedbackBook:
    """Every stored feedback mark, the requesters' and the providers', for the ranking."""
    marks = []
    rows = Match.objects.filter(_has_feedback()).select_related("offer").order_by("pk")
    for m in rows:
        kind, pk = _target_of(m)
        query_id, target_id = f"request:{m.request_id}", f"{kind}:{pk}"
        if m.feedback:
            marks.append(
                Feedback(
                    query_id=query_id,
                    target_id=target_id,
                    kind=FEEDBACK[m.feedback],  # type: ignore[arg-type]
                    target_trl=m.offer.trl if m.offer is not None else None,
                )
            )
        if m.provider_feedback:
            marks.append(
                Feedback(
                    query_id=query_id,
                    target_id=target_id,
                    kind=FEEDBACK[m.provider_feedback],  # type: ignore[arg-type]
                    side="provider",
                )
            )
    return FeedbackBook.build(marks)


def _target_key(offer: int | None, expert: int | None, intermediary: int | None) -> tuple[str, int]:
    if offer:
        return "offer", offer
    if expert:
        return "expert", expert
    assert intermediary is not None
    return "intermediary", intermediary


def _target_of(m: Match) -> tuple[str, int]:
    return _target_key(m.offer_id, m.expert_id, m.intermediary_id)


def explanation_json(e: Explanation) -> dict[str, Any]:
    c = e.components
    return {
        "components": {
            "dense": c.dense,
            "lexical": c.lexical,
            "fields": c.fields,
            "relevance": c.relevance,
            "fit": c.fit,
            "feedback": c.feedback,
            "score": c.score,
        },
        "fields": [
            {"requested": f.requested, "matched": f.matched, "relation": f.relation}
            for f in e.fields
        ],
        "terms": [
            {"term": t.term, "query_form": t.query_form, "target_form": t.target_form}
            for t in e.terms
        ],
        "fit": [
            {
                "key": f.key,
                "ok": f.ok,
                "factor": f.factor,
                "en": f.en,
                "vi": f.vi,
                "params": dict(f.params),
            }
            for f in e.fit
        ],
    }


def load_stats(kind: str) -> TermStats | None:
    row = MatchStatistics.objects.filter(kind=kind).first()
    return TermStats(row.n, row.df) if row is not None else None


def save_stats(kind: str, stats: TermStats) -> None:
    MatchStatistics.objects.update_or_create(
        kind=kind, defaults={"n": stats.n, "df": dict(stats.df), "computed_at": timezone.now()}
    )


def kind_index(
    kind: str, tree: FieldTree, bridge: TermBridge, refresh_stats: bool = False
) -> MatchIndex:
    """The index over a kind's published candidates, weighed by the stored snapshot (taken
    now from these candidates when there is none or ``refresh_stats``)."""
    records = candidates(kind)
    stats = None if refresh_stats else load_stats(kind)
    analyses = candidate_analyses(kind, records, every=True)
    index = MatchIndex(records, tree=tree, bridge=bridge, stats=stats, analyses=analyses)
    if stats is None:
        # Built once: an index weighed by its own candidates weighs every term as one given
        # their snapshot would (same n and document frequencies, unseen terms log1p(n)), so
        # the snapshot is taken from it and attached rather than building a second index.
        stats = index.term_stats()
        save_stats(kind, stats)
        index.stats = stats
    return index


def _query_text(r: TechnologyRequest) -> str:
    title, text = request_text(r)
    return f"{title}. {text}"


def query_vectors(requests: list[TechnologyRequest]) -> list[np.ndarray]:
    """The requests' query embeddings: the stored one (``RequestVector``) when the current
    engine made it from the same text, otherwise embedded now and stored."""
    ident = dense.engine_ident()
    texts = [_query_text(r) for r in requests]
    hashes = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
    rows = RequestVector.objects.filter(request_id__in=[r.pk for r in requests if r.pk])
    stored = {v.request_id: v for v in rows}
    out: list[np.ndarray] = []
    fresh: list[RequestVector] = []
    for r, text, digest in zip(requests, texts, hashes, strict=True):
        row = stored.get(r.pk)
        data = bytes(row.embedding) if row is not None else b""
        if (
            row is not None
            and row.text_hash == digest
            and row.engine == ident
            and len(data) == dense.DIM * 4
        ):
            out.append(np.frombuffer(data, dtype=np.float32))
            continue
        vec = dense.embed_query(text)
        out.append(vec)
        if r.pk:
            fresh.append(
                RequestVector(
                    request_id=r.pk,
                    text_hash=digest,
                    engine=ident,
                    embedding=np.asarray(vec, dtype=np.float32).tobytes(),
                    embedded_at=timezone.now(),
                )
            )
    if fresh:
        RequestVector.objects.bulk_create(
            fresh,
            update_conflicts=True,
            unique_fields=["request"],
            update_fields=["text_hash", "engine", "embedding", "embedded_at"],
        )
    return out


def query_record(r: TechnologyRequest) -> TmRequest:
    """A request as a query: its record with its query embedding (stored, or made now)."""
    return query_records([r])[0]


def query_records(requests: list[TechnologyRequest]) -> list[TmRequest]:
    """Requests as queries, their embeddings looked up (and made where missing) at once."""
    vecs = query_vectors(requests)
    return [request_record(r, v) for r, v in zip(requests, vecs, strict=True)]


@dataclass
class Matcher:
    """The indexes over every published candidate, built once for a batch of requests."""

    indexes: dict[str, MatchIndex]
    book: FeedbackBook

    @classmethod
    def build(cls, refresh_stats: bool = False, kinds: Iterable[str] = KINDS) -> Matcher:
        tree, bridge = taxonomy()
        indexes = {kind: kind_index(kind, tree, bridge, refresh_stats) for kind in kinds}
        return cls(indexes, feedback_book())

    def rank(self, r: TechnologyRequest, k: int | None = None) -> list[tuple[str, TmMatch]]:
        return self.rank_block([query_record(r)], k)[0]

    def rank_block(
        self, queries: list[TmRequest], k: int | None = None
    ) -> list[list[tuple[str, TmMatch]]]:
        """``rank`` for a block of requests: per kind, the dense cosines of the whole block
        against every candidate as one matrix product (as ``MatchIndex.rank_many``), then each
        request ranked and cut as alone. The core rescores its shortlist with exact cosines,
        so the stored scores do not depend on how the float32 product was blocked."""
        out: list[list[tuple[str, TmMatch]]] = [[] for _ in queries]
        for kind, index in self.indexes.items():
            cos = _block_cosines(index, queries)
            for i, query in enumerate(queries):
                found = self.rank_kind(kind, index, query, k, dense=cos[i])
                out[i] += [(kind, m) for m in found]
        return out

    def rank_kind(
        self,
        kind: str,
        index: MatchIndex,
        query: TmRequest,
        k: int | None = None,
        dense: np.ndarray | None = None,
    ) -> list[TmMatch]:
        """A request's top ``k`` (``K``) of one kind, and the pairs with feedback outside."""
        adj = self.book.for_query(query.id)
        # Ranked without explanations, then only the rows above the floor are explained
        # (the ones stored; explaining is a fifth of a recompute's time at 100k offers).
        found = [
            TmMatch(m.id, m.rank, m.score, index.explain(query, index.position[m.id], self.book))
            for m in index.rank(query, k or K, feedback=self.book, explain=False, dense=dense)
            if kept(m.score)
        ]
        seen = {m.id for m in found}
        # A pair with feedback stays stored (with its current score) even when it fell out.
        for tid in sorted(adj.pair):
            if tid.startswith(kind + ":") and tid not in seen and tid in index.position:
                e = index.explain(query, index.position[tid], self.book)
                found.append(TmMatch(tid, 0, e.components.score, e))
        return found


def _block_cosines(index: MatchIndex, queries: list[TmRequest]) -> list[np.ndarray | None]:
    """float32 cosines of each query with every candidate (``None``: no dense part)."""
    vecs = [(i, q.vector) for i, q in enumerate(queries) if q.vector is not None]
    with_vec = [i for i, _ in vecs]
    out: list[np.ndarray | None] = [None] * len(queries)
    if not index.dim or not vecs or index.n == 0:
        return out
    qm = np.stack([v for _, v in vecs]).astype(np.float32)
    block = qm @ index.vectors.T
    for row, i in enumerate(with_vec):
        out[i] = block[row]  # float32: the core takes the product's rows as they are
    return out


# A ranked counterpart as it is stored: kind, its primary key, score, explanation (JSON).
Ranked = tuple[str, int, float, dict[str, Any]]


def ranked_rows(matcher: Matcher, queries: list[TmRequest]) -> list[list[Ranked]]:
    """``Matcher.rank_block`` with each match made ready to store (pure computation: what the
    forked children of a recompute run)."""
    out: list[list[Ranked]] = []
    for found in matcher.rank_block(queries):
        rows: list[Ranked] = []
        for kind, m in found:
            assert m.explanation is not None
            pk = int(m.id.split(":", 1)[1])
            rows.append((kind, pk, m.score, explanation_json(m.explanation)))
        out.append(rows)
    return out


def _stored_row(r: TechnologyRequest, ranked: Ranked, now: Any) -> Match:
    kind, pk, score, explanation = ranked
    return Match(
        request=r,
        score=score,
        explanation=explanation,
        computed_at=now,
        **{f"{kind}_id": pk},
    )


def _row(
    r: TechnologyRequest, kind: str, m: TmMatch, now: Any, marks: tuple[str, str] = ("", "")
) -> Match:
    """A match row; ``marks``: the (requester's, provider's) feedback it keeps."""
    pk = int(m.id.split(":", 1)[1])
    assert m.explanation is not None
    return Match(
        request=r,
        score=m.score,
        explanation=explanation_json(m.explanation),
        computed_at=now,
        feedback=marks[0],
        provider_feedback=marks[1],
        **{f"{kind}_id": pk},
    )


def _marks(m: Match) -> tuple[str, str]:
    return (m.feedback, m.provider_feedback)


def recompute_request(
    r: TechnologyRequest,
    matcher: Matcher | None = None,
    ranked: list[tuple[str, TmMatch]] | None = None,
) -> int:
    """Replace a request's matches (none unless it is published); returns how many.
    ``ranked``: the request's ranking already made (``Matcher.rank_block``)."""
    rows: list[Match] = []
    if r.status == Status.PUBLISHED:
        if ranked is None:
            matcher = matcher or Matcher.build()
            ranked = matcher.rank(r)
        now = timezone.now()
        rows = [_row(r, kind, m, now) for kind, m in ranked]
    return store_matches([(r, rows)])


def store_matches(items: list[tuple[TechnologyRequest, list[Match]]]) -> int:
    """Replace the stored matches of each request by its rows, in one transaction and a
    handful of queries for the whole list, however long: the old rows read once, one delete,
    one insert, the notices of the new matches gathered (``notices.matches_stored_block``).
    A row for a counterpart the request was matched with before keeps that match's ID (a
    page or link naming it stays valid) and its feedback. Returns how many rows were stored."""
    ids = [r.pk for r, _rows in items]
    with transaction.atomic():
        old: dict[tuple[int, str, int], tuple[int, str, str]] = {}
        columns = ("request_id", "offer_id", "expert_id", "intermediary_id")
        before = Match.objects.filter(request_id__in=ids).values_list(
            "pk", *columns, "feedback", "provider_feedback"
        )
        for pk, request_id, offer, expert, intermediary, fb, provider_fb in before:
            kind, target = _target_key(offer, expert, intermediary)
            old[(request_id, kind, target)] = (pk, fb, provider_fb)
        rows: list[Match] = []
        for r, found in items:
            for row in found:
                was = old.get((r.pk, *_target_of(row)))
                if was is not None:
                    row.pk, row.feedback, row.provider_feedback = was
            rows.extend(found)
        Match.objects.filter(request_id__in=ids).delete()
        Match.objects.bulk_create(rows, batch_size=STORE_BATCH)
        notices.matches_stored_block(items)  # tells of new matches, once each
    return len(rows)


def recompute_all(refresh_stats: bool = True) -> int:
    """Every published request's matches, and no matches for requests that are not
    published. Takes new term statistics unless ``refresh_stats=False``."""
    Match.objects.exclude(request__status=Status.PUBLISHED).delete()
    requests = list(_published(TechnologyRequest).select_related("owner_user"))
    if not requests:
        if refresh_stats:  # the next recompute takes a snapshot of what is published then
            MatchStatistics.objects.all().delete()
        return 0
    matcher = Matcher.build(refresh_stats=refresh_stats)
    blocks = [requests[s : s + RANK_BLOCK] for s in range(0, len(requests), RANK_BLOCK)]
    queries = [query_records(block) for block in blocks]

    def rank(i: int) -> list[list[Ranked]]:
        return ranked_rows(matcher, queries[i])

    total = 0
    # The blocks are ranked in forked processes (the indexes inherited, not rebuilt) while
    # this one stores each block's rows as it comes, in order: one commit per block.
    for block, ranked in zip(blocks, fork_map(rank, range(len(blocks))), strict=True):
        now = timezone.now()
        total += store_matches(
            [
                (r, [_stored_row(r, one, now) for one in found])
                for r, found in zip(block, ranked, strict=True)
            ]
        )
    return total


def _order_key(kind: str, pk: int, score: float) -> tuple[float, str]:
    return (-score, f"{kind}:{pk}")  # the core's order: score, then candidate id


def update_target(kind: str, pk: int) -> dict[str, int]:
    """After one offer (expert, intermediary) was published, changed or withdrawn: its rows
    in every published request's matches, as a full recompute would leave them.

    The record is scored against every published request at once
    (``MatchIndex.scores_for``, with the kind's statistics snapshot). Per request: the row is
    inserted when the score enters the top ``K``, updated or removed otherwise; when the
    record leaves the top ``K`` (lower score, unpublished), the list is refilled from the
    request's full ranking. Requests are updated ``BATCH`` per transaction. Returns counts.
    """
    model, _source = KINDS[kind]
    published_n = model._default_manager.filter(status=Status.PUBLISHED).count()
    stats = load_stats(kind)
    if stats is None or abs(published_n - stats.n) > STATS_DRIFT * stats.n + STATS_SLACK:
        return {"full": 1, "matches": recompute_all(refresh_stats=True)}
    Match.objects.exclude(request__status=Status.PUBLISHED).delete()
    requests = list(_published(TechnologyRequest).select_related("owner_user"))
    counts = {"full": 0, "requests": len(requests), "inserted": 0, "removed": 0, "refilled": 0}
    if not requests:
        return counts
    tree, bridge = taxonomy()
    book = feedback_book()
    queries = query_records(requests)
    obj = _published(model).filter(pk=pk).first()
    scores = np.zeros(len(requests))
    one: MatchIndex | None = None
    if obj is not None:
        vec = stored_vectors(_source, [pk]).get(pk)
        if vec is None:
            vec = dense.embed_passages([_passage(kind, obj)])[0]
        target = target_record(kind, obj, vec)
        rix = MatchIndex(queries, tree=tree, bridge=bridge, stats=stats)
        scores = rix.scores_for(target, book)
        one = MatchIndex(
            [target],
            tree=tree,
            bridge=bridge,
            stats=stats,
            analyses=candidate_analyses(kind, [target]),
        )
    full: MatchIndex | None = None  # built on the first refill
    matcher = Matcher({}, book)
    column = f"{kind}_id"
    now = timezone.now()
    for start in range(0, len(requests), BATCH):
        batch = list(range(start, min(start + BATCH, len(requests))))
        ids = [requests[i].pk for i in batch]
        with transaction.atomic():
            stored: dict[int, list[Match]] = {}
            qs = Match.objects.filter(request_id__in=ids, **{f"{kind}__isnull": False})
            for m in qs.select_for_update().order_by("pk"):
                stored.setdefault(m.request_id, []).append(m)
            for i in batch:
                r, query, score = requests[i], queries[i], float(scores[i])
                rows = stored.get(r.pk, [])
                mine = next((m for m in rows if getattr(m, column) == pk), None)
                top = sorted(
                    (m for m in rows if kept(m.score)),
                    key=lambda m: _order_key(kind, getattr(m, column), m.score),
                )[:K]
                marks = _marks(mine) if mine is not None else ("", "")
                feedback = any(marks)
                keep = obj is not None and (kept(score) or feedback)
                new_key = _order_key(kind, pk, score)
                boundary = top[-1] if len(top) == K else None
                was_top = mine is not None and any(m is mine for m in top)
                if boundary is None:
                    refill = False  # every candidate above the floor is stored already
                elif was_top:
                    # a better score keeps its place; a lower one may let another in
                    refill = boundary is mine or not (
                        kept(score)
                        and new_key < _order_key(kind, getattr(boundary, column), boundary.score)
                    )
                else:
                    refill = False
                if refill:
                    if full is None:
                        full = kind_index(kind, tree, bridge)
                    found = matcher.rank_kind(kind, full, query)
                    before = {getattr(m, column): m for m in rows}
                    new_rows = []
                    for tm in found:
                        was = before.get(int(tm.id.split(":", 1)[1]))
                        row = _row(r, kind, tm, now, _marks(was) if was else ("", ""))
                        row.pk = was.pk if was else None  # the same pair keeps its ID
                        new_rows.append(row)
                    Match.objects.filter(pk__in=[m.pk for m in rows]).delete()
                    Match.objects.bulk_create(new_rows)
                    notices.matches_stored(r, new_rows)
                    counts["refilled"] += 1
                    continue
                beats = boundary is not None and new_key < _order_key(
                    kind, getattr(boundary, column), boundary.score
                )
                enters = keep and (feedback or boundary is None or was_top or beats)
                if mine is not None and not (enters and one is not None):
                    mine.delete()
                    counts["removed"] += not enters
                if enters and one is not None:
                    e = one.explain(query, 0, book)
                    if mine is not None:  # updated in place: the pair keeps its ID
                        mine.score, mine.explanation = score, explanation_json(e)
                        mine.computed_at = now
                        mine.save(update_fields=["score", "explanation", "computed_at"])
                        created = mine
                    else:
                        created = Match.objects.create(
                            **{
                                "request": r,
                                "score": score,
                                "explanation": explanation_json(e),
                                "computed_at": now,
                                column: pk,
                            }
                        )
                        counts["inserted"] += 1
                    notices.matches_stored(r, [created])  # a new counterpart, told once
                # entering the list pushes its old last one out (kept if it has feedback)
                pushed = enters and beats and not was_top and boundary is not None
                if pushed and boundary is not None and not any(_marks(boundary)):
                    boundary.delete()
    return counts


# --- who sees which matches ---------------------------------------------------------------


def can_see_request_matches(user: Any, r: TechnologyRequest) -> bool:
    reader = as_reader(user)
    return reader.is_staff or is_owner(reader, r)


def can_see_target_matches(user: Any, target: Any) -> bool:
    reader = as_reader(user)
    return reader.is_staff or is_owner(reader, target)


def request_matches(user: Any, r: TechnologyRequest) -> QuerySet[Match] | None:
    """The request's matches for this user: its requester and staff; None for anyone else."""
    if not can_see_request_matches(user, r):
        return None
    return (
        _shown(
            r.matches.filter(
                Q(offer__status=Status.PUBLISHED)
                | Q(expert__status=Status.PUBLISHED)
                | Q(intermediary__status=Status.PUBLISHED)
            )
        )
        .select_related("offer", "expert", "intermediary")
        .order_by("-score", "pk")
    )


def _shown(qs: QuerySet[Match], mark: str = "feedback") -> QuerySet[Match]:
    """The stored matches that are shown: at or above the floor (``min_score``) and at least
    ``min_relative`` × the best stored score of the same kind for the same request; a match
    with the reader's side's feedback (``mark``: ``feedback``, the requester's, or
    ``provider_feedback``) always, so that they can see and change what they said."""
    from django.db.models import F, OuterRef, Subquery

    visible = Q(score__gte=min_score())
    rel = min_relative()
    if rel > 0:
        for kind in KINDS:
            # The best among the published targets only: a withdrawn offer's stored score,
            # until the next recompute removes it, must not hide the published ones.
            best = (
                Match.objects.filter(
                    request=OuterRef("request"), **{f"{kind}__status": Status.PUBLISHED}
                )
                .order_by("-score")
                .values("score")[:1]
            )
            qs = qs.annotate(**{f"best_{kind}": Subquery(best)})
            visible &= ~Q(**{f"{kind}__isnull": False}) | Q(score__gte=F(f"best_{kind}") * rel)
    return qs.filter(visible | ~Q(**{mark: ""}))


def target_matches(user: Any, target: Any) -> QuerySet[Match] | None:
    """The requests matching an offer (expert, intermediary) for this user: the target's owner
    and staff (None for anyone else); officers-only requests for staff alone."""
    reader = as_reader(user)
    if not can_see_target_matches(reader, target):
        return None
    kind = {TechnologyOffer: "offer", Expert: "expert", Intermediary: "intermediary"}[type(target)]
    qs = _shown(
        Match.objects.filter(**{kind: target}, request__status=Status.PUBLISHED),
        "provider_feedback",
    )
    if not reader.is_staff:
        qs = qs.exclude(request__confidentiality=Confidentiality.OFFICERS)
    return qs.select_related("request", "request__owner_organization").order_by("-score", "pk")


def _is_officer(user: Any) -> bool:
    return bool(getattr(user, "is_admin", False) or getattr(user, "is_officer", False))


def can_give_feedback(user: Any, record: Any) -> bool:
    """Feedback on a side's matches: that side's owner (writer, organisation) or an officer
    (viewers read matches but mark nothing)."""
    return _is_officer(user) or is_owner(as_reader(user), record)


def set_feedback(*, user: Any, match: Match, feedback: str) -> Match:
    """The requester's (or an officer's) feedback on one match; the request is re-ranked."""
    from caunoi.core.errors import DomainError

    if feedback not in FEEDBACK and feedback != "":
        raise DomainError("unknown feedback", errors={"feedback": ["unknown feedback"]})
    if not can_give_feedback(user, match.request):
        raise DomainError("You may not give feedback on this match.")
    return _mark(user, match, "feedback", feedback)


def _mark(user: Any, match: Match, name: str, feedback: str) -> Match:
    """One side's mark saved, and who changed it from what to what in the audit trail
    (read by officers only); nothing is recorded when the mark is unchanged."""
    from caunoi.accounts.models import AuditEvent
    from caunoi.accounts.services import audit_record

    before = getattr(match, name)
    setattr(match, name, feedback)
    match.save(update_fields=[name])
    if before != feedback:
        audit_record(
            actor=user,
            action=AuditEvent.Action.UPDATE,
            instance=match,
            changes={name: [before, feedback]},
        )
    return match


def provider_match(user: Any, pk: int) -> Match | None:
    """A match as listed on its offer's (expert's, intermediary's) page to this user: its
    owner and staff; None when it is not listed to them (an officers-only request, one not
    published, a weak match, someone else's record)."""
    match = Match.objects.select_related("offer", "expert", "intermediary").filter(pk=pk).first()
    if match is None:
        return None
    target = target_of(match)
    rows = target_matches(user, target) if target is not None else None
    if rows is None or not rows.filter(pk=match.pk).exists():
        return None
    return match


def set_provider_feedback(*, user: Any, match: Match, feedback: str) -> Match:
    """The provider's (or an officer's) feedback on one match of its offer (expert,
    intermediary), beside the requester's, which it never overwrites; the request is
    re-ranked (a provider's mark weighs only on the pair, ``techmatch.feedback``)."""
    from caunoi.core.errors import DomainError

    if feedback not in FEEDBACK and feedback != "":
        raise DomainError("unknown feedback", errors={"feedback": ["unknown feedback"]})
    target = target_of(match)
    if target is None or not can_give_feedback(user, target):
        raise DomainError("You may not give feedback on this match.")
    return _mark(user, match, "provider_feedback", feedback)


# --- presentation -----------------------------------------------------------------------------


# Fit lines that come from feedback: a pair's mark (either side's), and what a requester's
# marks on other matches taught (TRL floor, price cap) or other requesters' on the target.
_REQUESTER_LEARNED = ("feedback.trl", "feedback.price", "feedback.target")


def explanation_for(m: Match, side: str, staff: bool) -> dict[str, Any]:
    """A stored explanation as one side may read it (``side``: ``requester`` or
    ``provider``): network staff read it whole; neither side learns the other's marks
    through it — the pair's feedback line is left out when the other side marked the pair,
    and a provider does not read what the requester's (or other requesters') marks taught
    the ranking. Each side sees its own mark where it gives it."""
    expl = m.explanation or {}
    if staff:
        return expl
    other = m.provider_feedback if side == "requester" else m.feedback
    drop = {"feedback.pair"} if other else set()
    if side == "provider":
        drop.update(_REQUESTER_LEARNED)
    if not drop:
        return expl
    fit = [line for line in expl.get("fit", []) if line.get("key") not in drop]
    return {**expl, "fit": fit}


def explanation_lines(expl: dict[str, Any]) -> dict[str, list[str]]:
    """A stored explanation in the reader's language: fit lines (gettext of the core's English
    phrase, its placeholders filled), matched fields by name, shared terms in both spellings."""
    from django.utils.translation import gettext

    names = {f.code: str(f) for f in Field.objects.filter(code__in=_codes_in(expl))}
    countries = country_labels(
        [str(line["params"]["country"]) for line in expl.get("fit", []) if _has_country(line)]
    )
    fit = []
    for line in expl.get("fit", []):
        params = _display_params(line.get("params", {}), countries)
        try:
            fit.append(gettext(line["en"]).format(**params))
        except (KeyError, IndexError, ValueError):
            fit.append(line.get("en", ""))
    fields = [
        names.get(f["matched"], f["matched"])
        + ("" if f["matched"] == f["requested"] else f" ({names.get(f['requested'], '')})")
        for f in expl.get("fields", [])
    ]
    terms = []
    for t in expl.get("terms", []):
        q, o = t.get("query_form", ""), t.get("target_form", "")
        terms.append(q if q.lower() == o.lower() else f"{q} ↔ {o}")
    return {"fit": fit, "fields": fields, "terms": terms}


def _has_country(line: Any) -> bool:
    return (
        isinstance(line, dict)
        and isinstance(line.get("params"), dict)
        and bool(line["params"].get("country"))
    )


# The core's codes → the app's, for labels (the inverse of COOPERATION and FEEDBACK).
_APP_COOPERATION = {core: app for app, core in COOPERATION.items()}
_APP_FEEDBACK = {core: app for app, core in FEEDBACK.items()}


def _money_label(value: str) -> str:
    """A core amount ("1,250,000", in VND at the indicative rates) in the reader's format."""
    from django.utils.formats import get_format

    try:
        amount = round(float(value.replace(",", "")))
    except ValueError:
        return value
    # grouped by thousands with the locale's separator (Django's vi format sets no grouping)
    sep = str(get_format("THOUSAND_SEPARATOR")) or ","
    return f"{amount:,} VND".replace(",", sep)


def _display_params(params: Any, countries: dict[str, str]) -> dict[str, str]:
    """A fit line's placeholders in the reader's words: cooperation types and feedback kinds
    by their labels, countries by name, amounts in the reader's number format."""
    if not isinstance(params, dict):
        return {}
    out = {str(k): str(v) for k, v in params.items()}
    if "types" in out:
        labels = []
        for code in (c.strip() for c in out["types"].split(",")):
            app = _APP_COOPERATION.get(code, code)
            labels.append(str(Cooperation(app).label) if app in Cooperation.values else code)
        out["types"] = ", ".join(labels)
    if "country" in out:
        out["country"] = countries.get(out["country"].upper(), out["country"])
    if "kind" in out:
        app = _APP_FEEDBACK.get(out["kind"], out["kind"])
        if app in Match.Feedback.values:
            out["kind"] = str(Match.Feedback(app).label)
    for key in ("price", "budget"):
        if key in out:
            out[key] = _money_label(out[key])
    return out


def _codes_in(expl: dict[str, Any]) -> set[str]:
    return {c for f in expl.get("fields", []) for c in (f["requested"], f["matched"])}


def target_of(m: Match) -> Any:
    return m.offer or m.expert or m.intermediary


def request_sections(user: Any, r: TechnologyRequest) -> list[dict[str, Any]] | None:
    """The request page's "Matching offers/experts/intermediaries" (None: not for this user)."""
    from django.utils.translation import gettext

    rows = request_matches(user, r)
    if rows is None:
        return None
    titles = {
        "offer": gettext("Matching offers"),
        "expert": gettext("Matching experts"),
        "intermediary": gettext("Matching intermediaries"),
    }
    staff = reader_for(user).is_staff
    out = []
    for kind in KINDS:
        items = [
            {
                "match": m,
                "target": target_of(m),
                "lines": explanation_lines(explanation_for(m, "requester", staff)),
            }
            for m in rows
            if getattr(m, f"{kind}_id")
        ]
        out.append({"kind": kind, "title": titles[kind], "items": items})
    return out


def target_section(user: Any, target: Any) -> list[dict[str, Any]] | None:
    """The offer page's matching requests (None: not for this user); an anonymous request's
    requester named only to those who may see it."""
    from caunoi.market.audience import requester_visible

    rows = target_matches(user, target)
    if rows is None:
        return None
    staff = reader_for(user).is_staff
    out = []
    for m in rows:
        r = m.request
        org = r.owner_organization if requester_visible(user, r) else None
        out.append(
            {
                "match": m,
                "request": r,
                "anonymous": not requester_visible(user, r),
                "organization": org,
                "lines": explanation_lines(explanation_for(m, "provider", staff)),
            }
        )
    return out
