"""The marketplace's share of the aggregate pages (dashboard, field and country pages): a
section per record type, read through the type's audience rule, and the dashboard's
marketplace panel (published offers and requests, open expressions of interest, transfers
reached)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse

from caunoi.core.sections import Panel, Section, register_panel, register_section
from caunoi.market import services
from caunoi.market.kinds import KINDS
from caunoi.market.models import Status, TechnologyOffer, TechnologyRequest


def _readable(model: Any, user: Any) -> models.QuerySet[Any]:
    found: models.QuerySet[Any] = services.readable(user, model)
    return found


def _by_field(model: Any, ids: list[int]) -> Q:
    # A subquery, so a record tagged with two of the fields is listed and counted once.
    return Q(pk__in=model._default_manager.filter(fields__in=ids).values("pk"))


def _by_country(model: Any, iso2: str) -> Q:
    if model is TechnologyRequest:
        return Q(preferred_countries__icontains=f'"{iso2.upper()}"')
    return Q(country_id=iso2.upper())


def _panel(user: Any) -> dict[str, Any]:
    from caunoi.market import interests

    figures = interests.counts(user)
    return {
        "market_offers": _readable(TechnologyOffer, user).filter(status=Status.PUBLISHED).count(),
        "market_requests": _readable(TechnologyRequest, user)
        .filter(status=Status.PUBLISHED)
        .count(),
        "market_open": figures["open"],
        "market_overdue": figures["overdue"],
        "market_signed": figures["signed"],
        "market_signed_in": getattr(user, "is_authenticated", False),
    }


def register_sections() -> None:
    register_panel(Panel("market", "market/panels/market.html", _panel, 20))
    for order, kind in enumerate(KINDS.values()):
        register_section(
            Section(
                key=f"market-{kind.slug}",
                label_plural=kind.label_plural,
                readable=partial(_readable, kind.model),
                list_url=partial(reverse, "market:list", args=[kind.slug]),
                order=50 + order,
                by_field=partial(_by_field, kind.model),
                by_country=partial(_by_country, kind.model),
                on_dashboard=False,
            )
        )
