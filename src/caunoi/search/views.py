"""The search page: full page without JavaScript, the results fragment for htmx."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caunoi.core.errors import DomainError
from caunoi.search import service


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, int(value or default))
    except ValueError:
        return default


def search_page(request: HttpRequest) -> HttpResponse:
    params = request.GET
    query = (params.get("q") or "").strip()
    mode = params.get("mode") or "hybrid"
    sort = params.get("sort") or "relevance"
    filters = {name: params.get(name, "") for name in service.FACETS}
    error = ""
    result = None
    try:
        result = service.search(
            user=request.user,
            query=query,
            mode=mode if mode in service.MODES else "hybrid",
            sort=sort if sort in service.SORTS else "relevance",
            filters=filters,
            page=_int(params.get("page"), 1),
        )
    except DomainError as exc:
        error = exc.message
    template = "search/search.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        template += "#results"
    return render(
        request,
        template,
        {"result": result, "query": query, "sort": sort, "mode": mode, "error": error},
        status=400 if error else 200,
    )
