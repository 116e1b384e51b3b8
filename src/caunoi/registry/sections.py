"""The registry's share of the aggregate pages: a section per record type, the dashboard's
list of agreements expiring soon and its charts of agreements by country and by field
(registered by ``RegistryConfig.ready()``)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import get_language, gettext

from caunoi.accounts import permissions
from caunoi.core.charts import Chart, Series
from caunoi.core.sections import Panel, Section, register_panel, register_section
from caunoi.registry.entities import ENTITIES, Entity
from caunoi.registry.services import agreements_expiring


def _readable(entity: Entity, user: Any) -> models.QuerySet[Any]:
    return permissions.visible(user, entity.model._default_manager.all(), entity.audience)


def _count_by_country(entity: Entity, user: Any) -> dict[str, int]:
    """Records per country through the derived ``countries`` links, the ones the country page
    filters by (``Entity.country_q``), so the list and the page agree."""
    rows = (
        _readable(entity, user)
        .filter(countries__isnull=False)
        .values_list("countries")
        .annotate(n=Count("pk"))
    )
    return {iso2: n for iso2, n in rows}


def _expiring(user: Any) -> dict[str, Any]:
    entity = ENTITIES["agreements"]
    return {"expiring": permissions.visible(user, agreements_expiring(), entity.audience)[:15]}


def agreement_charts(user: Any) -> list[Chart]:
    """The agreements this user may read, by partner country and by field of S&T (the ten
    largest of each): the dashboard panel's charts, downloadable from ``agreement-charts``."""
    readable = _readable(ENTITIES["agreements"], user)
    english = (get_language() or "vi").startswith("en")

    def top(relation: str) -> tuple[tuple[str, ...], tuple[float | None, ...]]:
        rows = (
            readable.filter(**{f"{relation}__isnull": False})
            .values_list(f"{relation}__name_vi", f"{relation}__name_en")
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", f"{relation}__name_vi")[:_TOP]
        )
        names = tuple((en if english and en else vi) for vi, en, _n in rows)
        return names, tuple(float(n) for _vi, _en, n in rows)

    countries, by_country = top("countries")
    fields, by_field = top("fields")
    label = gettext("Agreements")
    return [
        Chart(
            key="agreements-by-country",
            title=gettext("Agreements by partner country"),
            kind="hbar",
            categories=countries,
            series=(Series(label, by_country),),
            unit=gettext("agreements"),
        ),
        Chart(
            key="agreements-by-field",
            title=gettext("Agreements by field of S&T"),
            kind="hbar",
            categories=fields,
            series=(Series(label, by_field),),
            unit=gettext("agreements"),
        ),
    ]


_TOP = 10


def _agreement_charts_panel(user: Any) -> dict[str, Any] | None:
    charts = agreement_charts(user)
    if all(c.empty for c in charts):
        return None
    return {"charts": charts, "chart_url": reverse("agreement-charts")}


def register_sections() -> None:
    for order, entity in enumerate(ENTITIES.values()):
        has_fields = any(f.name == "fields" for f in entity.model._meta.many_to_many)
        register_section(
            Section(
                key=entity.slug,
                label_plural=entity.label_plural,
                readable=partial(_readable, entity),
                list_url=partial(reverse, "entity-list", args=[entity.slug]),
                order=10 + order,
                by_field=entity.field_q if has_fields else None,
                by_country=entity.country_q if entity.country_lookups else None,
                count_by_country=(
                    partial(_count_by_country, entity)
                    if entity.country_lookups == ("countries",)
                    else None
                ),
                date_field=entity.date_field,
                titles=("organization",) if entity.slug == "memberships" else (),
            )
        )
    register_panel(Panel("expiring-agreements", "registry/panels/expiring.html", _expiring, 10))
    register_panel(
        Panel(
            "agreement-charts",
            "registry/panels/agreement_charts.html",
            _agreement_charts_panel,
            20,
        )
    )
