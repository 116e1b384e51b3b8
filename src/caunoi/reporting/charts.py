"""The charts of reporting (``caunoi.core.charts``): a campaign's completeness by unit type
and by region and its 2020 categories, the campaigns' rates; the same ones on the pages
(with their downloads) and in the consolidated reports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from caunoi.accounts.models import Unit
from caunoi.core.charts import Chart, Series
from caunoi.reporting.completeness import CATEGORIES, Completeness, Figures
from caunoi.reporting.models import Campaign, Region


def category_names() -> dict[str, str]:
    return {
        "report_with_plan": _("Report with plan"),
        "report_without_plan": _("Report without plan"),
        "plan_without_report": _("Plan without report"),
        "neither": _("Neither plan nor report"),
    }


def campaign_charts(figures: Completeness) -> list[Chart]:
    """A campaign's three charts, titled in the active language."""
    kinds = dict(Unit.Kind.choices)
    regions = dict(Region.choices)
    by_kind = sorted(figures.by_kind.items())
    by_region = sorted(figures.by_region.items())
    kind_labels = tuple(str(kinds.get(k, k)) for k, _f in by_kind)
    names = category_names()
    everyone = _("All units")
    return [
        Chart(
            key="by-unit-type",
            title=_("Units expected, sent and on time, by unit type"),
            kind="bar",
            categories=kind_labels,
            series=(
                Series(_("Expected"), tuple(float(f.expected) for _k, f in by_kind)),
                Series(_("Sent"), tuple(float(f.actual) for _k, f in by_kind)),
                Series(_("On time"), tuple(float(f.on_time) for _k, f in by_kind)),
            ),
            unit=_("units"),
        ),
        Chart(
            key="by-region",
            title=_("Share of units that sent, by region"),
            kind="hbar",
            categories=tuple(str(regions.get(k, k or "—")) for k, _f in by_region),
            series=(
                Series(_("Sent (%)"), tuple(f.actual_rate for _k, f in by_region)),
                Series(_("On time (%)"), tuple(f.on_time_rate for _k, f in by_region)),
            ),
            unit="%",
        ),
        Chart(
            key="categories",
            title=_("Plans and reports, by unit type"),
            kind="stacked_bar",
            categories=(everyone, *kind_labels),
            series=tuple(
                Series(
                    names[c],
                    (
                        float(figures.total.categories[c]),
                        *(float(f.categories[c]) for _k, f in by_kind),
                    ),
                )
                for c in CATEGORIES
            ),
            unit=_("units"),
        ),
    ]


def campaigns_chart(rows: Iterable[tuple[Campaign, Figures]]) -> Chart:
    """The campaigns side by side: the share of units that sent, and on time."""
    rows = list(rows)
    return Chart(
        key="campaigns",
        title=_("Reporting campaigns: share of units that sent"),
        kind="bar",
        categories=tuple(_campaign_label(c) for c, _f in rows),
        series=(
            Series(_("Sent (%)"), tuple(f.actual_rate for _c, f in rows)),
            Series(_("On time (%)"), tuple(f.on_time_rate for _c, f in rows)),
        ),
        unit="%",
    )


def _campaign_label(campaign: Any) -> str:
    title = str(campaign.title)
    year = campaign.deadline.year if campaign.deadline else ""
    return f"{year}: {title[:40]}" + ("…" if len(title) > 40 else "")


RECENT = 8


def recent_campaigns(user: Any) -> list[tuple[Campaign, Figures]]:
    """The latest campaigns this user may read, newest first, with their figures."""
    from caunoi.reporting import access, selectors

    return [
        (c, selectors.campaign_completeness(c).total)
        for c in access.campaigns_readable(user)[:RECENT]
    ]


def recent_campaigns_chart(rows: list[tuple[Campaign, Figures]]) -> Chart:
    """The dashboard panel's and the list page's chart: oldest first, left to right."""
    return campaigns_chart(reversed(rows[:RECENT]))
