"""GET /api/v1/search: the search service over HTTP, same parameters and facets as the page."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema

from caunoi.core.api_errors import errors
from caunoi.search import service

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = ""
    mode: str = "hybrid"
    kind: str = ""
    field: str = ""
    country: str = ""
    year: str = ""
    status: str = ""
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20


class HitOut(Schema):
    kind: str
    object_id: int
    title: str  # HTML: escaped text, matches in <mark>
    snippet: str  # HTML: escaped text, matches in <mark>
    url: str
    score: float
    date: dt.date | None


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    name: str
    values: list[FacetValueOut]


class SearchOut(Schema):
    query: str
    mode: str
    sort: str
    page: int
    page_size: int
    count: int
    items: list[HitOut]
    facets: list[FacetOut]
    corrections: dict[str, list[str]]
    truncated: bool  # the query was past the bounds (docs/search.md): `query` is what was used


@router.get(
    "",
    response={200: SearchOut, **errors(400, 429)},
    summary="Search every record the caller may see",
)
def search(request: HttpRequest, params: Query[SearchParams]) -> SearchOut:
    """Lexical, dense or hybrid search; anonymous callers see public records only."""
    result = service.search(
        user=request.user,
        query=params.q,
        mode=params.mode,
        filters={name: getattr(params, name) for name in service.FACETS},
        sort=params.sort,
        page=params.page,
        page_size=params.page_size,
    )
    return SearchOut(
        query=result.query,
        mode=result.mode,
        sort=result.sort,
        page=result.page,
        page_size=result.page_size,
        count=result.total,
        items=[
            HitOut(
                kind=h.kind,
                object_id=h.object_id,
                title=str(h.title),
                snippet=str(h.snippet),
                url=h.url,
                score=h.score,
                date=h.date,
            )
            for h in result.hits
        ],
        facets=[
            FacetOut(
                name=f.name,
                values=[
                    FacetValueOut(value=v.value, label=v.label, count=v.count, selected=v.selected)
                    for v in f.values
                ],
            )
            for f in result.facets
        ],
        corrections=result.corrections,
        truncated=result.truncated,
    )
