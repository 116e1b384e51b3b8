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


# --- evaluation: scores by criterion, co-publications, indicator series ------------------------
#
# The same charts on the evaluation pages, the home dashboard's evaluation panel and the
# consolidated report's annex.


def criteria_chart(result: Any) -> Chart:
    """A criteria set's score by criterion (``evaluation.Evaluation``), out of 100."""
    return Chart(
        key="criteria",
        title=_("Score by criterion"),
        kind="bar",
        categories=tuple(str(c.criterion) for c in result.criteria),
        series=(
            Series(
                _("Score"),
                tuple(
                    None if c.score.score is None else round(c.score.score, 1)
                    for c in result.criteria
                ),
            ),
        ),
        unit=_("points out of 100"),
        source=_("Computed from the platform's records and the values entered with evidence."),
    )


def series_chart(indicator: Any, values: list[Any]) -> Chart:
    """An indicator series (``SeriesIndicator``) year by year, from its ``SeriesValue``s."""
    years = sorted({v.year for v in values})
    by_year = {v.year: float(v.value) for v in values}
    sources = sorted({v.source for v in values})
    return Chart(
        key=f"series-{indicator.code}",
        title=indicator.label,
        kind="line",
        categories=tuple(str(y) for y in years),
        series=(Series(indicator.label, tuple(by_year.get(y) for y in years)),),
        unit=indicator.unit,
        source="; ".join(sources[:3]) + (" …" if len(sources) > 3 else "") or indicator.source,
    )


TOP_PARTNERS = 10
COPUB_YEARS = 10  # the years shown by default: the latest ten


class Copublications:
    """Vietnam's internationally co-authored publications by partner country and year (the
    ``intl-copublications`` series), over ``year_from``..``year_to`` (default: the latest
    ten years with data, or those up to ``until``)."""

    def __init__(
        self,
        year_from: int | None = None,
        year_to: int | None = None,
        *,
        until: int | None = None,
        top: int = TOP_PARTNERS,
    ) -> None:
        from caunoi.reporting import series
        from caunoi.reporting.models_evaluation import SeriesIndicator, SeriesValue
        from caunoi.taxonomy.models import Country

        rows = SeriesValue.objects.filter(indicator__code=series.COPUB)
        self.years_all = sorted(set(rows.values_list("year", flat=True)))
        candidates = [y for y in self.years_all if until is None or y <= until]
        default_to = candidates[-1] if candidates else 0
        default_from = candidates[-COPUB_YEARS:][0] if candidates else 0
        self.year_from = year_from if year_from is not None else default_from
        self.year_to = year_to if year_to is not None else default_to
        values = list(
            rows.filter(year__gte=self.year_from, year__lte=self.year_to).order_by(
                "year", "partner"
            )
        )
        self.empty = not values
        self.years = sorted({v.year for v in values})
        table = series.chart_rows(values)
        self.total = table.pop("", {})
        self.table = table
        self.latest = self.years[-1] if self.years else None
        latest = self.latest
        self.ranked = sorted(
            table,
            key=lambda p: (
                -(table[p].get(latest, 0) if latest else 0),
                -sum(table[p].values()),
                p,
            ),
        )
        self.top = self.ranked[:top]
        names = dict(Country.objects.filter(iso2__in=self.ranked).values_list("iso2", "name_vi"))
        self.names = {p: names.get(p, p) for p in self.ranked}
        indicator = SeriesIndicator.objects.filter(code=series.COPUB).first()
        origins = sorted({v.source.split(", WrldCo")[0] for v in values})
        self.source = "; ".join(origins) or (indicator.source if indicator else "")

    def trend_chart(self) -> Chart:
        return Chart(
            key="copub-trend",
            title=_("Co-publications with the top partners, by year"),
            kind="line",
            categories=tuple(str(y) for y in self.years),
            series=tuple(
                Series(self.names[p], tuple(self.table[p].get(y) for y in self.years))
                for p in self.top
            ),
            unit=_("publications"),
            source=self.source,
        )

    def top_chart(self) -> Chart:
        latest = self.latest
        return Chart(
            key="copub-top",
            title=(
                _("Top partners in %(year)s") % {"year": latest} if latest else _("Top partners")
            ),
            kind="hbar",
            categories=tuple(self.names[p] for p in self.top),
            series=(
                Series(
                    _("Co-publications"), tuple(self.table[p].get(latest or 0) for p in self.top)
                ),
            ),
            unit=_("publications"),
            source=self.source,
        )

    def total_chart(self) -> Chart:
        return Chart(
            key="copub-total",
            title=_("Internationally co-authored publications of Vietnam"),
            kind="line",
            categories=tuple(str(y) for y in self.years),
            series=(Series(_("All partners"), tuple(self.total.get(y) for y in self.years)),),
            unit=_("publications"),
            source=self.source,
        )

    def growth(self) -> list[tuple[str, str, float | None, float | None, float | None]]:
        """(name, ISO2, first year's value, last year's, yearly growth in %) per top partner."""
        rows: list[tuple[str, str, float | None, float | None, float | None]] = []
        if len(self.years) < 2:
            return rows
        first, last = self.years[0], self.years[-1]
        for p in self.top:
            a, b = self.table[p].get(first), self.table[p].get(last)
            rate = None
            if a and b and last > first:
                rate = round(((b / a) ** (1 / (last - first)) - 1) * 100, 1)
            rows.append((self.names[p], p, a, b, rate))
        return rows


def latest_criteria_set(*, overlapping: tuple[Any, Any] | None = None) -> Any:
    """The criteria set whose period ends last (of those overlapping ``overlapping``, a
    (start, end) pair of dates, when given); None when there is none."""
    from caunoi.reporting.models_evaluation import CriteriaSet

    qs = CriteriaSet.objects.all()
    if overlapping is not None:
        start, end = overlapping
        qs = qs.filter(period_start__lte=end, period_end__gte=start)
    return qs.order_by("-period_end", "-pk").first()


PANEL_SECONDS = 300  # how long the dashboard keeps a set's scores (records change under it)


def evaluation_panel(*, copub_top: int = 8) -> dict[str, Any]:
    """The evaluation charts of the home dashboard: co-publications with the top partner
    countries in the latest year, their total year by year, and the latest criteria set's
    score by criterion (``criteria_set`` None and no chart when there is no set).

    The set's scores are kept in the cache for ``PANEL_SECONDS`` (an evaluation asks every
    indicator source): a new version of the set or a new entered value shows at once, a
    change in the records it counts within five minutes."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    from caunoi.reporting import evaluation
    from caunoi.reporting.models_evaluation import EvalEntry

    copub = Copublications(top=copub_top)
    criteria_set = latest_criteria_set()
    panel_charts = [copub.top_chart(), copub.total_chart()]
    score = None
    if criteria_set is not None:
        last_entry = (
            EvalEntry.objects.filter(indicator__criterion__criteria_set=criteria_set)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        key = (
            f"caunoi:evaluation-panel:{criteria_set.pk}:{criteria_set.version}:"
            f"{criteria_set.created_at.timestamp()}:{last_entry}:{get_language()}"
        )
        cached = cache.get(key)
        if cached is None:
            result = evaluation.evaluate(criteria_set)
            cached = (criteria_chart(result), result.score.score)
            cache.set(key, cached, PANEL_SECONDS)
        chart, score = cached
        panel_charts.append(chart)
    return {
        "copub": copub,
        "criteria_set": criteria_set,
        "score": score,
        "charts": panel_charts,
    }


SERIES_IN_REPORT = 6


def report_evaluation(campaign: Any) -> dict[str, Any] | None:
    """The consolidated report's annex on the evaluation, for the campaign's period: the
    criteria set overlapping it (its score by criterion, with the set's formula), the
    co-publications up to the period's last year (top partners, their trend, the total) and
    the indicator series with national figures. None when there is nothing to show. Titled
    in the active language (the report sets Vietnamese)."""
    from dataclasses import replace

    from caunoi.reporting import evaluation, series
    from caunoi.reporting.models_evaluation import SeriesIndicator, SeriesValue

    until = campaign.period_end.year
    out: dict[str, Any] = {"criteria_set": None, "result": None, "charts": []}
    criteria_set = latest_criteria_set(overlapping=(campaign.period_start, campaign.period_end))
    if criteria_set is not None:
        result = evaluation.evaluate(criteria_set)
        chart = criteria_chart(result)
        if not chart.empty:
            out.update(criteria_set=criteria_set, result=result)
            out["charts"].append(replace(chart, title=f"{chart.title}: {criteria_set.title}"))
    copub = Copublications(until=until, top=TOP_PARTNERS)
    if not copub.empty:
        out["charts"] += [
            c for c in (copub.top_chart(), copub.trend_chart(), copub.total_chart()) if not c.empty
        ]
    national: dict[int, list[Any]] = {}
    for v in SeriesValue.objects.filter(partner="", year__lte=until).exclude(
        indicator__code=series.COPUB
    ):
        national.setdefault(v.indicator_id, []).append(v)
    shown = 0
    for indicator in SeriesIndicator.objects.filter(pk__in=national):
        if shown == SERIES_IN_REPORT:
            break
        chart = series_chart(indicator, sorted(national[indicator.pk], key=lambda v: v.year))
        if len(chart.categories) >= 2:  # a trend needs two years
            out["charts"].append(chart)
            shown += 1
    return out if out["charts"] else None
