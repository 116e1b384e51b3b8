"""The marketplace's indicator sources: technology transfers reached through it, their value
and their type of agreement (the outcome recorded when an expression is signed).

A transfer counts when an expression of interest reached the stage "agreement signed" and its
outcome's date signed lies within the period (for one signed before outcomes were recorded,
the day of that change in its history). For a partner country: the offer's
owner is from that country. Marketplace records belong to outside users, not to account
units, so the figure does not apply to a unit. For many countries at once (the comparison
page) the period's transfers are read once and shared out by the offer owner's country.

The value of the transfers is one source per currency (``market.transfers_value.vnd``, …):
no exchange rate is kept by an officer, so amounts in different currencies are never added
up; an agreement signed without a value is not in any of them. The number by type of
agreement is one source per type (``market.transfers_signed.licence``, …), from the outcome's
type; an agreement signed without a type (before outcomes were recorded) is in none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
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
from caunoi.market.models import Cooperation, Interest
from caunoi.market.selectors import signed_interests
from caunoi.registry.models.base import CURRENCY_CHOICES

NOTE = N_(
    "Expressions of interest on the marketplace that reached “agreement signed” in the period."
)


def _signed(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Signed interests, annotated with ``tech_country`` (``signed_interests``)."""
    qs: QuerySet[Any] = signed_interests(start, end).select_related("offer", "request")
    return qs


def _label(interest: Interest) -> str:
    return str(interest.record)


def _transfers_signed(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    qs = _signed(start, end)
    if scope.country is not None:
        qs = qs.filter(tech_country=scope.country.upper())
    return counted(qs, _label, note=_(NOTE))


def _offer_country(interest: Any) -> tuple[str, ...]:
    """The technology's country (``signed_interests``: the offer's, or the provider's)."""
    return (interest.tech_country,) if interest.tech_country else ()


def _transfers_signed_many(
    start: dt.date, end: dt.date, scopes: Sequence[Scope]
) -> dict[Scope, IndicatorValue]:
    qs = _signed(start, end)
    if all(s.country is not None for s in scopes):
        qs = qs.filter(tech_country__in={str(s.country).upper() for s in scopes})
    groups = grouped_by_scope(qs, scopes, countries_of=_offer_country)
    return {scope: counted(rows, _label, note=_(NOTE)) for scope, rows in groups.items()}


VALUE_NOTE = N_(
    "Value of the agreements signed on the marketplace in the period, in %(currency)s; "
    "agreements in other currencies are not converted and not counted."
)
VALUE_NOTE_VND = N_(
    "Value in millions of đồng of the agreements signed on the marketplace in the period; "
    "agreements in other currencies are not converted and not counted."
)
TYPE_NOTE = N_(
    "Agreements of the type “%(type)s” signed on the marketplace in the period "
    "(the type of the recorded outcome)."
)

# Vietnamese names of the agreement types, for the sources' labels (stored as given).
TYPE_VI = {
    Cooperation.LICENCE: "hợp đồng li-xăng",
    Cooperation.TECHNICAL: "hợp tác kỹ thuật",
    Cooperation.JOINT_VENTURE: "liên doanh",
    Cooperation.ACQUISITION: "mua lại",
    Cooperation.COMMERCIAL: "hợp đồng thương mại kèm hỗ trợ kỹ thuật",
    Cooperation.RESEARCH: "hợp tác nghiên cứu",
    Cooperation.SERVICES: "hợp đồng dịch vụ",
}
TYPE_EN = {
    Cooperation.LICENCE: "licence agreements",
    Cooperation.TECHNICAL: "technical cooperation",
    Cooperation.JOINT_VENTURE: "joint ventures",
    Cooperation.ACQUISITION: "acquisitions",
    Cooperation.COMMERCIAL: "commercial agreements with technical assistance",
    Cooperation.RESEARCH: "research cooperation",
    Cooperation.SERVICES: "services agreements",
}


def _scoped(qs: QuerySet[Any], scope: Scope) -> QuerySet[Any]:
    if scope.country is not None:
        qs = qs.filter(tech_country=scope.country.upper())
    return qs


def _many(
    qs: QuerySet[Any],
    scopes: Sequence[Scope],
    one: Callable[[Any], IndicatorValue],
) -> dict[Scope, IndicatorValue]:
    if all(s.country is not None for s in scopes):
        qs = qs.filter(tech_country__in={str(s.country).upper() for s in scopes})
    groups = grouped_by_scope(qs, scopes, countries_of=_offer_country)
    return {scope: one(rows) for scope, rows in groups.items()}


def _value_source(currency: str) -> tuple[Any, Any]:
    """The value of the agreements signed in ``currency`` (VND in millions of đồng)."""
    divisor = Decimal(1_000_000) if currency == "VND" else Decimal(1)

    def amount(interest: Interest) -> float:
        return float((interest.agreement_value or Decimal(0)) / divisor)

    def note() -> str:
        if currency == "VND":
            return _(VALUE_NOTE_VND)
        return _(VALUE_NOTE) % {"currency": currency}

    def valued(start: dt.date, end: dt.date) -> QuerySet[Interest]:
        return _signed(start, end).filter(
            agreement_currency=currency, agreement_value__isnull=False
        )

    def one(rows: Any) -> IndicatorValue:
        return counted(rows, _label, amount=amount, note=note())

    def compute(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
        return one(_scoped(valued(start, end), scope))

    def compute_many(
        start: dt.date, end: dt.date, scopes: Sequence[Scope]
    ) -> dict[Scope, IndicatorValue]:
        return _many(valued(start, end), scopes, one)

    return compute, compute_many


def _type_source(kind: str) -> tuple[Any, Any]:
    """The number of agreements of one type signed in the period."""

    def note() -> str:
        return _(TYPE_NOTE) % {"type": Cooperation(kind).label}

    def typed(start: dt.date, end: dt.date) -> QuerySet[Interest]:
        return _signed(start, end).filter(agreement_type=kind)

    def one(rows: Any) -> IndicatorValue:
        return counted(rows, _label, note=note())

    def compute(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
        return one(_scoped(typed(start, end), scope))

    def compute_many(
        start: dt.date, end: dt.date, scopes: Sequence[Scope]
    ) -> dict[Scope, IndicatorValue]:
        return _many(typed(start, end), scopes, one)

    return compute, compute_many


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
    for currency, _name in CURRENCY_CHOICES:
        compute, compute_many = _value_source(currency)
        millions = currency == "VND"
        register_indicator_source(
            IndicatorSource(
                key=f"market.transfers_value.{currency.lower()}",
                label_vi=(
                    "Giá trị hợp đồng chuyển giao công nghệ ký qua sàn"
                    + ("" if millions else f" ({currency})")
                ),
                label_en=(
                    f"Value of technology transfers signed through the marketplace ({currency})"
                ),
                unit="triệu đồng" if millions else currency,
                compute=compute,
                compute_many=compute_many,
                app="market",
                scopes=frozenset({"country"}),
            )
        )
    for kind in Cooperation.values:
        compute, compute_many = _type_source(kind)
        register_indicator_source(
            IndicatorSource(
                key=f"market.transfers_signed.{kind}",
                label_vi=(
                    f"Số giao dịch chuyển giao công nghệ qua sàn: {TYPE_VI[Cooperation(kind)]}"
                ),
                label_en=(
                    "Technology transfers reached through the marketplace: "
                    f"{TYPE_EN[Cooperation(kind)]}"
                ),
                unit="giao dịch",
                compute=compute,
                compute_many=compute_many,
                app="market",
                scopes=frozenset({"country"}),
            )
        )
