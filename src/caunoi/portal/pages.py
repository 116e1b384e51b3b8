"""The pages that gather every app's records: the dashboard, a page per field of S&T and per
partner country. Built from the sections and panels the apps register
(``caunoi.core.sections``); this module imports no domain app but the taxonomy it is about."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from caunoi.core.sections import panels, sections
from caunoi.taxonomy.models import Country, Field
from caunoi.taxonomy.selectors import countries_in_vietnamese_order, fields_in_code_order

_SECTION_LIMIT = 10


def home(request: HttpRequest) -> HttpResponse:
    counts = [(s, s.readable(request.user).count()) for s in sections() if s.on_dashboard]
    blocks = []
    for panel in panels():
        context = panel.context(request.user)
        if context is not None:
            blocks.append(render_to_string(panel.template, context, request=request))
    return render(request, "portal/home.html", {"counts": counts, "panels": blocks})


def field_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/field_list.html", {"fields": fields_in_code_order()})


def field_detail(request: HttpRequest, slug: str) -> HttpResponse:
    field = get_object_or_404(Field, slug=slug)
    ids = [field.pk, *field.children.values_list("pk", flat=True)]
    found = []
    for section in sections():
        if section.by_field is None:
            continue
        qs = section.readable(request.user).filter(section.by_field(ids))
        if section.titles:
            qs = qs.select_related(*section.titles)
        total = qs.count()
        if total:
            found.append((section, total, list(qs.order_by("-pk")[:_SECTION_LIMIT])))
    return render(
        request,
        "portal/field_detail.html",
        {"field": field, "sections": found, "children": field.children.all()},
    )


def _country_sections(user: Any, iso2: str) -> list[tuple[Any, int, list[Any]]]:
    found = []
    for section in sections():
        if section.by_country is None:
            continue
        # Titles only: no prefetching of what the list pages show; newest first, so the same
        # rows serve the section and the timeline.
        qs = section.readable(user).filter(section.by_country(iso2))
        if section.titles:
            qs = qs.select_related(*section.titles)
        if section.date_field:
            # Newest first, undated records (agreements under negotiation, projects in
            # preparation) last and off the timeline. Two queries rather than one
            # ``DESC NULLS LAST``: the dated part keeps the order the list indexes serve
            # (on PostgreSQL a descending index puts NULLs first, so NULLS LAST could not
            # use it), and the undated part is read only when the dated one is short.
            dated = qs.filter(**{f"{section.date_field}__isnull": False})
            records = list(dated.order_by(f"-{section.date_field}", "-pk")[: _SECTION_LIMIT + 1])
            if len(records) <= _SECTION_LIMIT:
                undated = qs.filter(**{f"{section.date_field}__isnull": True}).order_by("-pk")
                records += list(undated[: _SECTION_LIMIT + 1 - len(records)])
        else:
            records = list(qs[: _SECTION_LIMIT + 1])
        if not records:
            continue
        total = len(records) if len(records) <= _SECTION_LIMIT else qs.count()
        found.append((section, total, records[:_SECTION_LIMIT]))
    return found


def country_list(request: HttpRequest) -> HttpResponse:
    counted = [s for s in sections() if s.count_by_country is not None]
    counts = [(s, s.count_by_country(request.user)) for s in counted]  # type: ignore[misc]
    rows = [
        (c, [(s, n[c.iso2]) for s, n in counts if n.get(c.iso2)])
        for c in countries_in_vietnamese_order()
    ]
    return render(request, "portal/country_list.html", {"countries": rows})


def country_detail(request: HttpRequest, iso2: str) -> HttpResponse:
    country = get_object_or_404(Country, iso2=iso2.upper())
    found = _country_sections(request.user, country.iso2)
    timeline: list[tuple[Any, str, Any]] = []
    for section, _total, records in found:
        if section.date_field:
            timeline += [
                (getattr(r, section.date_field), section.key, r)
                for r in records
                if getattr(r, section.date_field) is not None
            ]
    timeline.sort(key=lambda item: item[0], reverse=True)
    return render(
        request,
        "portal/country_detail.html",
        {"country": country, "sections": found, "timeline": timeline[:30]},
    )
