"""The registry's share of the aggregate pages: a section per record type and the dashboard's
list of agreements expiring soon (registered by ``RegistryConfig.ready()``)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import models
from django.db.models import Count
from django.urls import reverse

from caunoi.accounts import permissions
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
