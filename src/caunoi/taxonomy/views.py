"""One page per field of S&T and per partner country: everything we do there."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from caunoi.accounts import permissions
from caunoi.registry.entities import ENTITIES
from caunoi.taxonomy.models import Country, Field

_SECTION_LIMIT = 10


def field_list(request: HttpRequest) -> HttpResponse:
    fields = Field.objects.select_related("parent").order_by("kind", "code")
    return render(request, "taxonomy/field_list.html", {"fields": fields})


def field_detail(request: HttpRequest, slug: str) -> HttpResponse:
    field = get_object_or_404(Field, slug=slug)
    ids = [field.pk, *field.children.values_list("pk", flat=True)]
    sections = []
    for entity in ENTITIES.values():
        qs = permissions.visible(request.user, entity.base_queryset()).filter(entity.field_q(ids))
        total = qs.count()
        if total:
            sections.append((entity, total, list(qs[:_SECTION_LIMIT])))
    return render(
        request,
        "taxonomy/field_detail.html",
        {"field": field, "sections": sections, "children": field.children.all()},
    )


def country_list(request: HttpRequest) -> HttpResponse:
    agreements = ENTITIES["agreements"]
    visible_agreements = permissions.visible(request.user, agreements.base_queryset().model.objects)
    counts = dict(
        visible_agreements.values_list("parties__country_id")
        .annotate(n=Count("id", distinct=True))
        .values_list("parties__country_id", "n")
    )
    countries = [(c, counts.get(c.iso2, 0)) for c in Country.objects.all()]
    countries.sort(key=lambda pair: (-pair[1], pair[0].name_vi))
    return render(request, "taxonomy/country_list.html", {"countries": countries})


def country_detail(request: HttpRequest, iso2: str) -> HttpResponse:
    country = get_object_or_404(Country, iso2=iso2.upper())
    sections = []
    timeline: list[tuple[Any, str, Any]] = []
    for entity in ENTITIES.values():
        if not entity.country_lookups:
            continue
        # Titles only: no prefetching of what the list pages show; newest first, so the same
        # rows serve the section and the timeline.
        qs = permissions.visible(request.user, entity.model._default_manager.all()).filter(
            entity.country_q(country.iso2)
        )
        if entity.model._meta.model_name == "membership":
            qs = qs.select_related("organization")
        if entity.date_field:
            # The sort the list indexes serve. Undated records (agreements under negotiation,
            # projects in preparation) come first on PostgreSQL and are left off the timeline.
            qs = qs.order_by(f"-{entity.date_field}", "-pk")
        records = list(qs[: _SECTION_LIMIT + 1])
        if not records:
            continue
        total = len(records) if len(records) <= _SECTION_LIMIT else qs.count()
        records = records[:_SECTION_LIMIT]
        sections.append((entity, total, records))
        if entity.date_field:
            timeline += [
                (getattr(r, entity.date_field), entity.slug, r)
                for r in records
                if getattr(r, entity.date_field) is not None
            ]
    timeline.sort(key=lambda item: item[0], reverse=True)
    return render(
        request,
        "taxonomy/country_detail.html",
        {"country": country, "sections": sections, "timeline": timeline[:30]},
    )
