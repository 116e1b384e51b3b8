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
per recompute); the request is embedded as a query (``embed_query``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from caunoi.market import notices
from caunoi.market.audience import as_reader, is_owner
from caunoi.market.models import (
    Confidentiality,
    Expert,
    Intermediary,
    Match,
    Status,
    TechnologyOffer,
    TechnologyRequest,
)
from caunoi.search import dense
from caunoi.search.models import SearchDocument
from caunoi.taxonomy.models import Field
from techmatch import (
    Capacity,
    Feedback,
    FeedbackBook,
    FieldTree,
    MatchIndex,
    TermBridge,
)
from techmatch import Expert as TmExpert
from techmatch import Intermediary as TmIntermediary
from techmatch import Match as TmMatch
from techmatch import Offer as TmOffer
from techmatch import Request as TmRequest
from techmatch.index import Explanation

K = 20  # stored matches per request and kind
# At most this many candidates without a stored vector are embedded by one recompute (the
# search service's background task embeds the rest; until then they rank without the dense
# part). Keeps a recompute after a large import from embedding thousands of offers twice.
EMBED_MAX = 200

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


def field_tree() -> FieldTree:
    """The taxonomy's parent links, by code."""
    rows = Field.objects.values_list("code", "parent__code")
    return FieldTree({code: parent for code, parent in rows})


def term_bridge() -> TermBridge:
    """The taxonomy's bilingual field names as cross-language concepts."""
    labels: dict[str, tuple[str, ...]] = {}
    for code, vi, en in Field.objects.values_list("code", "name_vi", "name_en"):
        names = tuple(n for n in (vi, en) if n)
        if names:
            labels[code] = names
    return TermBridge(labels)


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
        # The offers state no price yet, so the budget constrains nothing; it is passed as is.
        budget=_budget(r),
        capacity=Capacity(
            staff=r.staff_count,
            equipment=True if r.equipment.strip() else None,
        ),
        confidentiality=r.confidentiality,  # type: ignore[arg-type]
        identity=identity(r),
        vector=vector,
    )


def _budget(r: TechnologyRequest) -> Any:
    from techmatch import Budget

    low = float(r.budget_min) if r.budget_min is not None else None
    high = float(r.budget_max) if r.budget_max is not None else None
    return Budget(low, high)


def target_record(kind: str, obj: Any, vector: Any = None) -> TmOffer | TmExpert | TmIntermediary:
    rid = f"{kind}:{obj.pk}"
    country = obj.country_id or ""
    if kind == "offer":
        title, text = offer_text(obj)
        return TmOffer(
            id=rid,
            title=title,
            text=text,
            lang=_lang(obj.language),
            fields=_codes(obj),
            country=country,
            trl=obj.trl,
            cooperation=tuple(COOPERATION.get(c, c) for c in obj.cooperation or ()),
            ip_status=(obj.ip_status,) if obj.ip_status else (),
            vector=vector,
        )
    if kind == "expert":
        return TmExpert(
            id=rid,
            title=obj.name,
            text=_join(obj.profile, obj.affiliation),
            fields=_codes(obj),
            country=country,
            languages=tuple(f"{x['language']}:{x['level']}" for x in obj.languages or ()),
            vector=vector,
        )
    return TmIntermediary(
        id=rid,
        title=obj.name,
        text=_join(obj.services, obj.fees),
        fields=_codes(obj),
        country=country,
        regions=tuple(obj.regions or ()),
        vector=vector,
    )


def stored_vectors(source: str, ids: Iterable[int]) -> dict[int, np.ndarray]:
    """The current engine's stored search-document vectors of these records."""
    ident = dense.engine_ident()
    rows = SearchDocument.objects.filter(
        kind=source,
        object_id__in=list(ids),
        embedding__isnull=False,
        embedding_engine__in=[ident, ""],
    ).values_list("object_id", "embedding")
    out: dict[int, np.ndarray] = {}
    for pk, raw in rows:
        data = bytes(raw or b"")
        if len(data) == dense.DIM * 4:
            out[int(pk)] = np.frombuffer(data, dtype=np.float32)
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


def candidates(kind: str) -> list[Any]:
    """The published records of a kind as techmatch records, with vectors."""
    model, source = KINDS[kind]
    objs = list(_published(model))
    vecs = stored_vectors(source, [o.pk for o in objs])
    missing = [o for o in objs if o.pk not in vecs][:EMBED_MAX]
    if missing:
        computed = dense.embed_passages([_passage(kind, o) for o in missing])
        for o, v in zip(missing, computed, strict=True):
            vecs[o.pk] = v
    return [target_record(kind, o, vecs.get(o.pk)) for o in objs]


def feedback_book() -> FeedbackBook:
    """Every stored feedback mark, for the ranking."""
    marks = []
    rows = Match.objects.exclude(feedback="").select_related("offer").order_by("pk")
    for m in rows:
        kind, pk = _target_of(m)
        marks.append(
            Feedback(
                query_id=f"request:{m.request_id}",
                target_id=f"{kind}:{pk}",
                kind=FEEDBACK[m.feedback],  # type: ignore[arg-type]
                target_trl=m.offer.trl if m.offer is not None else None,
            )
        )
    return FeedbackBook.build(marks)


def _target_of(m: Match) -> tuple[str, int]:
    if m.offer_id:
        return "offer", m.offer_id
    if m.expert_id:
        return "expert", m.expert_id
    assert m.intermediary_id is not None
    return "intermediary", m.intermediary_id


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


@dataclass
class Matcher:
    """The indexes over every published candidate, built once for a batch of requests."""

    indexes: dict[str, MatchIndex]
    book: FeedbackBook

    @classmethod
    def build(cls) -> Matcher:
        tree, bridge = field_tree(), term_bridge()
        indexes = {kind: MatchIndex(candidates(kind), tree=tree, bridge=bridge) for kind in KINDS}
        return cls(indexes, feedback_book())

    def rank(self, r: TechnologyRequest, k: int = K) -> list[tuple[str, TmMatch]]:
        title, text = request_text(r)
        query = request_record(r, dense.embed_query(f"{title}. {text}"))
        adj = self.book.for_query(query.id)
        out: list[tuple[str, TmMatch]] = []
        for kind, index in self.indexes.items():
            found = index.rank(query, k, feedback=self.book)
            seen = {m.id for m in found}
            out += [(kind, m) for m in found]
            # A pair with feedback stays stored (with its current score) even when it fell out.
            for tid in sorted(adj.pair):
                if tid.startswith(kind + ":") and tid not in seen and tid in index.position:
                    e = index.explain(query, index.position[tid], self.book)
                    out.append((kind, TmMatch(tid, 0, e.components.score, e)))
        return out


def recompute_request(r: TechnologyRequest, matcher: Matcher | None = None) -> int:
    """Replace a request's matches (none unless it is published); returns how many."""
    rows: list[Match] = []
    if r.status == Status.PUBLISHED:
        matcher = matcher or Matcher.build()
        now = timezone.now()
        for kind, m in matcher.rank(r):
            pk = int(m.id.split(":", 1)[1])
            assert m.explanation is not None
            rows.append(
                Match(
                    request=r,
                    score=m.score,
                    explanation=explanation_json(m.explanation),
                    computed_at=now,
                    **{f"{kind}_id": pk},
                )
            )
    with transaction.atomic():
        old = {_target_of(m): m.feedback for m in r.matches.exclude(feedback="")}
        for row in rows:
            row.feedback = old.get(_target_of(row), "")
        r.matches.all().delete()
        Match.objects.bulk_create(rows)
        notices.matches_stored(r, rows)  # tells the requester of new matches, once each
    return len(rows)


def recompute_all() -> int:
    """Every published request's matches (after a candidate was published or changed), and
    no matches for requests that are not published."""
    Match.objects.exclude(request__status=Status.PUBLISHED).delete()
    requests = list(_published(TechnologyRequest).select_related("owner_user"))
    if not requests:
        return 0
    matcher = Matcher.build()
    return sum(recompute_request(r, matcher) for r in requests)


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
        r.matches.filter(
            Q(offer__status=Status.PUBLISHED)
            | Q(expert__status=Status.PUBLISHED)
            | Q(intermediary__status=Status.PUBLISHED)
        )
        .select_related("offer", "expert", "intermediary")
        .order_by("-score", "pk")
    )


def target_matches(user: Any, target: Any) -> QuerySet[Match] | None:
    """The requests matching an offer (expert, intermediary) for this user: the target's owner
    and staff (None for anyone else); officers-only requests for staff alone."""
    reader = as_reader(user)
    if not can_see_target_matches(reader, target):
        return None
    kind = {TechnologyOffer: "offer", Expert: "expert", Intermediary: "intermediary"}[type(target)]
    qs = Match.objects.filter(**{kind: target}, request__status=Status.PUBLISHED)
    if not reader.is_staff:
        qs = qs.exclude(request__confidentiality=Confidentiality.OFFICERS)
    return qs.select_related("request", "request__owner_organization").order_by("-score", "pk")


def set_feedback(*, user: Any, match: Match, feedback: str) -> Match:
    """The requester's (or an officer's) feedback on one match; the request is re-ranked."""
    from caunoi.core.errors import DomainError

    if feedback not in FEEDBACK and feedback != "":
        raise DomainError("unknown feedback", errors={"feedback": ["unknown feedback"]})
    if not can_see_request_matches(user, match.request):
        raise DomainError("You may not give feedback on this match.")
    match.feedback = feedback
    match.save(update_fields=["feedback"])
    return match


# --- presentation -----------------------------------------------------------------------------


def explanation_lines(expl: dict[str, Any]) -> dict[str, list[str]]:
    """A stored explanation in the reader's language: fit lines (gettext of the core's English
    phrase, its placeholders filled), matched fields by name, shared terms in both spellings."""
    from django.utils.translation import gettext

    names = {f.code: str(f) for f in Field.objects.filter(code__in=_codes_in(expl))}
    fit = []
    for line in expl.get("fit", []):
        try:
            fit.append(gettext(line["en"]).format(**line.get("params", {})))
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
    out = []
    for kind in KINDS:
        items = [
            {"match": m, "target": target_of(m), "lines": explanation_lines(m.explanation)}
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
                "lines": explanation_lines(m.explanation),
            }
        )
    return out
