"""Read API of the evaluation, under /api/v1/reporting/evaluation/: criteria sets with their
scores, formulas and evidence; the indicator series; Vietnam's co-publications by partner.

Network staff only: anyone else gets an empty list or 404.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any, overload

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field as PydanticField

from caunoi.accounts.models import Unit
from caunoi.core.api_errors import errors
from caunoi.core.indicators import Scope
from caunoi.core.pagination import Pages
from caunoi.reporting import evaluation, series
from caunoi.reporting.models_evaluation import CriteriaSet, SeriesIndicator, SeriesValue
from caunoi.taxonomy.models import Country

router = Router(tags=["evaluation"])


class EvidenceOut(Schema):
    label: str
    url: str
    amount: float | None


class IndicatorOut(Schema):
    code: str
    label: str
    unit: str
    weight: float
    target: float
    higher_is_better: bool
    source: str = PydanticField(description="The indicator source's key; empty when entered.")
    value: float | None
    score: float | None = PydanticField(description="0–100, one decimal; null without value.")
    formula: str
    note: str
    evidence: list[EvidenceOut] = PydanticField(
        description="The records counted (at most 50), or the entered value's link and file."
    )
    evidence_more: int = PydanticField(description="Records counted but not listed.")


class CriterionOut(Schema):
    code: str
    label: str
    weight: float
    score: float | None
    formula: str
    coverage: float = PydanticField(
        description="Share (0–1) of the weight whose indicators had a value: a score computed "
        "from only some of the indicators has less than 1."
    )
    indicators: list[IndicatorOut]


class SetOut(Schema):
    id: int
    code: str
    title: str
    period_start: dt.date
    period_end: dt.date
    score: float | None
    formula: str
    coverage: float = PydanticField(
        description="Share (0–1) of the weight whose indicators had a value: a score computed "
        "from only some of the indicators has less than 1."
    )


class SetDetailOut(SetOut):
    unit: int | None
    country: str | None
    criteria: list[CriterionOut]


class ScopeIn(Schema):
    unit: int | None = PydanticField(None, ge=1, le=2**31 - 1, description="An account unit's id.")
    country: str | None = PydanticField(
        None, pattern=r"^[A-Za-z]{2}$", description="A partner country, ISO2."
    )


class SeriesValueOut(Schema):
    year: int
    partner: str = PydanticField(description="ISO2; empty for Vietnam as a whole.")
    value: float
    source: str
    note: str
    origin: str


class SeriesOut(Schema):
    code: str
    label: str
    unit: str
    source: str
    values: list[SeriesValueOut]


class SeriesIn(Schema):
    partner: str = PydanticField(
        "", pattern=r"^([A-Za-z]{2}|\*)?$", description="ISO2 to get one partner's values; '*' all."
    )


class CopubOut(Schema):
    year: int
    partner: str
    partner_name: str
    count: float
    source: str


class CopubIn(Schema):
    year_from: int | None = PydanticField(None, ge=1900, le=2100)
    year_to: int | None = PydanticField(None, ge=1900, le=2100)
    partner: str | None = PydanticField(
        None, pattern=r"^[A-Za-z]{2}$", description="ISO2; all partners when absent."
    )


def _set_out(cs: Any, ev: evaluation.Evaluation) -> dict[str, Any]:
    return {
        "id": cs.pk,
        "code": cs.code,
        "title": cs.title,
        "period_start": cs.period_start,
        "period_end": cs.period_end,
        "score": None if ev.score.score is None else round(ev.score.score, 1),
        "formula": ev.score.formula,
        "coverage": round(ev.score.weight_coverage, 3),
    }


def _evidence(r: evaluation.IndicatorResult) -> list[dict[str, Any]]:
    if r.entry is not None:
        items = []
        if r.entry.evidence_url:
            items.append({"label": r.entry.note, "url": r.entry.evidence_url, "amount": None})
        if r.entry.evidence_file:
            from django.urls import reverse

            url = reverse("reporting:evaluation-entry-file", args=[r.entry.pk])
            items.append({"label": r.entry.note, "url": url, "amount": None})
        return items
    return [{"label": e.label, "url": e.url, "amount": e.amount} for e in r.value.evidence]


@router.get(
    "/sets",
    response={200: list[SetOut], **errors()},
    operation_id="evaluation_sets_list",
    summary="List evaluation criteria sets with their overall score",
    description="Network staff only (an empty list for anyone else), latest period first.",
)
@paginate(Pages, page_size=20)
def sets_list(request: HttpRequest) -> Any:
    return _EvaluatedPage(evaluation.sets_readable(request.user))


class _EvaluatedPage(Sequence[dict[str, Any]]):
    """The readable sets as the paginator sees them: counted in the database, and only the
    slice it takes (one page) evaluated."""

    def __init__(self, sets: QuerySet[CriteriaSet]) -> None:
        self.sets = sets

    def __len__(self) -> int:
        return self.sets.count()

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [_set_out(cs, evaluation.evaluate(cs)) for cs in self.sets[index]]
        cs = self.sets[index]
        return _set_out(cs, evaluation.evaluate(cs))


@router.get(
    "/sets/{int:pk}",
    response={200: SetDetailOut, **errors(404)},
    operation_id="evaluation_set_get",
    summary="Get a criteria set's scores, formulas and evidence, overall or for a scope",
    description="`unit` (an account unit's id) or `country` (ISO2) scores the set for that "
    "scope. Every indicator carries its value, score, formula and the records counted. 404 "
    "for anyone but network staff, an unknown set, unit or country.",
)
def set_get(request: HttpRequest, pk: int, filters: Query[ScopeIn]) -> Any:
    cs = evaluation.set_for_user(request.user, pk)
    scope = Scope()
    if filters.unit is not None:
        if not Unit.objects.filter(pk=filters.unit).exists():
            raise Http404
        scope = Scope(unit_id=filters.unit)
    elif filters.country:
        code = filters.country.upper()
        if not Country.objects.filter(iso2=code).exists():
            raise Http404
        scope = Scope(country=code)
    ev = evaluation.evaluate(cs, scope)
    return {
        **_set_out(cs, ev),
        "unit": scope.unit_id,
        "country": scope.country,
        "criteria": [
            {
                "code": c.criterion.code,
                "label": str(c.criterion),
                "weight": float(c.criterion.weight),
                "score": None if c.score.score is None else round(c.score.score, 1),
                "formula": c.score.formula,
                "coverage": round(c.score.weight_coverage, 3),
                "indicators": [
                    {
                        "code": r.indicator.code,
                        "label": r.indicator.label,
                        "unit": r.indicator.unit,
                        "weight": float(r.indicator.weight),
                        "target": float(r.indicator.target),
                        "higher_is_better": r.indicator.higher_is_better,
                        "source": r.indicator.source_key,
                        "value": r.value.value,
                        "score": None if r.score.score is None else round(r.score.score, 1),
                        "formula": r.score.formula,
                        "note": r.entry.note if r.entry is not None else r.value.note,
                        "evidence": _evidence(r),
                        "evidence_more": r.value.truncated,
                    }
                    for r in c.indicators
                ],
            }
            for c in ev.criteria
        ],
    }


@router.get(
    "/series",
    response={200: list[SeriesOut], **errors()},
    operation_id="evaluation_series_list",
    summary="List the indicator series with their yearly values and sources",
    description="Network staff only (an empty list for anyone else). Values for Vietnam as a "
    "whole unless `partner` names a country (or `*` for every partner's values).",
)
def series_list(request: HttpRequest, filters: Query[SeriesIn]) -> Any:
    if not evaluation.is_reader(request.user):
        return []
    values = SeriesValue.objects.order_by("year", "partner")
    if filters.partner != "*":
        values = values.filter(partner=filters.partner.upper())
    by_indicator: dict[int, list[SeriesValue]] = {}
    for v in values:
        by_indicator.setdefault(v.indicator_id, []).append(v)
    return [
        {
            "code": ind.code,
            "label": ind.label,
            "unit": ind.unit,
            "source": ind.source,
            "values": [
                {
                    "year": v.year,
                    "partner": v.partner,
                    "value": float(v.value),
                    "source": v.source,
                    "note": v.note,
                    "origin": v.origin,
                }
                for v in by_indicator.get(ind.pk, [])
            ],
        }
        for ind in SeriesIndicator.objects.all()
    ]


@router.get(
    "/copublications",
    response={200: list[CopubOut], **errors()},
    operation_id="evaluation_copublications_list",
    summary="Vietnam's co-publications by partner country and year",
    description="Network staff only (an empty list for anyone else). One row per partner and "
    "year (the total with every partner has an empty `partner`), paginated.",
)
@paginate(Pages, page_size=500)
def copublications_list(request: HttpRequest, filters: Query[CopubIn]) -> Any:
    if not evaluation.is_reader(request.user):
        return []
    qs = SeriesValue.objects.filter(indicator__code=series.COPUB).order_by("year", "partner")
    if filters.year_from is not None:
        qs = qs.filter(year__gte=filters.year_from)
    if filters.year_to is not None:
        qs = qs.filter(year__lte=filters.year_to)
    if filters.partner is not None:
        qs = qs.filter(partner=filters.partner.upper())
    rows = list(qs)
    names = dict(
        Country.objects.filter(iso2__in={r.partner for r in rows}).values_list("iso2", "name_vi")
    )
    return [
        {
            "year": r.year,
            "partner": r.partner,
            "partner_name": names.get(r.partner, r.partner) if r.partner else "Việt Nam",
            "count": float(r.value),
            "source": r.source,
        }
        for r in rows
    ]
