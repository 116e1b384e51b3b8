"""The panels of the home dashboard: open and recent campaigns with completeness, and the
latest campaign's completeness by unit type and by region; the evaluation of international
cooperation (co-publications by partner, the latest criteria set's scores by criterion, the
first national indicator series' trends), for network staff, who read the evaluation pages.

Every chart here is one a reporting page already shows, and that page serves its downloads
(``chart_url``): the campaign page, the campaign list, the evaluation list, the series page.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from caunoi.core.charts import Chart
from caunoi.core.sections import Panel, register_panel
from caunoi.reporting import charts

# The campaign page's charts the dashboard shows for the latest campaign.
LATEST_CHARTS = ("by-unit-type", "by-region")
PANEL_SERIES = 2  # national indicator series shown as trends


def latest_campaign(rows: list[tuple[Any, Any]]) -> Any:
    """Of the recent campaigns (newest deadline first), the latest one already opened (a
    campaign announced for later has nothing to show yet), else the newest."""
    today = timezone.localdate()
    return next((c for c, _f in rows if c.opens_on <= today), rows[0][0])


def _context(user: Any) -> dict[str, Any] | None:
    from caunoi.reporting import selectors

    rows = charts.recent_campaigns(user)
    if not rows:
        return None
    latest = latest_campaign(rows)
    figures = selectors.campaign_completeness(latest)
    return {
        "rows": rows[:5],
        "chart": charts.recent_campaigns_chart(rows),
        # the list page serves this chart's downloads (the same campaigns for the same user)
        "chart_url": reverse("reporting:list"),
        "latest": latest,
        "latest_charts": [c for c in charts.campaign_charts(figures) if c.key in LATEST_CHARTS],
        # the campaign page serves these (the same charts from the same figures)
        "latest_url": reverse("reporting:detail", args=[latest.pk]),
    }


def national_series_charts(limit: int = PANEL_SERIES) -> list[Chart]:
    """The first ``limit`` indicator series (in the catalogue's order, co-publications aside:
    they have their own charts) with national values over at least two years, as the series
    page draws them."""
    from caunoi.reporting import series
    from caunoi.reporting.models_evaluation import SeriesIndicator, SeriesValue

    out: list[Chart] = []
    years: dict[int, int] = {}
    for indicator_id in (
        SeriesValue.objects.filter(partner="")
        .exclude(indicator__code=series.COPUB)
        .values_list("indicator_id", flat=True)
    ):
        years[indicator_id] = years.get(indicator_id, 0) + 1
    for indicator in SeriesIndicator.objects.filter(pk__in=[k for k, n in years.items() if n > 1]):
        if len(out) == limit:
            break
        values = list(SeriesValue.objects.filter(indicator=indicator, partner="").order_by("year"))
        out.append(charts.series_chart(indicator, values))
    return out


def _evaluation_context(user: Any) -> dict[str, Any] | None:
    from caunoi.reporting import evaluation, evaluation_sets

    if not evaluation.is_reader(user):
        return None
    return {
        **charts.evaluation_panel(),
        # the evaluation list page serves these charts' downloads
        "chart_url": reverse("reporting:evaluation-list"),
        "can_manage": evaluation_sets.can_manage_sets(user),
        "series_charts": national_series_charts(),
        # the series page serves these charts' downloads
        "series_url": reverse("reporting:evaluation-series"),
    }


def register_panels() -> None:
    register_panel(
        Panel(
            key="reporting-campaigns", template="reporting/panel.html", context=_context, order=30
        )
    )
    register_panel(
        Panel(
            key="reporting-evaluation",
            template="reporting/evaluation/panel.html",
            context=_evaluation_context,
            order=35,
        )
    )
