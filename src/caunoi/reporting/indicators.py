"""A campaign's aggregated indicators for its "Indicators" page: every measured indicator
overall, by unit type and by region, and its trend across the campaigns of the same template
(the yearly campaigns), aggregated by the consolidated report's own rules
(``consolidated.IndicatorSummary``).

What counts is what the consolidated report counts (each submission's latest submitted or
approved version) from the units expected at the campaign's deadline (the rule of
``completeness.is_expected``), restricted to the submissions this user may read
(``access.submissions_readable``): the campaign's officers aggregate every unit, a unit's
staff only their own unit's answers.

Each campaign's aggregates are kept in Django's cache under a digest of what they depend on
(``fingerprints``: the campaign's deadline, its units with the days they joined and left, its
submission versions, which are only ever added), so a sent report, a unit taken out or a
changed deadline shows at once, and the page over five yearly campaigns of 200 indicators
gathers again only the campaign that changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Max, OuterRef, Subquery
from django.utils.translation import gettext as _

from caunoi.accounts.models import Unit
from caunoi.core.charts import Chart, Series
from caunoi.reporting import access
from caunoi.reporting.answers import display, is_empty
from caunoi.reporting.consolidated import (
    SENT_STATES,
    Answer,
    IndicatorSummary,
    expected_units,
    measured_rows,
)
from caunoi.reporting.models import (
    Campaign,
    CampaignUnit,
    Indicator,
    IndicatorKind,
    Region,
    Submission,
    SubmissionVersion,
)

# Narrative texts are read, not aggregated (the rows of ``consolidated.measured_rows``).
NOT_MEASURED = (IndicatorKind.TEXT,)


def summaries(
    campaign: Campaign, user: Any, indicators: list[Indicator] | None = None
) -> list[IndicatorSummary]:
    """Every measured indicator of the campaign's template version (``indicators`` when the
    caller has them) with the sent answers this user may read, in the template's order
    (three queries)."""
    units = {u.pk: u for u in expected_units(campaign)}
    readable = access.submissions_readable(
        user, Submission.objects.filter(campaign_unit__campaign=campaign)
    )
    # each readable submission's latest sent version, answers included (one query)
    latest_sent = (
        SubmissionVersion.objects.filter(submission=OuterRef("submission"), state__in=SENT_STATES)
        .order_by("-number")
        .values("number")[:1]
    )
    versions = (
        SubmissionVersion.objects.filter(
            submission__in=readable, state__in=SENT_STATES, number=Subquery(latest_sent)
        )
        .order_by()
        .values_list("submission__campaign_unit_id", "submission__kind", "answers")
    )
    if indicators is None:
        indicators = measured_indicators(campaign)
    by_code = {i.code: IndicatorSummary(i) for i in indicators}
    for cu_id, kind, answers in versions:
        unit = units.get(cu_id)
        if unit is None:  # not expected at the deadline
            continue
        for code, value in answers.items():
            s = by_code.get(code)
            if s is not None and not is_empty(value):
                s.answers.append(Answer(unit, kind, value))
    # no sort: the aggregates do not depend on the answers' order (the report's lists do)
    return measured_rows(by_code.values())


def measured_indicators(campaign: Campaign) -> list[Indicator]:
    return [
        i
        for i in Indicator.objects.filter(version=campaign.template_version)
        .select_related("section")
        .order_by("section__order", "order", "pk")
        if i.kind not in NOT_MEASURED
    ]


@dataclass(frozen=True)
class Figures:
    """One indicator's aggregates in one campaign, as kept in the cache."""

    answered: int
    overall: Any
    by_kind: dict[str, Any]
    by_region: dict[str, Any]


CACHE_SECONDS = 24 * 3600


def _indicators(campaign: Campaign, versions: dict[int, list[Indicator]] | None) -> Any:
    """The campaign's measured indicators, read once per template version in ``versions``."""
    if versions is None:
        return measured_indicators(campaign)
    if campaign.template_version_id not in versions:
        versions[campaign.template_version_id] = measured_indicators(campaign)
    return versions[campaign.template_version_id]


def scope(user: Any, campaign: Campaign) -> str:
    """Whose answers ``access.submissions_readable`` gives this user in this campaign: every
    unit's (administrators, the staff of the unit that runs it), one unit's, or none."""
    if getattr(user, "is_admin", False) or (
        getattr(user, "unit_id", None) and user.unit_id == campaign.owner_unit_id
    ):
        return "all"
    unit_id = getattr(user, "unit_id", None)
    return f"unit-{unit_id}" if unit_id else "none"


def fingerprints(campaigns: list[Campaign]) -> dict[int, str]:
    """A digest per campaign of what its aggregates depend on: its deadline and template
    version, its units (with the days they joined and left, their type and region) and its
    versions (only ever added: the latest and how many). Two queries for all of them."""
    ids = [c.pk for c in campaigns]
    versions = {
        row["campaign"]: (row["last"], row["n"], str(row["at"]))
        for row in SubmissionVersion.objects.filter(submission__campaign_unit__campaign__in=ids)
        .order_by()
        .values(campaign=F("submission__campaign_unit__campaign_id"))
        .annotate(last=Max("pk"), n=Count("pk"), at=Max("created_at"))
    }
    units: dict[int, list[tuple[Any, ...]]] = {pk: [] for pk in ids}
    for row in (
        CampaignUnit.objects.filter(campaign__in=ids)
        .order_by("pk")
        .values_list("campaign_id", "pk", "kind", "region", "added_on", "removed_on")
    ):
        units[row[0]].append(row[1:])
    out = {}
    for c in campaigns:
        state = (c.created_at, c.deadline, c.template_version_id, versions.get(c.pk), units[c.pk])
        out[c.pk] = hashlib.sha256(repr(state).encode()).hexdigest()[:32]
    return out


def figures(
    campaign: Campaign,
    user: Any,
    fingerprint: str,
    versions: dict[int, list[Indicator]] | None = None,
) -> dict[str, Figures]:
    """The campaign's aggregates for this user by indicator code, from the cache when
    nothing they depend on changed (``fingerprints``), else gathered (``summaries``)."""
    key = f"caunoi:indicators:{campaign.pk}:{scope(user, campaign)}:{fingerprint}"
    cached: dict[str, Figures] | None = cache.get(key)
    if cached is None:
        cached = {
            s.code: Figures(len(s.answers), s.aggregate(), s.by("kind"), s.by("region"))
            for s in summaries(campaign, user, _indicators(campaign, versions))
        }
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def numeric(value: Any) -> float | None:
    """An aggregate as a chart's number (None for a choice's counts or no value)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def shown(indicator: Indicator, value: Any) -> str:
    """An aggregate as people read it: a sum or an average with the indicator's unit, a
    count as a count (of yes answers, of answers), a choice's counts as they are."""
    if value is None:
        return "—"
    value = _plain(value)
    if indicator.kind in (
        IndicatorKind.NUMBER,
        IndicatorKind.PERCENT,
    ) and indicator.aggregation in (
        "sum",
        "average",
    ):
        return display(indicator, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(value)
    return str(value)


def _number(value: Any) -> str:
    """A number the Vietnamese way (narrow spaces group thousands, a comma before decimals)."""
    if value is None:
        return "—"
    value = _plain(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,}".replace(",", "\u202f").replace(".", ",")
    return str(value)


def same_template(campaign: Campaign, user: Any) -> list[Campaign]:
    """The campaigns of the campaign's template this user may read, oldest first (the
    yearly campaigns of one report), the campaign itself included."""
    return list(
        access.campaigns_readable(user)
        .filter(template_version__template_id=campaign.template_version.template_id)
        .select_related("template_version")
        .order_by("period_end", "deadline", "pk")
    )


def campaign_label(campaign: Campaign, taken: Iterable[str] = ()) -> str:
    """A campaign as a column of the trend: its period's year, or its title when another
    campaign of the template has the same year."""
    year = str(campaign.period_end.year)
    return str(campaign.title) if year in taken else year


@dataclass
class Row:
    """One measured row of the page (an indicator, or a table's number column): its
    aggregates and its trend (by trend label)."""

    measure: IndicatorSummary  # without answers: what the row is (code, label, rule)
    answered: int
    overall: Any
    by_kind: dict[str, Any]
    by_region: dict[str, Any]
    trend: dict[str, Any] = field(default_factory=dict)

    @property
    def indicator(self) -> Indicator:
        return self.measure.indicator

    @property
    def code(self) -> str:
        return self.measure.code

    @property
    def label(self) -> str:
        column = self.measure.column
        if column is None:
            return self.indicator.label
        return f"{self.indicator.label}: {column.get('label_vi') or column['code']}"

    @property
    def rule(self) -> str:
        return self.measure.rule_label

    @property
    def unit(self) -> str:
        return "" if self.measure.column is not None else _unit(self.indicator)

    def shown(self, value: Any) -> str:
        if self.measure.column is not None:
            return _number(value)
        return shown(self.indicator, value)


@dataclass
class CampaignIndicators:
    campaign: Campaign
    rows: list[Row]
    kinds: list[str]  # unit types with units expected, in order
    regions: list[str]  # regions with units expected, in order
    trend_labels: list[str]  # the campaigns of the template, oldest first
    everyone: bool  # the user reads every unit's submissions (else only their own)

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows if r.code == code), None)

    def kind_names(self) -> dict[str, str]:
        names = dict(Unit.Kind.choices)
        return {k: str(names.get(k, k)) for k in self.kinds}

    def region_names(self) -> dict[str, str]:
        names = dict(Region.choices)
        return {k: str(names.get(k, k or "—")) for k in self.regions}

    def charts(self, row: Row) -> list[Chart]:
        """The selected indicator's charts: its trend across the template's campaigns, by
        unit type and by region (only numbers are drawn: a choice's counts are text)."""
        label, unit = row.label, row.unit
        kinds, regions = self.kind_names(), self.region_names()
        return [
            Chart(
                key="indicator-trend",
                title=_("%(indicator)s, campaign by campaign") % {"indicator": label},
                kind="line",
                categories=tuple(self.trend_labels),
                series=(
                    Series(label, tuple(numeric(row.trend.get(t)) for t in self.trend_labels)),
                ),
                unit=unit,
            ),
            Chart(
                key="indicator-by-unit-type",
                title=_("%(indicator)s, by unit type") % {"indicator": label},
                kind="bar",
                categories=tuple(kinds[k] for k in self.kinds),
                series=(Series(label, tuple(numeric(row.by_kind.get(k)) for k in self.kinds)),),
                unit=unit,
            ),
            Chart(
                key="indicator-by-region",
                title=_("%(indicator)s, by region") % {"indicator": label},
                kind="hbar",
                categories=tuple(regions[k] for k in self.regions),
                series=(Series(label, tuple(numeric(row.by_region.get(k)) for k in self.regions)),),
                unit=unit,
            ),
        ]

    def csv_rows(self) -> list[list[Any]]:
        """Every indicator with all its aggregates (the page's CSV download)."""
        kinds, regions = self.kind_names(), self.region_names()
        head = [
            _("Code"),
            _("Indicator"),
            _("Unit of measure"),
            _("Aggregation"),
            _("Answers"),
            _("All units"),
            *(kinds[k] for k in self.kinds),
            *(regions[k] for k in self.regions),
            *(f"{_('Campaign')} {t}" for t in self.trend_labels),
        ]
        out: list[list[Any]] = [head]
        for r in self.rows:
            out.append(
                [
                    r.code,
                    r.label,
                    r.unit,
                    r.rule,
                    r.answered,
                    _cell(r.overall),
                    *(_cell(r.by_kind.get(k)) for k in self.kinds),
                    *(_cell(r.by_region.get(k)) for k in self.regions),
                    *(_cell(r.trend.get(t)) for t in self.trend_labels),
                ]
            )
        return out


def _unit(indicator: Indicator) -> str:
    if indicator.kind == IndicatorKind.PERCENT:
        return "%"
    if indicator.kind == IndicatorKind.NUMBER:
        return indicator.unit
    return str(_("answers"))


def _plain(value: Any) -> Any:
    """60.0 as 60: an average that came out whole reads as a whole number."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _cell(value: Any) -> Any:
    return "" if value is None else _plain(value)


def _order(keys: Iterable[str], choices: Iterable[tuple[str, Any]]) -> list[str]:
    rank = {k: i for i, (k, _label) in enumerate(choices)}
    return sorted(set(keys), key=lambda k: (rank.get(k, len(rank)), k))


def campaign_indicators(campaign: Campaign, user: Any) -> CampaignIndicators:
    """The campaign's indicators for this user, with their trend over the campaigns of the
    same template (each campaign aggregated by its own template version's rules; indicators
    are matched by code). Each campaign's aggregates come from the cache while nothing they
    depend on changed, so the page costs a few queries once they are gathered."""
    campaigns = same_template(campaign, user)
    if not any(c.pk == campaign.pk for c in campaigns):
        campaigns.append(campaign)
    prints = fingerprints(campaigns)
    empty = Figures(0, None, {}, {})
    versions: dict[int, list[Indicator]] = {}
    own = figures(campaign, user, prints[campaign.pk], versions)
    rows = []
    for m in measured_rows(IndicatorSummary(i) for i in _indicators(campaign, versions)):
        f = own.get(m.code, empty)
        rows.append(Row(m, f.answered, f.overall, f.by_kind, f.by_region))
    labels: list[str] = []
    for other in campaigns:
        label = campaign_label(other, labels)
        labels.append(label)
        theirs = (
            own if other.pk == campaign.pk else figures(other, user, prints[other.pk], versions)
        )
        for r in rows:
            same = theirs.get(r.code)
            if same is not None:
                r.trend[label] = same.overall
    units = [(u.kind, u.region) for u in expected_units(campaign)]
    return CampaignIndicators(
        campaign=campaign,
        rows=rows,
        kinds=_order((k for k, _r in units), Unit.Kind.choices),
        regions=_order((r for _k, r in units), Region.choices),
        trend_labels=labels,
        everyone=scope(user, campaign) == "all",
    )
