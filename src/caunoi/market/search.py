"""The marketplace's search sources: offers, requests, experts, intermediaries.

Each document carries its record's audience (``caunoi.market.audience``), so hits, facets and
counts follow the same rule as the lists. A request's document names its requester only when
everyone in its audience may see the requester: never for an anonymous request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from caunoi.core.audience import Reader
from caunoi.market.audience import PUBLISHED_OR_OWNER, REQUEST_AUDIENCE, requester_visible
from caunoi.market.models import Expert, Intermediary, TechnologyOffer, TechnologyRequest
from caunoi.search.sources import DocData, Source, register


def _field_names(obj: Any) -> tuple[list[str], tuple[str, ...]]:
    fields = list(obj.fields.all())
    names = [n for f in fields for n in (f.name_vi, f.name_en) if n]
    return names, tuple(sorted(f.slug for f in fields))


def _join(*parts: Any) -> str:
    return " · ".join(str(p).strip() for p in parts if p and str(p).strip())


def _offer(obj: TechnologyOffer) -> DocData:
    names, slugs = _field_names(obj)
    country = obj.country
    extra = [*names, *(obj.keywords or []), *(obj.patent_numbers or [])]
    if country is not None:
        extra += [country.name_vi, country.name_en]
    if obj.owner_organization is not None:
        extra.append(str(obj.owner_organization))
    return DocData(
        title=_join(obj.title_vi, obj.title_en) if obj.title_vi and obj.title_en else obj.title,
        body=_join(
            obj.summary_vi, obj.summary_en, obj.description, obj.innovation, obj.needs_notes
        ),
        extra=_join(*extra),
        url=obj.get_absolute_url(),
        date=obj.published_at.date() if obj.published_at else None,
        status=obj.status,
        countries=(obj.country_id,) if obj.country_id else (),
        fields=slugs,
        audience=PUBLISHED_OR_OWNER.tokens(obj),
    )


def _request(obj: TechnologyRequest) -> DocData:
    names, slugs = _field_names(obj)
    audience = REQUEST_AUDIENCE.tokens(obj)
    extra = [*names, obj.sector, obj.province]
    # Everyone the document is for must be allowed to see the requester.
    if requester_visible(Reader(frozenset(audience)), obj) and obj.owner_organization:
        extra.append(str(obj.owner_organization))
    return DocData(
        title=_join(obj.title_vi, obj.title_en) if obj.title_vi and obj.title_en else obj.title,
        body=_join(obj.summary_vi, obj.summary_en, obj.need, obj.purpose, obj.characteristics),
        extra=_join(*extra),
        url=obj.get_absolute_url(),
        date=obj.published_at.date() if obj.published_at else None,
        status=obj.status,
        countries=tuple(sorted(obj.preferred_countries or [])),
        fields=slugs,
        audience=audience,
    )


def _expert(obj: Expert) -> DocData:
    names, slugs = _field_names(obj)
    langs = [f"{x['language']} {x['level']}" for x in obj.languages or []]
    return DocData(
        title=obj.name,
        body=_join(obj.profile, obj.affiliation, obj.availability),
        extra=_join(*names, *langs),
        url=obj.get_absolute_url(),
        status=obj.status,
        countries=(obj.country_id,) if obj.country_id else (),
        fields=slugs,
        audience=PUBLISHED_OR_OWNER.tokens(obj),
    )


def _intermediary(obj: Intermediary) -> DocData:
    names, slugs = _field_names(obj)
    return DocData(
        title=obj.name,
        body=_join(obj.services, obj.fees),
        extra=_join(*names, *(obj.regions or [])),
        url=obj.get_absolute_url(),
        status=obj.status,
        countries=(obj.country_id,) if obj.country_id else (),
        fields=slugs,
        audience=PUBLISHED_OR_OWNER.tokens(obj),
    )


def _queryset(model: Any) -> Callable[[], QuerySet[Any]]:
    def qs() -> QuerySet[Any]:
        found: QuerySet[Any] = model._default_manager.select_related(
            "owner_organization"
        ).prefetch_related("fields")
        return found

    return qs


def register_sources() -> None:
    from caunoi.market.models import Status

    def statuses() -> dict[str, str]:
        return {k: str(v) for k, v in Status.choices}

    for kind, model, build in (
        ("offers", TechnologyOffer, _offer),
        ("requests", TechnologyRequest, _request),
        ("experts", Expert, _expert),
        ("intermediaries", Intermediary, _intermediary),
    ):
        register(
            Source(
                kind=kind,
                model=model,
                build=build,
                queryset=_queryset(model),
                m2m=("fields",),
                label=model._meta.verbose_name,
                label_plural=model._meta.verbose_name_plural,
                status_choices=statuses,
            )
        )
