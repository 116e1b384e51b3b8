"""Completeness of a reporting campaign, as a pure function over plain values (no Django).

Who is expected: a unit that belongs to the campaign on its deadline (added on or before it,
not removed on or before it); a unit removed before the deadline is not expected, one added
mid-campaign is. What counts: a unit "sent something" when any of its plan or report was
submitted (returned and approved ones included: they were sent); it was on time when its
first submission came on or before the end of the timely window. The categories are those
of the 2020 report on Decision 1851: report with plan, report without plan, plan without
report, neither.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

CATEGORIES = ("report_with_plan", "report_without_plan", "plan_without_report", "neither")


def is_expected(added_on: dt.date, removed_on: dt.date | None, deadline: dt.date) -> bool:
    """Whether a unit is expected: in the campaign on its deadline (added on or before it,
    not removed on or before it). The consolidated report gathers answers by the same rule."""
    return added_on <= deadline and (removed_on is None or removed_on > deadline)


@dataclass(frozen=True)
class UnitRow:
    code: str
    kind: str  # ministry, province, agency, department
    region: str
    added_on: dt.date
    removed_on: dt.date | None = None
    # When each kind was first submitted (None: never).
    plan_sent_on: dt.date | None = None
    report_sent_on: dt.date | None = None

    def expected(self, deadline: dt.date) -> bool:
        return is_expected(self.added_on, self.removed_on, deadline)

    @property
    def first_sent_on(self) -> dt.date | None:
        dates = [d for d in (self.plan_sent_on, self.report_sent_on) if d is not None]
        return min(dates) if dates else None

    @property
    def category(self) -> str:
        plan, report = self.plan_sent_on is not None, self.report_sent_on is not None
        if report:
            return "report_with_plan" if plan else "report_without_plan"
        return "plan_without_report" if plan else "neither"


@dataclass
class Figures:
    expected: int = 0
    actual: int = 0
    on_time: int = 0
    plans: int = 0
    reports: int = 0
    categories: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))

    @property
    def actual_rate(self) -> float:
        return percent(self.actual, self.expected)

    @property
    def on_time_rate(self) -> float:
        return percent(self.on_time, self.expected)

    def add(self, row: UnitRow, timely_until: dt.date) -> None:
        self.expected += 1
        sent = row.first_sent_on
        if sent is not None:
            self.actual += 1
            if sent <= timely_until:
                self.on_time += 1
        self.plans += row.plan_sent_on is not None
        self.reports += row.report_sent_on is not None
        self.categories[row.category] += 1

    def as_dict(self) -> dict[str, object]:
        return {
            "expected": self.expected,
            "actual": self.actual,
            "on_time": self.on_time,
            "actual_rate": self.actual_rate,
            "on_time_rate": self.on_time_rate,
            "plans": self.plans,
            "reports": self.reports,
            "categories": dict(self.categories),
        }


@dataclass
class Completeness:
    total: Figures
    by_kind: dict[str, Figures]
    by_region: dict[str, Figures]
    # code -> category, for the expected units only
    unit_categories: dict[str, str]

    def as_dict(self) -> dict[str, object]:
        return {
            **self.total.as_dict(),
            "by_unit_type": {k: f.as_dict() for k, f in sorted(self.by_kind.items())},
            "by_region": {k: f.as_dict() for k, f in sorted(self.by_region.items())},
        }


def percent(part: int, whole: int) -> float:
    """A rate in percent with one decimal (70 of 82 → 85.4); 0.0 when nothing is expected."""
    return round(100 * part / whole, 1) if whole else 0.0


def completeness(
    units: Iterable[UnitRow], *, deadline: dt.date, timely_until: dt.date | None = None
) -> Completeness:
    """Expected, actual and on-time units with their rates, overall, per unit type and per
    region, and the plan/report categories."""
    limit = timely_until or deadline
    total = Figures()
    by_kind: dict[str, Figures] = {}
    by_region: dict[str, Figures] = {}
    categories: dict[str, str] = {}
    for row in units:
        if not row.expected(deadline):
            continue
        total.add(row, limit)
        by_kind.setdefault(row.kind, Figures()).add(row, limit)
        by_region.setdefault(row.region, Figures()).add(row, limit)
        categories[row.code] = row.category
    return Completeness(total, by_kind, by_region, categories)
