"""Structured fit between a request and a candidate: countries, TRL, cooperation type, budget
and absorption capacity.

Each rule gives a factor in [0, 1] that multiplies the relevance (0 excludes the candidate),
and a :class:`Fit` line for the explanation. A rule applies only when both sides state the
values it compares; otherwise it is silent. The same rules exist twice: :func:`pair_fit` for
one pair (explanations, tests) and the vectorised form in :mod:`techmatch.index` for whole
candidate sets; a test checks that they agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from techmatch.records import Expert, Intermediary, Offer, Request, Target

TrlRule = Literal["exclude", "penalise"]


@dataclass(frozen=True)
class Policy:
    """How strongly each constraint weighs. Factors multiply; 1.0 is neutral."""

    country_other: float = 0.8  # a non-preferred country when the request states preferences
    trl_below: TrlRule = "exclude"  # below the request's minimum TRL: excluded, or penalised
    trl_per_level: float = 0.7  # "penalise": factor per missing TRL level
    cooperation_mismatch: float = 0.85  # no cooperation type in common
    over_budget: float = 0.75  # the offer's lowest price is above the request's budget
    lab_missing: float = 0.8  # the offer needs a lab the requester lacks
    equipment_missing: float = 0.85  # the offer needs equipment the requester lacks
    staff_short: float = 0.85  # the offer needs more qualified staff than the requester has
    expert_unavailable: float = 0.5


@dataclass(frozen=True)
class Fit:
    """One line of the constraint and capacity fit of a match.

    ``key`` is stable ("country.preferred"); ``en`` and ``vi`` are the phrase in English (the
    gettext msgid) and Vietnamese, with ``{name}`` placeholders filled from ``params`` by the
    app. ``ok`` is False when the rule lowered the match.
    """

    key: str
    ok: bool
    factor: float
    en: str
    vi: str
    params: tuple[tuple[str, str], ...] = field(default=())


PHRASES: dict[str, tuple[str, str]] = {
    "country.preferred": (
        "From a preferred country ({country})",
        "Thuộc quốc gia ưu tiên ({country})",
    ),
    "country.other": (
        "Not from a preferred country ({country})",
        "Không thuộc quốc gia ưu tiên ({country})",
    ),
    "country.excluded": (
        "Outside the countries the request is restricted to ({country})",
        "Ngoài các quốc gia yêu cầu giới hạn ({country})",
    ),
    "trl.ok": (
        "Technology readiness TRL {trl} meets the minimum TRL {min_trl}",
        "Mức sẵn sàng công nghệ TRL {trl} đạt mức tối thiểu TRL {min_trl}",
    ),
    "trl.below": (
        "Technology readiness TRL {trl} is below the minimum TRL {min_trl}",
        "Mức sẵn sàng công nghệ TRL {trl} thấp hơn mức tối thiểu TRL {min_trl}",
    ),
    "cooperation.ok": (
        "Cooperation type in common: {types}",
        "Hình thức hợp tác phù hợp: {types}",
    ),
    "cooperation.mismatch": (
        "No cooperation type in common",
        "Không có hình thức hợp tác chung",
    ),
    "budget.ok": ("Within the budget", "Trong phạm vi ngân sách"),
    "budget.over": (
        "Costs more than the budget (from {price}, budget up to {budget})",
        "Chi phí vượt ngân sách (từ {price}, ngân sách tối đa {budget})",
    ),
    "capacity.lab_missing": (
        "Needs a laboratory the receiving unit does not have",
        "Cần phòng thí nghiệm mà đơn vị tiếp nhận chưa có",
    ),
    "capacity.equipment_missing": (
        "Needs equipment the receiving unit does not have",
        "Cần thiết bị mà đơn vị tiếp nhận chưa có",
    ),
    "capacity.staff_short": (
        "Needs {needed} qualified staff, the receiving unit has {staff}",
        "Cần {needed} nhân lực có trình độ, đơn vị tiếp nhận có {staff}",
    ),
    "capacity.ok": (
        "The receiving unit has the capacity it needs",
        "Đơn vị tiếp nhận đủ năng lực tiếp nhận",
    ),
    "expert.unavailable": ("The expert is not available now", "Chuyên gia hiện không sẵn sàng"),
    "feedback.pair": (
        "Adjusted by feedback on this match ({kind})",
        "Điều chỉnh theo phản hồi về kết nối này ({kind})",
    ),
    "feedback.trl": (
        "Earlier feedback asked for a later stage than TRL {trl}",
        "Phản hồi trước đề nghị giai đoạn phát triển cao hơn TRL {trl}",
    ),
    "feedback.price": (
        "Earlier feedback found offers from {price} too expensive",
        "Phản hồi trước cho rằng chi phí từ {price} là quá cao",
    ),
    "feedback.target": (
        "Feedback from several requests lowered this record",
        "Phản hồi từ nhiều yêu cầu làm giảm thứ hạng hồ sơ này",
    ),
}


def fit_line(key: str, factor: float, **params: object) -> Fit:
    en, vi = PHRASES[key]
    return Fit(
        key=key,
        ok=factor >= 1.0,
        factor=factor,
        en=en,
        vi=vi,
        params=tuple(sorted((k, str(v)) for k, v in params.items())),
    )


def _money(x: float) -> str:
    return f"{x:,.0f}"


def pair_fit(request: Request, target: Target, policy: Policy) -> tuple[float, tuple[Fit, ...]]:
    """The constraint factor of one request–candidate pair and its explanation lines."""
    lines: list[Fit] = []
    factor = 1.0
    country = target.country.upper()
    prefs = {c.upper() for c in request.preferred_countries}
    if prefs and country:
        if country in prefs:
            lines.append(fit_line("country.preferred", 1.0, country=country))
        elif request.countries_only:
            lines.append(fit_line("country.excluded", 0.0, country=country))
            factor = 0.0
        else:
            lines.append(fit_line("country.other", policy.country_other, country=country))
            factor *= policy.country_other
    if isinstance(target, Offer):
        factor *= _offer_fit(request, target, policy, lines)
    elif isinstance(target, Expert):
        if not target.available:
            lines.append(fit_line("expert.unavailable", policy.expert_unavailable))
            factor *= policy.expert_unavailable
    elif isinstance(target, Intermediary):
        pass
    return factor, tuple(lines)


def _offer_fit(request: Request, offer: Offer, policy: Policy, lines: list[Fit]) -> float:
    factor = 1.0
    if request.min_trl is not None and offer.trl is not None:
        gap = request.min_trl - offer.trl
        if gap <= 0:
            lines.append(fit_line("trl.ok", 1.0, trl=offer.trl, min_trl=request.min_trl))
        else:
            f = 0.0 if policy.trl_below == "exclude" else policy.trl_per_level**gap
            lines.append(fit_line("trl.below", f, trl=offer.trl, min_trl=request.min_trl))
            factor *= f
    if request.cooperation and offer.cooperation:
        common = sorted(set(request.cooperation) & set(offer.cooperation))
        if common:
            lines.append(fit_line("cooperation.ok", 1.0, types=", ".join(common)))
        else:
            lines.append(fit_line("cooperation.mismatch", policy.cooperation_mismatch))
            factor *= policy.cooperation_mismatch
    if request.budget.high is not None and offer.price.low is not None:
        if offer.price.low > request.budget.high:
            lines.append(
                fit_line(
                    "budget.over",
                    policy.over_budget,
                    price=_money(offer.price.low),
                    budget=_money(request.budget.high),
                )
            )
            factor *= policy.over_budget
        else:
            lines.append(fit_line("budget.ok", 1.0))
    cap, needs = request.capacity, offer.needs
    short = False
    if needs.lab and cap.lab is False:
        lines.append(fit_line("capacity.lab_missing", policy.lab_missing))
        factor *= policy.lab_missing
        short = True
    if needs.equipment and cap.equipment is False:
        lines.append(fit_line("capacity.equipment_missing", policy.equipment_missing))
        factor *= policy.equipment_missing
        short = True
    if needs.staff is not None and cap.staff is not None and cap.staff < needs.staff:
        lines.append(
            fit_line(
                "capacity.staff_short", policy.staff_short, needed=needs.staff, staff=cap.staff
            )
        )
        factor *= policy.staff_short
        short = True
    stated = (needs.lab and cap.lab is not None) or (needs.equipment and cap.equipment is not None)
    stated = stated or (needs.staff is not None and cap.staff is not None)
    if stated and not short:
        lines.append(fit_line("capacity.ok", 1.0))
    return factor
