"""Indicator sources from the registry and the campaigns, registered in ``ready()``.

Each counts records of a period (a date range) and an optional scope: an account unit (the
records' owning unit; for campaigns, the unit answering for a reporting unit) or a partner
country (the records' derived ``countries``). Every value comes with the records it counted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from caunoi.core.indicators import (
    EvidenceItem,
    IndicatorSource,
    IndicatorValue,
    Scope,
    counted,
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


def agreements_in_force(start: dt.date, end: dt.date, scope: Scope) -> QuerySet[Agreement]:
    """In force (or expiring, renewed) now, having entered into force by the period's end
    and not expired before its start."""
    qs = Agreement.objects.filter(status__in=IN_FORCE).filter(
        Q(effective_on__lte=end) | Q(effective_on__isnull=True, signed_on__lte=end)
    )
    qs = qs.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=start))
    return _scoped(qs, scope).order_by("title_vi", "pk")


def _agreements_in_force(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    return counted(
        agreements_in_force(start, end, scope),
        lambda a: a.title_vi,
        note="Thỏa thuận có hiệu lực trong kỳ (đang hiệu lực, sắp hết hạn hoặc đã gia hạn).",
    )


def _agreements_active(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    """Agreements in force with some activity in the period: a delegation or a project."""
    # Two subqueries rather than joins through both relations (whose product is slow).
    with_delegation = Delegation.objects.filter(
        start_on__range=(start, end), agreement__isnull=False
    ).values("agreement_id")
    with_project = Project.objects.filter(
        planned_start__lte=end, status__in=RUNNING, agreement__isnull=False
    ).values("agreement_id")
    qs = agreements_in_force(start, end, scope).filter(
        Q(pk__in=with_delegation) | Q(pk__in=with_project)
    )
    return counted(
        qs,
        lambda a: a.title_vi,
        note="Thỏa thuận có hiệu lực có đoàn công tác hoặc dự án triển khai trong kỳ.",
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


def _project_budget(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    """Budgets in VND of the projects running in the period, in millions of đồng. Budgets
    in other currencies are not converted (no exchange rates are kept) and not counted."""
    qs = _projects(start, end, scope).filter(currency="VND", budget__isnull=False)

    def millions(p: Project) -> float:
        return float((p.budget or Decimal(0)) / Decimal(1_000_000))

    return counted(
        qs,
        lambda p: p.title_vi,
        amount=millions,
        note="Tổng kinh phí (VND) của dự án triển khai trong kỳ; dự án tính bằng ngoại tệ "
        "không được quy đổi và không tính.",
    )


def _projects_with_outputs(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    qs = _projects(start, end, scope).exclude(outputs="")
    return counted(
        qs, lambda p: p.title_vi, note="Dự án triển khai trong kỳ đã ghi nhận kết quả, sản phẩm."
    )


def _delegations(start: dt.date, end: dt.date, scope: Scope) -> QuerySet[Delegation]:
    qs = Delegation.objects.filter(start_on__range=(start, end))
    return _scoped(qs, scope).order_by("start_on", "pk")


def _delegations_count(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    return counted(
        _delegations(start, end, scope),
        lambda d: f"{d.title_vi} ({d.start_on:%d/%m/%Y})",
        note="Đoàn ra và đoàn vào bắt đầu trong kỳ.",
    )


def _researcher_mobility(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    return counted(
        _delegations(start, end, scope),
        lambda d: f"{d.title_vi} ({d.start_on:%d/%m/%Y})",
        amount=lambda d: float(d.members_count),
        note="Tổng số thành viên của các đoàn ra, đoàn vào bắt đầu trong kỳ.",
    )


def _campaign_rate(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    """Of the reports and plans asked of the scope's reporting units in campaigns whose
    deadline falls in the period, the percentage sent (returned and approved ones were sent)."""
    from caunoi.reporting.models import Submission

    qs = Submission.objects.filter(
        campaign_unit__campaign__deadline__range=(start, end),
        campaign_unit__removed_on__isnull=True,
    ).select_related("campaign_unit__campaign")
    if scope.unit_id is not None:
        qs = qs.filter(campaign_unit__unit_id=scope.unit_id)
    rows = list(qs.order_by("campaign_unit__campaign_id", "campaign_unit__name_vi", "kind"))
    if not rows:
        return IndicatorValue(None, note="Không có báo cáo nào được yêu cầu trong kỳ.")
    sent = [s for s in rows if s.state != SubmissionState.DRAFT]
    campaigns = {s.campaign_unit.campaign for s in rows}
    evidence = tuple(
        EvidenceItem(c.title_vi, campaign_url(c)) for c in sorted(campaigns, key=lambda c: c.pk)
    )
    return IndicatorValue(
        round(100 * len(sent) / len(rows), 1),
        evidence,
        note=f"Đã gửi {len(sent)} trên {len(rows)} kế hoạch, báo cáo được yêu cầu "
        "trong các đợt báo cáo có hạn trong kỳ.",
    )


def _copublications(start: dt.date, end: dt.date, scope: Scope) -> IndicatorValue:
    """Co-publications of the period's years from the series (imported from OpenAlex): with
    the scope's partner country, or with every partner (the total)."""
    from caunoi.reporting.models_evaluation import SeriesValue
    from caunoi.reporting.series import COPUB

    rows = list(
        SeriesValue.objects.filter(
            indicator__code=COPUB,
            year__gte=start.year,
            year__lte=end.year,
            partner=(scope.country or "").upper(),
        ).order_by("year")
    )
    if not rows:
        return IndicatorValue(None, note="Chưa có số liệu công bố chung cho các năm của kỳ.")
    url = reverse("reporting:evaluation-copublications")
    return IndicatorValue(
        float(sum(r.value for r in rows)),
        tuple(EvidenceItem(f"{r.year}: {r.source}", url, float(r.value)) for r in rows),
        note="Tổng số công bố có đồng tác giả nước ngoài trong các năm của kỳ có số liệu.",
    )


def register_sources() -> None:
    for key, vi, en, unit, compute, scopes in [
        (
            "registry.agreements_in_force",
            "Số thỏa thuận hợp tác có hiệu lực",
            "Agreements in force",
            "thỏa thuận",
            _agreements_in_force,
            {"unit", "country"},
        ),
        (
            "registry.agreements_active",
            "Số thỏa thuận có hoạt động triển khai",
            "Agreements in force with activity",
            "thỏa thuận",
            _agreements_active,
            {"unit", "country"},
        ),
        (
            "registry.project_budget_vnd",
            "Kinh phí dự án hợp tác (VND)",
            "Budget of cooperation projects (VND)",
            "triệu đồng",
            _project_budget,
            {"unit", "country"},
        ),
        (
            "registry.projects_with_outputs",
            "Số dự án đã có kết quả, sản phẩm",
            "Projects with recorded outputs",
            "dự án",
            _projects_with_outputs,
            {"unit", "country"},
        ),
        (
            "registry.delegations",
            "Số đoàn ra, đoàn vào",
            "Delegations in and out",
            "đoàn",
            _delegations_count,
            {"unit", "country"},
        ),
        (
            "registry.researcher_mobility",
            "Lượt cán bộ, nhà khoa học đi và đến (qua các đoàn)",
            "Researcher mobility (members of delegations)",
            "lượt người",
            _researcher_mobility,
            {"unit", "country"},
        ),
        (
            "reporting.campaign_submission_rate",
            "Tỷ lệ kế hoạch, báo cáo đã gửi",
            "Share of requested plans and reports sent",
            "%",
            _campaign_rate,
            {"unit"},
        ),
        (
            "reporting.copublications",
            "Công bố quốc tế có đồng tác giả nước ngoài",
            "Internationally co-authored publications",
            "công bố",
            _copublications,
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
                app="reporting",
                scopes=frozenset(scopes),
            )
        )


def campaign_url(campaign: Campaign) -> str:
    return reverse("reporting:detail", args=[campaign.pk])
