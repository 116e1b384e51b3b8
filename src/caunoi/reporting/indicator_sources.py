"""Indicator sources from the registry and the campaigns, registered in ``ready()``.

Each counts records of a period (a date range) and an optional scope: an account unit (the
records' owning unit; for campaigns, the unit answering for a reporting unit) or a partner
country (the records' derived ``countries``). Every value comes with the records it counted.

Each source also answers for many scopes at once (``*_many``, the comparison page): the
period's records are read once with their owning unit and their countries (two queries), then
shared out to the scopes in Python, in the same order and with the same evidence as the
scope-by-scope functions, which stay the reference (the tests compare the two).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from caunoi.core.indicators import (
    EvidenceItem,
    IndicatorSource,
    IndicatorValue,
    Scope,
    counted,
    grouped_by_scope,
    register_indicator_source,
)
from caunoi.registry.models import Agreement, Delegation, Project
from caunoi.reporting.models import Campaign, SubmissionState

IN_FORCE = (Agreement.Status.IN_FORCE, Agreement.Status.EXPIRING, Agreement.Status.RENEWED)
RUNNING = (Project.Status.IMPLEMENTATION, Project.Status.FINALISATION, Project.Status.CLOSED)


def _scoped(qs: QuerySet[Any], scope: Scope) -> QuerySet[Any]:
    if scope.unit_id is not None:
        qs = qs.filter(owner_unit_id=scope.unit_id)
    if scope.country is not None:
        qs = qs.filter(countries__iso2=scope.country.upper()).distinct()
    return qs


def _everyone_asked(scopes: Sequence[Scope]) -> bool:
    return any(s.unit_id is None and s.country is None for s in scopes)


def _scoped_many(qs: QuerySet[Any], scopes: Sequence[Scope]) -> dict[Scope, list[Any]]:
    """The records of ``qs`` (in its order) for each scope, in two queries: the records that
    any scope can count (only the scopes' units' or countries' when no scope is everyone's),
    and their countries when a country is asked."""
    narrowed = qs
    if not _everyone_asked(scopes):
        if all(s.country is None for s in scopes):
            narrowed = qs.filter(owner_unit_id__in={s.unit_id for s in scopes})
        elif all(s.country is not None for s in scopes):
            codes = {str(s.country).upper() for s in scopes}
            narrowed = qs.filter(
                pk__in=qs.model.objects.filter(countries__iso2__in=codes).values("pk")
            )
    rows = list(narrowed)
    countries: dict[int, set[str]] = defaultdict(set)
    if any(s.country is not None for s in scopes):
        pairs = qs.model.objects.filter(
            pk__in=narrowed.order_by().values("pk"), countries__isnull=False
        ).values_list("pk", "countries__iso2")
        for pk, iso2 in pairs:
            countries[pk].add(iso2)
    return grouped_by_scope(
        rows,
        scopes,
        unit_of=lambda r: r.owner_unit_id,
        countries_of=lambda r: countries.get(r.pk, ()),
    )


def _counted_many(
    qs: QuerySet[Any],
    scopes: Sequence[Scope],
    label: Callable[[Any], str],
    *,
    amount: Callable[[Any], float | None] | None = None,
    note: str = "",
) -> dict[Scope, IndicatorValue]:
    links: dict[int, str] = {}

    def url(record: Any) -> str:  # each record's link worked out once for all the scopes
        if record.pk not in links:
            links[record.pk] = record.get_absolute_url()
        return links[record.pk]

    return {
        scope: counted(rows, label, amount=amount, note=note, url=url)
        for scope, rows in _scoped_many(qs, scopes).items()
    }


def agreements_in_force(start: dt.date, end: dt.date, scope: Scope) -> QuerySet[Agreement]:
    """In force (or expiring, renewed) now, having entered into force by the period's end
    and not expired before its start."""
    qs = Agreement.objects.filter(status__in=IN_FORCE).filter(
        Q(effective_on__lte=end) | Q(effective_on__isnull=True, signed_on__lte=end)
    )
    qs = qs.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=start))
    return _scoped(qs, scope).order_by("title_vi", "pk")


IN_FORCE_NOTE = N_("Agreements in force in the period (in force, expiring or renewed).")


def _agreements_in_force(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    return counted(
        agreements_in_force(start, end, scope), lambda a: a.title_vi, note=_(IN_FORCE_NOTE)
    )


def _agreements_in_force_many(
    start: dt.date, end: dt.date, scopes: Sequence[Scope]
) -> dict[Scope, IndicatorValue]:
    qs = agreements_in_force(start, end, Scope())
    return _counted_many(qs, scopes, lambda a: a.title_vi, note=_(IN_FORCE_NOTE))


ACTIVE_NOTE = N_("Agreements in force with a delegation or a project carried out in the period.")


def _active(start: dt.date, end: dt.date, scope: Scope) -> QuerySet[Agreement]:
    """Agreements in force with some activity in the period: a delegation or a project."""
    # Two subqueries rather than joins through both relations (whose product is slow).
    with_delegation = Delegation.objects.filter(
        start_on__range=(start, end), agreement__isnull=False
    ).values("agreement_id")
    with_project = Project.objects.filter(
        planned_start__lte=end, status__in=RUNNING, agreement__isnull=False
    ).values("agreement_id")
    return agreements_in_force(start, end, scope).filter(
        Q(pk__in=with_delegation) | Q(pk__in=with_project)
    )


def _agreements_active(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    return counted(_active(start, end, scope), lambda a: a.title_vi, note=_(ACTIVE_NOTE))


def _agreements_active_many(
    start: dt.date, end: dt.date, scopes: Sequence[Scope]
) -> dict[Scope, IndicatorValue]:
    return _counted_many(
        _active(start, end, Scope()), scopes, lambda a: a.title_vi, note=_(ACTIVE_NOTE)
    )


def _projects(start: dt.date, end: dt.date, scope: Scope) -> QuerySet[Project]:
    qs = Project.objects.filter(status__in=RUNNING).filter(
        Q(planned_start__lte=end) | Q(planned_start__isnull=True)
    )
    qs = qs.filter(
        Q(actual_end__isnull=True, planned_end__isnull=True)
        | Q(actual_end__gte=start)
        | Q(actual_end__isnull=True, planned_end__gte=start)
    )
    return _scoped(qs, scope).order_by("title_vi", "pk")


BUDGET_NOTE = N_(
    "Total budget (VND) of the projects carried out in the period; projects in a foreign "
    "currency are not converted and not counted."
)
OUTPUTS_NOTE = N_("Projects carried out in the period with their results or outputs recorded.")


def _millions(p: Project) -> float:
    return float((p.budget or Decimal(0)) / Decimal(1_000_000))


def _budgeted(start: dt.date, end: dt.date, scope: Scope) -> QuerySet[Project]:
    return _projects(start, end, scope).filter(currency="VND", budget__isnull=False)


def _project_budget(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    """Budgets in VND of the projects running in the period, in millions of đồng. Budgets
    in other currencies are not converted (no exchange rates are kept) and not counted."""
    qs = _budgeted(start, end, scope)
    return counted(qs, lambda p: p.title_vi, amount=_millions, note=_(BUDGET_NOTE))


def _project_budget_many(
    start: dt.date, end: dt.date, scopes: Sequence[Scope]
) -> dict[Scope, IndicatorValue]:
    qs = _budgeted(start, end, Scope())
    return _counted_many(qs, scopes, lambda p: p.title_vi, amount=_millions, note=_(BUDGET_NOTE))


def _projects_with_outputs(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    qs = _projects(start, end, scope).exclude(outputs="")
    return counted(qs, lambda p: p.title_vi, note=_(OUTPUTS_NOTE))


def _projects_with_outputs_many(
    start: dt.date, end: dt.date, scopes: Sequence[Scope]
) -> dict[Scope, IndicatorValue]:
    qs = _projects(start, end, Scope()).exclude(outputs="")
    return _counted_many(qs, scopes, lambda p: p.title_vi, note=_(OUTPUTS_NOTE))


def _delegations(start: dt.date, end: dt.date, scope: Scope) -> QuerySet[Delegation]:
    qs = Delegation.objects.filter(start_on__range=(start, end))
    return _scoped(qs, scope).order_by("start_on", "pk")


DELEGATIONS_NOTE = N_("Outgoing and incoming delegations starting in the period.")
MOBILITY_NOTE = N_("Members of the outgoing and incoming delegations starting in the period.")


def _delegation_label(d: Delegation) -> str:
    return f"{d.title_vi} ({d.start_on:%d/%m/%Y})"


def _members(d: Delegation) -> float:
    return float(d.members_count)


def _delegations_count(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    return counted(_delegations(start, end, scope), _delegation_label, note=_(DELEGATIONS_NOTE))


def _delegations_count_many(
    start: dt.date, end: dt.date, scopes: Sequence[Scope]
) -> dict[Scope, IndicatorValue]:
    qs = _delegations(start, end, Scope())
    return _counted_many(qs, scopes, _delegation_label, note=_(DELEGATIONS_NOTE))


def _researcher_mobility(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    return counted(
        _delegations(start, end, scope), _delegation_label, amount=_members, note=_(MOBILITY_NOTE)
    )


def _researcher_mobility_many(
    start: dt.date, end: dt.date, scopes: Sequence[Scope]
) -> dict[Scope, IndicatorValue]:
    qs = _delegations(start, end, Scope())
    return _counted_many(qs, scopes, _delegation_label, amount=_members, note=_(MOBILITY_NOTE))


def _requested(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from caunoi.reporting.models import Submission

    return Submission.objects.filter(
        campaign_unit__campaign__deadline__range=(start, end),
        campaign_unit__removed_on__isnull=True,
    ).select_related("campaign_unit__campaign")


_REQUESTED_ORDER = ("campaign_unit__campaign_id", "campaign_unit__name_vi", "kind")


def _campaign_rate(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    """Of the reports and plans asked of the scope's reporting units in campaigns whose
    deadline falls in the period, the percentage sent (returned and approved ones were sent)."""
    qs = _requested(start, end)
    if scope.unit_id is not None:
        qs = qs.filter(campaign_unit__unit_id=scope.unit_id)
    return _rate(list(qs.order_by(*_REQUESTED_ORDER)))


def _campaign_rate_many(
    start: dt.date, end: dt.date, scopes: Sequence[Scope]
) -> dict[Scope, IndicatorValue]:
    qs = _requested(start, end)
    if not _everyone_asked(scopes):
        qs = qs.filter(campaign_unit__unit_id__in={s.unit_id for s in scopes})
    groups = grouped_by_scope(
        qs.order_by(*_REQUESTED_ORDER), scopes, unit_of=lambda s: s.campaign_unit.unit_id
    )
    return {scope: _rate(rows) for scope, rows in groups.items()}


def _rate(rows: list[Any]) -> IndicatorValue:
    if not rows:
        return IndicatorValue(None, note=_("No report was requested in the period."))
    sent = [s for s in rows if s.state != SubmissionState.DRAFT]
    campaigns = {s.campaign_unit.campaign for s in rows}
    evidence = tuple(
        EvidenceItem(c.title_vi, campaign_url(c)) for c in sorted(campaigns, key=lambda c: c.pk)
    )
    return IndicatorValue(
        round(100 * len(sent) / len(rows), 1),
        evidence,
        note=_(
            "%(sent)d of %(total)d plans and reports requested in the campaigns due in the "
            "period were sent."
        )
        % {"sent": len(sent), "total": len(rows)},
    )


def _copublications(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    """Co-publications of the period's years from the series (imported from OpenAlex): with
    the scope's partner country, or with every partner (the total)."""
    return _copublications_of(list(_copub_rows(start, end, {(scope.country or "").upper()})))


def _copub_rows(start: dt.date, end: dt.date, partners: set[str]) -> QuerySet[Any]:
    from caunoi.reporting.models_evaluation import SeriesValue
    from caunoi.reporting.series import COPUB

    return SeriesValue.objects.filter(
        indicator__code=COPUB, year__gte=start.year, year__lte=end.year, partner__in=partners
    ).order_by("year", "pk")


def _copublications_many(
    start: dt.date, end: dt.date, scopes: Sequence[Scope]
) -> dict[Scope, IndicatorValue]:
    partner = {s: (s.country or "").upper() for s in scopes}
    by_partner: dict[str, list[Any]] = defaultdict(list)
    for row in _copub_rows(start, end, set(partner.values())):
        by_partner[row.partner].append(row)
    return {s: _copublications_of(by_partner.get(partner[s], [])) for s in scopes}


def _copublications_of(rows: list[Any]) -> IndicatorValue:
    if not rows:
        return IndicatorValue(None, note=_("No co-publication figures yet for the period's years."))
    url = reverse("reporting:evaluation-copublications")
    return IndicatorValue(
        float(sum(r.value for r in rows)),
        tuple(EvidenceItem(f"{r.year}: {r.source}", url, float(r.value)) for r in rows),
        note=_("Publications with foreign co-authors in the period's years with figures."),
    )


def register_sources() -> None:
    for key, vi, en, unit, compute, many, scopes in [
        (
            "registry.agreements_in_force",
            "Số thỏa thuận hợp tác có hiệu lực",
            "Agreements in force",
            "thỏa thuận",
            _agreements_in_force,
            _agreements_in_force_many,
            {"unit", "country"},
        ),
        (
            "registry.agreements_active",
            "Số thỏa thuận có hoạt động triển khai",
            "Agreements in force with activity",
            "thỏa thuận",
            _agreements_active,
            _agreements_active_many,
            {"unit", "country"},
        ),
        (
            "registry.project_budget_vnd",
            "Kinh phí dự án hợp tác (VND)",
            "Budget of cooperation projects (VND)",
            "triệu đồng",
            _project_budget,
            _project_budget_many,
            {"unit", "country"},
        ),
        (
            "registry.projects_with_outputs",
            "Số dự án đã có kết quả, sản phẩm",
            "Projects with recorded outputs",
            "dự án",
            _projects_with_outputs,
            _projects_with_outputs_many,
            {"unit", "country"},
        ),
        (
            "registry.delegations",
            "Số đoàn ra, đoàn vào",
            "Delegations in and out",
            "đoàn",
            _delegations_count,
            _delegations_count_many,
            {"unit", "country"},
        ),
        (
            "registry.researcher_mobility",
            "Lượt cán bộ, nhà khoa học đi và đến (qua các đoàn)",
            "Researcher mobility (members of delegations)",
            "lượt người",
            _researcher_mobility,
            _researcher_mobility_many,
            {"unit", "country"},
        ),
        (
            "reporting.campaign_submission_rate",
            "Tỷ lệ kế hoạch, báo cáo đã gửi",
            "Share of requested plans and reports sent",
            "%",
            _campaign_rate,
            _campaign_rate_many,
            {"unit"},
        ),
        (
            "reporting.copublications",
            "Công bố quốc tế có đồng tác giả nước ngoài",
            "Internationally co-authored publications",
            "công bố",
            _copublications,
            _copublications_many,
            {"country"},
        ),
    ]:
        register_indicator_source(
            IndicatorSource(
                key=key,
                label_vi=vi,
                label_en=en,
                unit=unit,
                compute=compute,
                compute_many=many,
                app="reporting",
                scopes=frozenset(scopes),
            )
        )


def campaign_url(campaign: Campaign) -> str:
    return reverse("reporting:detail", args=[campaign.pk])
