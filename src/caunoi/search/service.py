"""The search service: one call for the search page, the API and the registry lists.

Permissions: each document carries its audience (``caunoi.core.audience``) and the reader's
principals filter the index queries themselves, so hits, facets and counts never include a
document the reader may not see. Facets and counts over the candidates are computed in the
lexical index (``lexical.facet_counts``: the facet values are columns of the index); only the
page's hits are read from the database. The service imports no domain app: sources and facet
labels are registered by the apps that own them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from caunoi.core.audience import reader_for
from caunoi.core.errors import DomainError
from caunoi.core.parsing import parse_int
from caunoi.search import highlight, lexical, ranking
from caunoi.search.models import SearchDocument, audience_q
from caunoi.search.sources import FACET_EXPANSIONS, FACET_LABELS, all_sources

MODES = ("hybrid", "lexical", "dense")
SORTS = ("relevance", "date")
FACETS = ("kind", "field", "country", "year", "status")
MAX_CANDIDATES = 1000  # facets and counts cover at most this many best matches
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str
    object_id: int
    title: SafeString  # escaped, matches in <mark>
    snippet: SafeString
    url: str
    score: float
    date: dt.date | None


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    values: list[FacetValue]


@dataclass
class SearchResult:
    query: str
    mode: str
    sort: str
    page: int
    page_size: int
    total: int
    hits: list[Hit]
    facets: list[Facet]
    filters: dict[str, str]
    corrections: dict[str, list[str]] = field(default_factory=dict)
    truncated: bool = False  # the query was longer than the bounds: ``query`` is what was used

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    def groups(self) -> list[tuple[str, str, list[Hit]]]:
        """The page's hits grouped by type, groups in order of their best hit."""
        out: dict[str, tuple[str, str, list[Hit]]] = {}
        for hit in self.hits:
            out.setdefault(hit.kind, (hit.kind, hit.kind_label, []))[2].append(hit)
        return list(out.values())


def _clean_filters(
    filters: Mapping[str, Any] | None, kinds: Sequence[str] | None
) -> dict[str, str]:
    sources = all_sources()
    out: dict[str, str] = {}
    for name in FACETS:
        value = str((filters or {}).get(name) or "").strip()
        if not value:
            continue
        if name == "kind" and value not in sources:
            raise DomainError(f"Unknown type: {value}", errors={"kind": [value]})
        if name == "year" and parse_int(value) is None:
            raise DomainError(f"Not a year: {value}", errors={"year": [value]})
        out[name] = value.upper() if name == "country" else value
    if kinds:
        unknown = [k for k in kinds if k not in sources]
        if unknown:
            raise DomainError(f"Unknown type: {unknown[0]}", errors={"kinds": unknown})
    return out


def _field_family(slug: str) -> set[str]:
    expand = FACET_EXPANSIONS.get("field")
    return expand(slug) if expand else {slug}


def _labels(name: str, values: Sequence[str]) -> dict[str, str]:
    if name == "kind":
        return {k: str(s.label_plural) for k, s in all_sources().items()}
    if name in FACET_LABELS:
        return FACET_LABELS[name](list(values))
    if name == "status":
        labels: dict[str, str] = {}
        for source in all_sources().values():
            labels.update(source.status_choices())
        return labels
    return {}


_COLUMNS = ("id", "kind", "object_id", "title", "url", "date", "body")


def _rows(ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Display columns of the page's documents (one query, no ORM rows)."""
    out: dict[int, dict[str, Any]] = {}
    if not ids:
        return out
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM search_searchdocument "
            f"WHERE id IN ({', '.join(['%s'] * len(ids))})",
            list(ids),
        )
        for row in cur.fetchall():
            d = dict(zip(_COLUMNS, row, strict=True))
            if isinstance(d["date"], str):  # SQLite returns dates as text
                d["date"] = dt.date.fromisoformat(d["date"])
            out[d["id"]] = d
    return out


def search(
    *,
    user: Any,
    query: str = "",
    mode: str = "hybrid",
    kinds: Sequence[str] | None = None,
    filters: Mapping[str, Any] | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
) -> SearchResult:
    """Search every record this user may see."""
    if mode not in MODES:
        raise DomainError(f"Unknown mode: {mode}", errors={"mode": [mode]})
    if sort not in SORTS:
        raise DomainError(f"Unknown sort: {sort}", errors={"sort": [sort]})
    query, truncated = ranking.clip_query(query)
    clean = _clean_filters(filters, kinds)
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    page = max(1, int(page))
    reader = reader_for(user)
    scope = list(kinds) if kinds else None

    scores: dict[int, float] = {}
    order: list[int] = []
    corrections: dict[str, list[str]] = {}
    terms = highlight.NO_TERMS
    searcher = None
    if query:
        ranked, p = ranking.rank(query, mode=mode, limit=MAX_CANDIDATES, reader=reader, kinds=scope)
        ranked = [r for r in ranked if r.strong][:MAX_CANDIDATES]
        order = [r.doc_id for r in ranked]
        scores = {r.doc_id: r.score for r in ranked}
        corrections = p.corrections
        terms = highlight.query_terms(query, [t for ts in corrections.values() for t in ts])
        searcher = p.searcher
    else:
        qs = SearchDocument.objects.filter(audience_q(reader))
        if scope:
            qs = qs.filter(kind__in=scope)
        order = list(qs.order_by("-date", "-pk").values_list("pk", flat=True)[:MAX_CANDIDATES])
    # Facets and counts over the candidates, from the lexical index's columns (every document
    # is in it; the candidates are already the reader's).
    accepted = {n: {v} for n, v in clean.items()}
    if "field" in clean:
        accepted["field"] = _field_family(clean["field"])
    fc = lexical.facet_counts(order, accepted, FACETS, searcher)
    matched = [i for i in order if i in fc.matched]
    if sort == "date":
        dates = fc.matched
        matched.sort(key=lambda i: (dates[i] is None, -(dates[i] or 0)))

    facets: list[Facet] = []
    for name in FACETS:
        counts = fc.counts.get(name, {})
        labels = _labels(name, list(counts))
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if name == "year":
            ordered = sorted(counts.items(), key=lambda kv: kv[0], reverse=True)
        facets.append(
            Facet(
                name,
                [FacetValue(v, labels.get(v, v), n, clean.get(name) == v) for v, n in ordered],
            )
        )

    window_ids = matched[(page - 1) * page_size : page * page_size]
    rows = _rows(window_ids)
    window = [rows[i] for i in window_ids if i in rows]
    sources = all_sources()
    hits = [
        Hit(
            kind=d["kind"],
            kind_label=str(sources[d["kind"]].label_plural) if d["kind"] in sources else d["kind"],
            object_id=d["object_id"],
            title=mark_safe(highlight.mark(d["title"], terms)),  # escaped in mark()
            snippet=mark_safe(highlight.snippet(d["body"] or "", terms)),
            url=d["url"],
            score=round(scores.get(d["id"], 0.0), 6),
            date=d["date"],
        )
        for d in window
    ]
    return SearchResult(
        query=query,
        mode=mode,
        sort=sort,
        page=page,
        page_size=page_size,
        total=len(matched),
        hits=hits,
        facets=facets,
        filters=clean,
        corrections=corrections,
        truncated=truncated,
    )


def matching_object_ids(*, user: Any, query: str, kind: str, limit: int = 10_000) -> list[int]:
    """Ids of the records of one type matching a query (lexical), best first.

    The registry lists use this to filter by ``q`` with the same analyzer as the search page.
    """
    p = ranking.plan(query)
    hits = ranking.lexical_rank(p, limit=limit, reader=reader_for(user), kinds=[kind])
    ids = [i for i, _ in hits]
    by_doc = dict(SearchDocument.objects.filter(pk__in=ids).values_list("pk", "object_id"))
    return [by_doc[i] for i in ids if i in by_doc]
