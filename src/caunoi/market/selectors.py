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
    # A value the taxonomy does not know is not applied (the page says it was ignored).
    field = (params.get("field") or "").strip()
    if field and hasattr(model, "fields") and Field.objects.filter(slug=field).exists():
        qs = qs.filter(Q(fields__slug=field) | Q(fields__parent__slug=field)).distinct()
        applied["field"] = field
    country = (params.get("country") or "").strip().upper()
    if len(country) == 2 and country.isalpha() and Country.objects.filter(pk=country).exists():
        if model is TechnologyRequest:
            qs = qs.filter(preferred_countries__icontains=f'"{country}"')
            applied["country"] = country
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


def ignored(
    params: Mapping[str, str], applied: Mapping[str, str], names: Any
) -> list[tuple[str, str]]:
    """The filters among ``names`` given a value that ``filtered`` did not apply (unknown,
    out of range, or not a filter of this kind), in order: the page names each one."""
    out = []
    for name in names:
        value = (params.get(name) or "").strip()
        if value and name not in applied:
            out.append((name, value[:50]))
    return out


def _field_counts(ids: Any, model: Any) -> dict[int, int]:
    """How many records of ``ids`` each field's filter keeps: a record counts once under each
    of its fields and once under each of their parents (``?field=`` matches a field or its
    parent), however many of its fields share that parent."""
    through = model.fields.through
    key = f"{model._meta.model_name}_id"
    seen: dict[int, set[int]] = {}
    rows = through.objects.filter(**{f"{key}__in": ids}).values_list(
        key, "field_id", "field__parent_id"
    )
    for record, field, parent in rows.iterator(chunk_size=5_000):
        seen.setdefault(field, set()).add(record)
        if parent is not None:
            seen.setdefault(parent, set()).add(record)
    return {field: len(records) for field, records in seen.items()}


def _count_facet(name: str, qs: Any, model: Any) -> dict[str, int]:
    """How many records of ``qs`` the filter ``name=value`` would keep, by value (values that
    keep none left out); the same rules as ``filtered``."""
    ids = qs.values("pk")
    base = model._default_manager.filter(pk__in=ids)
    if name == "field":
        if not hasattr(model, "fields"):
            return {}
        by_field = _field_counts(ids, model)
        slugs = dict(Field.objects.filter(pk__in=by_field).values_list("pk", "slug"))
        return {slugs[pk]: n for pk, n in by_field.items() if pk in slugs}
    if name == "country":
        if model is TechnologyRequest:
            counts: dict[str, int] = {}
            for codes in base.values_list("preferred_countries", flat=True).iterator():
                for code in {str(c).upper() for c in codes or ()}:
                    counts[code] = counts.get(code, 0) + 1
            return counts
        if not any(f.name == "country" for f in model._meta.fields):
            return {}
        rows = base.exclude(country=None).values("country_id").annotate(n=Count("id"))
        return {r["country_id"]: r["n"] for r in rows}
    if name == "trl":
        if model is not TechnologyOffer:
            return {}
        # "At least": TRL t keeps every offer at t or above.
        by_trl = dict(base.exclude(trl=None).values_list("trl").annotate(n=Count("id")))
        return {str(t): sum(n for level, n in by_trl.items() if level >= t) for t in sorted(by_trl)}
    if name == "cooperation":
        if model not in (TechnologyOffer, TechnologyRequest):
            return {}
        return {
            value: n
            for value in Cooperation.values
            if (n := base.filter(cooperation__icontains=f'"{value}"').count())
        }
    return {}


FACETS = ("field", "country", "trl", "cooperation")


def _facet_labels(name: str, values: Any) -> dict[str, str]:
    if name == "field":
        return {f.slug: str(f) for f in Field.objects.filter(slug__in=list(values))}
    if name == "country":
        return {c.pk: str(c) for c in Country.objects.filter(pk__in=list(values))}
    if name == "trl":
        return {v: f"TRL {v}" for v in values}
    labels = dict(Cooperation.choices)
    return {v: str(labels.get(v, v)) for v in values}


def facets(qs: Any, model: Any) -> dict[str, list[tuple[str, str, int]]]:
    """Counts over the records this reader may read (the queryset is already filtered): for
    each facet value, how many of them the filter ``?<facet>=<value>`` keeps. Every count
    reads the records through one subquery of their keys, so a filter's joins (fields and
    their parents, ``distinct``) count a record once, however many there are."""
    out: dict[str, list[tuple[str, str, int]]] = {}
    for name in FACETS:
        counts = _count_facet(name, qs, model)
        labels = _facet_labels(name, counts)
        out[name] = [(v, labels.get(v, v), n) for v, n in counts.items()]
    return out


@dataclass(frozen=True)
class FacetValue:
    """One value of a home facet: how many offers and requests its link lists (``requests``
    None when the facet does not apply to requests), whether it is applied, and the query
    string of its link (every other filter and the search text kept)."""

    value: str
    label: str
    offers: int
    requests: int | None
    selected: bool
    query: str


@dataclass(frozen=True)
class AppliedFilter:
    """A filter applied on the home page, with the query string that removes it."""

    name: str
    value: str
    label: str
    remove: str


HOME_PARAMS = ("q", *FACETS)


def _query(params: Mapping[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode([(k, params[k]) for k in HOME_PARAMS if params.get(k)])


@dataclass(frozen=True)
class HomeFacets:
    """The marketplace home's lists and facets: the offers and requests every applied filter
    keeps, the facets, and the filters applied (a chip each)."""

    offers: Any
    requests: Any
    facets: dict[str, list[FacetValue]]
    applied: list[AppliedFilter]


def home_facets(user: Any, params: Mapping[str, str], offers: Any, requests: Any) -> HomeFacets:
    """The marketplace home's facets over the published offers and requests the reader may
    read (``offers``, ``requests``: readable, not yet filtered): each value counted with every
    other applied filter and the search text, as its link lists them, offers and requests
    apart (an officers-only request is not readable, so never counted for others; an
    anonymous one counts, no name shown). Also the filtered lists and the filters applied,
    each with the link that removes it."""
    wanted = {k: (params.get(k) or "").strip() for k in HOME_PARAMS}
    text = {"q": wanted["q"]} if wanted["q"] else {}
    searched = {
        TechnologyOffer: filtered(user, text, TechnologyOffer, offers)[0],
        TechnologyRequest: filtered(user, text, TechnologyRequest, requests)[0],
    }
    applied: dict[str, str] = {}
    for model, qs in searched.items():
        applied.update(filtered(user, {k: v for k, v in wanted.items() if k != "q"}, model, qs)[1])
    if text:
        applied["q"] = wanted["q"]
    lists = {
        model: filtered(user, {k: v for k, v in applied.items() if k != "q"}, model, qs)[0]
        for model, qs in searched.items()
    }
    out: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        others = {k: v for k, v in applied.items() if k not in (name, "q")}
        counted = {
            model: _count_facet(name, filtered(user, others, model, qs)[0], model)
            for model, qs in searched.items()
        }
        applies_to_requests = name != "trl"
        offer_counts = counted[TechnologyOffer]
        request_counts = counted[TechnologyRequest]
        values = set(offer_counts) | (set(request_counts) if applies_to_requests else set())
        if name in applied:
            values.add(applied[name])
        labels = _facet_labels(name, values)
        if name == "trl":
            ordered = sorted(values, key=int)
        else:
            ordered = sorted(values, key=lambda v: (labels.get(v) or v).casefold())
        rows = []
        for value in ordered:
            selected = applied.get(name) == value
            link = dict(applied)
            if selected:
                link.pop(name)  # the applied value's link removes it
            else:
                link[name] = value
            rows.append(
                FacetValue(
                    value=value,
                    label=labels.get(value, value),
                    offers=offer_counts.get(value, 0),
                    requests=request_counts.get(value, 0) if applies_to_requests else None,
                    selected=selected,
                    query=_query(link),
                )
            )
        out[name] = rows
    chips = []
    for name in HOME_PARAMS:
        if name not in applied:
            continue
        value = applied[name]
        label = value if name == "q" else _facet_labels(name, [value]).get(value, value)
        rest = {k: v for k, v in applied.items() if k != name}
        chips.append(AppliedFilter(name=name, value=value, label=label, remove=_query(rest)))
    return HomeFacets(
        offers=lists[TechnologyOffer], requests=lists[TechnologyRequest], facets=out, applied=chips
    )


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
