"""Suggestions for the type-ahead pickers: countries and fields, and the matching rule
the registry's organisation picker uses too."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from caunoi.core.widgets import SUGGESTION_LIMIT, suggestions, term
from caunoi.taxonomy.models import Country, Field
from vntext.collation import sort_key
from vntext.normalize import search_key

T = TypeVar("T")


def best_matches(
    text: str, candidates: Iterable[tuple[T, str, Iterable[str]]], limit: int = SUGGESTION_LIMIT
) -> list[T]:
    """Candidates ``(item, label, texts)`` that ``text`` names, best first, at most ``limit``.

    Diacritic-insensitive (``search_key``: "han" finds "Hàn Quốc"). An exact match of a
    text (a code, an acronym) ranks first, then a text that begins with the term, then
    texts in which every word of the term begins a word; ties in Vietnamese order.
    """
    wanted = search_key(text)
    if not wanted:
        return []
    words = wanted.split()
    ranked: list[tuple[int, tuple[object, ...], int, T]] = []
    for n, (item, label, texts) in enumerate(candidates):
        keys = [search_key(t) for t in texts if t]
        if any(k == wanted for k in keys):
            rank = 0
        elif any(k.startswith(wanted) for k in keys):
            rank = 1
        else:
            vocabulary = {w for k in keys for w in k.split()}
            if not all(any(v.startswith(w) for v in vocabulary) for w in words):
                continue
            rank = 2
        ranked.append((rank, sort_key(label), n, item))
    ranked.sort(key=lambda r: r[:3])
    return [r[3] for r in ranked[:limit]]


@require_GET
def country_suggestions(request: HttpRequest) -> HttpResponse:
    countries = best_matches(
        term(request),
        (
            (c, c.name, [c.name_vi, c.name_en, c.iso2, c.iso3, *(c.aliases or [])])
            for c in Country.objects.all()
        ),
    )
    return suggestions(request, ((c.iso2, str(c), c.iso2) for c in countries))


@require_GET
def field_suggestions(request: HttpRequest) -> HttpResponse:
    fields = best_matches(
        term(request),
        ((f, f.name, [f.name_vi, f.name_en, f.code]) for f in Field.objects.all()),
    )
    return suggestions(request, ((str(f.pk), str(f), f.code) for f in fields))
