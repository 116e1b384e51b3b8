"""The marketplace's indicator source: technology transfers reached through it.

A transfer counts when an expression of interest reached the stage "agreement signed" and its
outcome's date signed lies within the period (for one signed before outcomes were recorded,
the day of that change in its history). For a partner country: the offer's
owner is from that country. Marketplace records belong to outside users, not to account
units, so the figure does not apply to a unit. For many countries at once (the comparison
page) the period's transfers are read once and shared out by the offer owner's country.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from caunoi.core.indicators import (
    IndicatorSource,
    IndicatorValue,
    Scope,
    counted,
    grouped_by_scope,
    register_indicator_source,
)
from caunoi.market.models import Interest
from caunoi.market.selectors import signed_interests

NOTE = N_(
    "Expressions of interest on the marketplace that reached “agreement signed” in the period."
)


def _signed(start: dt.date, end: dt.date) -> QuerySet[Interest]:
    qs: QuerySet[Interest] = signed_interests(start, end).select_related("offer", "request")
    return qs


def _label(interest: Interest) -> str:
    return str(interest.record)


def _transfers_signed(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    qs = _signed(start, end)
    if scope.country is not None:
        qs = qs.filter(offer__country_id=scope.country.upper())
    return counted(qs, _label, note=_(NOTE))


def _offer_country(interest: Any) -> tuple[str, ...]:
    offer = interest.offer
    return (offer.country_id,) if offer is not None and offer.country_id else ()


def _transfers_signed_many(
    start: dt.date, end: dt.date, scopes: Sequence[Scope]
) -> dict[Scope, IndicatorValue]:
    qs = _signed(start, end)
    if all(s.country is not None for s in scopes):
        qs = qs.filter(offer__country_id__in={str(s.country).upper() for s in scopes})
    groups = grouped_by_scope(qs, scopes, countries_of=_offer_country)
    return {scope: counted(rows, _label, note=_(NOTE)) for scope, rows in groups.items()}


def register_sources() -> None:
    register_indicator_source(
        IndicatorSource(
            key="market.transfers_signed",
            label_vi="Số giao dịch chuyển giao công nghệ thành công qua sàn",
            label_en="Technology transfers reached through the marketplace",
            unit="giao dịch",
            compute=_transfers_signed,
            compute_many=_transfers_signed_many,
            app="market",
            scopes=frozenset({"country"}),
        )
    )
