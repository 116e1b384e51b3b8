"""Reads of the marketplace: the filters of the pages and the API, and facet counts, always
over a queryset the reader's audience rule has already narrowed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from caunoi.market.models import (
    Cooperation,
    Expert,
    ExpertCategory,
    Intermediary,
    ServiceKind,
    Status,
    TechnologyOffer,
    TechnologyRequest,
)
from caunoi.taxonomy.models import Country, Field


def filtered(
    user: Any, params: Mapping[str, str], model: Any, qs: Any
) -> tuple[Any, dict[str, str]]:
    """Narrow a readable queryset by the marketplace filters (q, field, country, trl,
    cooperation); returns it and the filters applied."""
    applied: dict[str, str] = {}
    text = (params.get("q") or "").strip()[:200]
    if text:
        from caunoi.search.service import matching_object_ids
        from caunoi.search.sources import source_for_model

        source = source_for_model(model)
        if source is not None:
            ids = matching_object_ids(user=user, query=text, kind=source.kind)
            qs = qs.filter(pk__in=ids)
        applied["q"] = text
    field = (params.get("field") or "").strip()
    if field and hasattr(model, "fields"):
        qs = qs.filter(Q(fields__slug=field) | Q(fields__parent__slug=field)).distinct()
        applied["field"] = field
    country = (params.get("country") or "").strip().upper()
    if len(country) == 2 and country.isalpha():
        if model is TechnologyRequest:
            qs = qs.filter(preferred_countries__icontains=f'"{country}"')
        elif any(f.name == "country" for f in model._meta.fields):
            qs = qs.filter(country_id=country)
        applied["country"] = country
    trl = (params.get("trl") or "").strip()
    if trl.isdigit() and 1 <= int(trl) <= 9 and model is TechnologyOffer:
        qs = qs.filter(trl__gte=int(trl))
        applied["trl"] = trl
    coop = (params.get("cooperation") or "").strip()
    if coop in Cooperation.values and model in (TechnologyOffer, TechnologyRequest):
        qs = qs.filter(cooperation__icontains=f'"{coop}"')
        applied["cooperation"] = coop
    category = (params.get("category") or "").strip()
    if category in ExpertCategory.values and model is Expert:
        qs = qs.filter(category=category)
        applied["category"] = category
    service = (params.get("service") or "").strip()
    if service in ServiceKind.values and model is Intermediary:
        qs = qs.filter(service_kinds__icontains=f'"{service}"')
        applied["service"] = service
    status = (params.get("status") or "").strip()
    if status in Status.values and hasattr(model, "status"):
        qs = qs.filter(status=status)
        applied["status"] = status
    return qs, applied


def facets(qs: Any, model: Any) -> dict[str, list[tuple[str, str, int]]]:
    """Counts over the records this reader may read (the queryset is already filtered).
    Every count reads the records through one subquery of their keys, so a filter's joins
    (fields and their parents, ``distinct``) count a record once, however many there are."""
    ids = qs.values("pk")
    base = model._default_manager.filter(pk__in=ids)
    facets: dict[str, list[tuple[str, str, int]]] = {}
    through = model.fields.through
    field_counts = (
        through.objects.filter(**{f"{model._meta.model_name}_id__in": ids})
        .values("field_id")
        .annotate(n=Count("id"))
    )
    by_field = {r["field_id"]: r["n"] for r in field_counts}
    facets["field"] = [
        (f.slug, str(f), by_field[f.pk]) for f in Field.objects.filter(pk__in=by_field)
    ]
    if model is TechnologyOffer:
        countries = base.exclude(country=None).values("country_id").annotate(n=Count("id"))
        names = {
            c.pk: str(c)
            for c in Country.objects.filter(pk__in=[r["country_id"] for r in countries])
        }
        facets["country"] = [
            (r["country_id"], names.get(r["country_id"], ""), r["n"]) for r in countries
        ]
        trls = base.exclude(trl=None).values("trl").annotate(n=Count("id")).order_by("trl")
        facets["trl"] = [(str(r["trl"]), f"TRL {r['trl']}", r["n"]) for r in trls]
    facets["cooperation"] = [
        (value, str(label), n)
        for value, label in Cooperation.choices
        if (n := base.filter(cooperation__icontains=f'"{value}"').count())
    ]
    return facets


@dataclass(frozen=True)
class ListFacet:
    """The filter a list page offers besides status: experts by category, intermediaries by
    kind of service, each value with how many of the listed records it would keep."""

    param: str
    label: str
    choices: list[tuple[str, str, int]]
    selected: str


def list_facet(user: Any, params: Mapping[str, str], model: Any, qs: Any) -> ListFacet | None:
    """The list page's facet, counted over the readable records the other filters keep."""
    from django.utils.translation import gettext as _

    if model is Expert:
        param, label, choices = "category", _("Expert category"), ExpertCategory.choices
    elif model is Intermediary:
        param, label, choices = "service", _("Kind of service"), ServiceKind.choices
    else:
        return None
    others = {k: v for k, v in params.items() if k not in (param, "page")}
    base = filtered(user, others, model, qs)[0]
    rows = model._default_manager.filter(pk__in=base.values("pk"))
    counted: list[tuple[str, str, int]] = []
    for value, name in choices:
        if param == "category":
            n = rows.filter(category=value).count()
        else:
            n = rows.filter(service_kinds__icontains=f'"{value}"').count()
        counted.append((value, str(name), n))
    selected = (params.get(param) or "").strip()
    return ListFacet(param, label, counted, selected if selected in dict(choices) else "")


@dataclass(frozen=True)
class TransferGroup:
    """Agreements signed in one group: how many, and their values summed per currency
    (agreements without a value are counted, not valued)."""

    count: int
    values: dict[str, Decimal]


@dataclass(frozen=True)
class SignedTransfers:
    """Agreements signed between two dates: the total, by country of the offer's owner
    (ISO2, "" when unknown) and by field of the record (slug; an agreement counts once in
    each of its fields, "" when it has none)."""

    start: dt.date
    end: dt.date
    total: TransferGroup
    by_country: dict[str, TransferGroup]
    by_field: dict[str, TransferGroup]


def signed_interests(start: dt.date, end: dt.date) -> Any:
    """Expressions of interest counted as signed from ``start`` to ``end`` (both included):
    by the outcome's date signed, or, for one signed before outcomes were recorded, by the day
    of that change in its history. The one definition the indicators and the figures share."""
    from django.db.models import CharField, F, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from caunoi.market.models import Interest, InterestEvent, InterestStatus
    from caunoi.registry.models import Affiliation

    signed_then = InterestEvent.objects.filter(
        to_status=InterestStatus.SIGNED,
        created_at__date__gte=start,
        created_at__date__lte=end,
    ).values("interest_id")
    # The country of the technology transferred (``tech_country``): the offer's owner's, or,
    # for an interest a provider sent in a request, the provider's organisation's (the
    # sender's first approved affiliation that has a country).
    senders = (
        Affiliation.objects.filter(
            user_id=OuterRef("sender_id"),
            state=Affiliation.State.APPROVED,
            organization__country__isnull=False,
        )
        .order_by("pk")
        .values("organization__country_id")[:1]
    )
    return (
        Interest.objects.filter(
            Q(signed_on__gte=start, signed_on__lte=end)
            | Q(signed_on__isnull=True, pk__in=signed_then),
            status=InterestStatus.SIGNED,
        )
        .annotate(
            tech_country=Coalesce(
                F("offer__country_id"), Subquery(senders), output_field=CharField()
            )
        )
        .order_by("pk")
    )


def signed_transfers(start: dt.date, end: dt.date) -> SignedTransfers:
    """Expressions of interest signed from ``start`` to ``end`` (``signed_interests``), for
    the indicators. Not filtered by a reader: the
    figures are counts and sums, no record is named. The country is the technology's
    (``signed_interests``' ``tech_country``: the offer's owner's, or for an interest in a
    request the sending provider's organisation's; "" when neither is known)."""
    rows = (
        signed_interests(start, end)
        .select_related("offer", "request")
        .prefetch_related("offer__fields", "request__fields")
        .order_by("pk")
    )
    total: list[Any] = []
    by_country: dict[str, list[Any]] = {}
    by_field: dict[str, list[Any]] = {}
    for i in rows:
        total.append(i)
        country = i.tech_country or ""
        by_country.setdefault(country, []).append(i)
        record: Any = i.offer if i.offer is not None else i.request
        slugs = sorted({f.slug for f in record.fields.all()}) or [""]
        for slug in slugs:
            by_field.setdefault(slug, []).append(i)

    def group(items: list[Any]) -> TransferGroup:
        values: dict[str, Decimal] = {}
        for i in items:
            if i.agreement_value is not None and i.agreement_currency:
                values[i.agreement_currency] = (
                    values.get(i.agreement_currency, Decimal(0)) + i.agreement_value
                )
        return TransferGroup(count=len(items), values=values)

    return SignedTransfers(
        start=start,
        end=end,
        total=group(total),
        by_country={k: group(v) for k, v in sorted(by_country.items())},
        by_field={k: group(v) for k, v in sorted(by_field.items())},
    )
