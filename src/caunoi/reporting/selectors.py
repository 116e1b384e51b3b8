"""Reads of reporting: a campaign's completeness from its units and submissions, the units'
status list with filters, sort and pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from caunoi.reporting.completeness import Completeness, UnitRow, completeness
from caunoi.reporting.models import Campaign, CampaignUnit, Submission, SubmissionKind


def _local_day(moment: Any) -> Any:
    return timezone.localtime(moment).date() if moment is not None else None


def unit_rows(campaign: Campaign) -> list[UnitRow]:
    """The campaign's units as plain rows (two queries, whatever the number of units)."""
    sent: dict[tuple[int, str], Any] = {}
    for cu_id, kind, first in Submission.objects.filter(
        campaign_unit__campaign=campaign, first_submitted_at__isnull=False
    ).values_list("campaign_unit_id", "kind", "first_submitted_at"):
        sent[(cu_id, kind)] = _local_day(first)
    rows = []
    for cu in CampaignUnit.objects.filter(campaign=campaign).order_by("pk"):
        rows.append(
            UnitRow(
                code=cu.code,
                kind=cu.kind,
                region=cu.region,
                added_on=cu.added_on,
                removed_on=cu.removed_on,
                plan_sent_on=sent.get((cu.pk, SubmissionKind.PLAN)),
                report_sent_on=sent.get((cu.pk, SubmissionKind.REPORT)),
            )
        )
    return rows


def campaign_completeness(campaign: Campaign) -> Completeness:
    return completeness(
        unit_rows(campaign), deadline=campaign.deadline, timely_until=campaign.timely_until
    )


@dataclass
class UnitStatus:
    unit: CampaignUnit
    plan: Submission | None
    report: Submission | None
    category: str
    expected: bool


SORTS = {"name": "name_vi", "-name": "-name_vi", "kind": "kind", "region": "region"}


def unit_statuses(
    campaign: Campaign, params: Mapping[str, str], figures: Completeness | None = None
) -> tuple[list[UnitStatus], dict[str, str]]:
    """The units with their plan and report, filtered by ``kind``, ``region``, ``category``,
    ``q`` (name) and sorted by ``sort``; returns the applied parameters too."""
    qs: QuerySet[CampaignUnit] = CampaignUnit.objects.filter(campaign=campaign).prefetch_related(
        "submissions"
    )
    applied: dict[str, str] = {}
    kind = params.get("kind", "")
    if kind:
        qs = qs.filter(kind=kind)
        applied["kind"] = kind
    region = params.get("region", "")
    if region:
        qs = qs.filter(region=region)
        applied["region"] = region
    q = params.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name_vi__icontains=q) | Q(code__icontains=q))
        applied["q"] = q
    sort = params.get("sort", "")
    if sort in SORTS:
        applied["sort"] = sort
    qs = qs.order_by(SORTS.get(sort, "name_vi"), "pk")
    figures = figures or campaign_completeness(campaign)
    wanted = params.get("category", "")
    out = []
    for cu in qs:
        by_kind = {s.kind: s for s in cu.submissions.all()}
        category = figures.unit_categories.get(cu.code, "")
        if wanted and category != wanted:
            continue
        out.append(
            UnitStatus(
                unit=cu,
                plan=by_kind.get(SubmissionKind.PLAN),
                report=by_kind.get(SubmissionKind.REPORT),
                category=category,
                expected=cu.code in figures.unit_categories,
            )
        )
    if wanted:
        applied["category"] = wanted
    return out, applied
