"""The marketplace's indicator source: technology transfers reached through it.

A transfer counts when an expression of interest reached the stage "agreement signed" and its
outcome's date signed lies within the period (for one signed before outcomes were recorded,
the day of that change in its history). For a partner country: the offer's
owner is from that country. Marketplace records belong to outside users, not to account
units, so the figure does not apply to a unit.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from caunoi.core.indicators import (
    IndicatorSource,
    IndicatorValue,
    Scope,
    counted,
    register_indicator_source,
)
from caunoi.market.models import Interest, InterestEvent, InterestStatus


def _transfers_signed(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    signed_then = InterestEvent.objects.filter(
        to_status=InterestStatus.SIGNED,
        created_at__date__gte=start,
        created_at__date__lte=end,
    ).values("interest_id")
    qs = Interest.objects.filter(
        Q(signed_on__gte=start, signed_on__lte=end) | Q(signed_on__isnull=True, pk__in=signed_then),
        status=InterestStatus.SIGNED,
    ).select_related("offer", "request")
    if scope.country is not None:
        qs = qs.filter(offer__country_id=scope.country.upper())
    return counted(
        qs.order_by("pk"),
        lambda i: str(i.record),
        note="Bày tỏ quan tâm trên sàn giao dịch chuyển sang giai đoạn “đã ký thỏa thuận” "
        "trong kỳ.",
    )


def register_sources() -> None:
    register_indicator_source(
        IndicatorSource(
            key="market.transfers_signed",
            label_vi="Số giao dịch chuyển giao công nghệ thành công qua sàn",
            label_en="Technology transfers reached through the marketplace",
            unit="giao dịch",
            compute=_transfers_signed,
            app="market",
            scopes=frozenset({"country"}),
        )
    )
