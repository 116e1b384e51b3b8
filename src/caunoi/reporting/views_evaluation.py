"""Evaluation pages, under /reporting/evaluation/: criteria sets with their scores (overall,
per unit, per partner country), the formula and the evidence behind every number; values
entered with evidence; the indicator series as line charts; Vietnam's co-publications by
partner country and year.

Every chart is a ``caunoi.core.charts.Chart``; ``?chart=<key>&format=png|svg|csv`` on a page
returns that chart as a download (``?csv=<key>``, the older form, its data as CSV).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.accounts.models import Unit
from caunoi.core.charts import Chart, Series, chart_download, to_csv
from caunoi.core.errors import DomainError
from caunoi.core.indicators import Scope, indicator_source
from caunoi.core.parsing import parse_int
from caunoi.reporting import charts, evaluation, evaluation_sets, series
from caunoi.reporting.models_evaluation import (
    EvalEntry,
    EvalIndicator,
    SeriesIndicator,
    SeriesValue,
)
from caunoi.taxonomy.models import Country


def _reader(request: HttpRequest) -> Any:
    if not evaluation.is_reader(request.user):
        raise Http404
    return request.user


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The page, or one of its charts as a download (``?chart=key&format=``, or ``?csv=key``)."""
    download = chart_download(request, context.get("charts", []))
    if download is not None:
        return download
    key = request.GET.get("csv")
    if key:
        for chart in context.get("charts", []):
            if chart.key == key:
                response = HttpResponse(to_csv(chart), content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = f'attachment; filename="{chart.key}.csv"'
                return response
        raise Http404
    return render(request, template, context)


def _scope(request: HttpRequest) -> tuple[Scope, Unit | None, Country | None]:
    unit = country = None
    if request.GET.get("unit"):
        unit_pk = parse_int(request.GET["unit"])
        unit = Unit.objects.filter(pk=unit_pk).first() if unit_pk is not None else None
        if unit is None:
            raise Http404
    elif request.GET.get("country"):
        country = Country.objects.filter(iso2=request.GET["country"].upper()[:2]).first()
        if country is None:
            raise Http404
    return Scope(unit.pk if unit else None, country.iso2 if country else None), unit, country


@login_required
def evaluation_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    # the home dashboard's evaluation charts are downloaded from here
    download = chart_download(request, lambda: charts.evaluation_panel()["charts"])
    if download is not None:
        return download
    page = Paginator(evaluation.sets_readable(user), settings.CAUNOI_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(cs, evaluation.evaluate(cs).score) for cs in page.object_list]  # this page's only
    return render(
        request,
        "reporting/evaluation/list.html",
        {
            "rows": rows,
            "page": page,
            "series_count": SeriesIndicator.objects.count(),
            "can_manage": evaluation_sets.can_manage_sets(user),
        },
    )


def _score_chart(key: str, title: str, rows: list[tuple[Any, Any]]) -> Chart:
    rows = [r for r in rows if r[1].score.score is not None]
    return Chart(
        key=key,
        title=title,
        kind="hbar",
        categories=tuple(str(label) for label, _e in rows),
        series=(Series(_("Score"), tuple(round(e.score.score, 1) for _l, e in rows)),),
        unit=_("points out of 100"),
        source=_("Computed from the platform's records and the values entered with evidence."),
    )


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    cs = evaluation.set_for_user(user, pk)
    scope, unit, country = _scope(request)
    result = evaluation.evaluate(cs, scope)
    units = evaluation.scope_units(cs)
    countries = evaluation.scope_countries(cs)
    criteria_chart = charts.criteria_chart(result)
    sources = {
        ind.indicator.source_key: indicator_source(ind.indicator.source_key)
        for c in result.criteria
        for ind in c.indicators
        if ind.indicator.source_key
    }
    history: dict[int, list[EvalEntry]] = defaultdict(list)
    for entry in (
        EvalEntry.objects.filter(
            evaluation.entry_scope(scope), indicator__criterion__criteria_set=cs
        )
        .select_related("entered_by")
        .order_by("-entered_at", "-pk")
    ):
        history[entry.indicator_id].append(entry)
    return _render(
        request,
        "reporting/evaluation/detail.html",
        {
            "cs": cs,
            "result": result,
            "unit": unit,
            "country": country,
            "units": units,
            "countries": countries,
            "charts": [criteria_chart],
            "criteria_chart": criteria_chart,
            "sources": sources,
            "history": dict(history),
            "can_enter": evaluation.can_enter_for(user, unit, country),
            "can_manage": evaluation_sets.can_manage_sets(user),
            "errors": {},
        },
    )


@login_required
def evaluation_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """The set scored for every unit with records and every partner country with agreements
    in force (all evaluated together, ``evaluation.comparisons``)."""
    user = _reader(request)
    cs = evaluation.set_for_user(user, pk)
    units = evaluation.scope_units(cs)
    countries = evaluation.scope_countries(cs)
    by_unit, by_country = evaluation.comparisons(  # every scope at once: a few queries
        cs,
        [(u.name_vi, Scope(unit_id=u.pk)) for u in units],
        [(c.name_vi, Scope(country=c.iso2)) for c in countries],
    )
    unit_chart = _score_chart("by-unit", _("Score by unit"), by_unit)
    country_chart = _score_chart("by-country", _("Score by partner country"), by_country)
    criteria = [c for c, _i in evaluation.criteria_of(cs)]
    return _render(
        request,
        "reporting/evaluation/compare.html",
        {
            "cs": cs,
            "criteria": criteria,
            "by_unit": by_unit,
            "by_country": by_country,
            "unit_chart": unit_chart,
            "country_chart": country_chart,
            "charts": [unit_chart, country_chart],
        },
    )


@login_required
@require_POST
def evaluation_entry(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    cs = evaluation.set_for_user(user, pk)
    if not evaluation.can_enter(user):
        raise PermissionDenied
    try:
        indicator = EvalIndicator.objects.get(
            pk=parse_int(request.POST.get("indicator", "")) or 0, criterion__criteria_set=cs
        )
    except EvalIndicator.DoesNotExist as exc:
        raise Http404 from exc
    _unused, unit, country = _scope(request)
    if not evaluation.can_enter_for(user, unit, country):
        raise PermissionDenied  # another unit's or the national figures
    back = cs.get_absolute_url() + (
        f"?unit={unit.pk}" if unit else f"?country={country.iso2}" if country else ""
    )
    try:
        evaluation.entry_save(
            user=user,
            indicator=indicator,
            value=request.POST.get("value", ""),
            note=request.POST.get("note", ""),
            unit=unit,
            country=country,
            evidence_url=request.POST.get("evidence_url", ""),
            evidence_file=request.FILES.get("evidence_file"),
        )
    except DomainError as exc:
        problems = "; ".join(f"{m}" for field_errors in exc.errors.values() for m in field_errors)
        messages.error(request, f"{indicator.label_vi}: {exc.message} {problems}")
        response = redirect(back)
        response.status_code = 303
        return response
    messages.success(request, _("The value and its evidence were saved."))
    return redirect(back + f"#ind-{indicator.pk}")


@login_required
def evaluation_entry_file(request: HttpRequest, pk: int) -> FileResponse:
    _reader(request)
    try:
        entry = EvalEntry.objects.get(pk=pk)
    except EvalEntry.DoesNotExist as exc:
        raise Http404 from exc
    if not entry.evidence_file:
        raise Http404
    return FileResponse(entry.evidence_file.open("rb"), as_attachment=True)


@login_required
def series_page(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    errors: dict[str, list[str]] = {}
    posted: dict[str, str] = {}
    if request.method == "POST":
        if not evaluation.runs_evaluations(user):
            raise PermissionDenied
        posted = {
            k: request.POST.get(k, "") for k in ("indicator", "year", "value", "source", "note")
        }
        indicator = SeriesIndicator.objects.filter(code=posted["indicator"]).first()
        if indicator is None:
            errors["indicator"] = [_("Choose an indicator.")]
        else:
            try:
                evaluation.series_value_save(
                    user=user,
                    indicator=indicator,
                    year=posted["year"],
                    value=posted["value"],
                    source=posted["source"],
                    note=posted["note"],
                )
            except DomainError as exc:
                errors = exc.errors
            else:
                messages.success(request, _("The value was saved."))
                return redirect("reporting:evaluation-series")
    series.ensure_catalog()
    indicators = list(SeriesIndicator.objects.all())
    national: dict[int, list[SeriesValue]] = defaultdict(list)
    for v in SeriesValue.objects.filter(partner="").order_by("year"):
        national[v.indicator_id].append(v)
    blocks = [
        (ind, charts.series_chart(ind, national.get(ind.pk, [])), national.get(ind.pk, []))
        for ind in indicators
    ]
    context = {
        "blocks": blocks,
        "charts": [b[1] for b in blocks],
        "indicators": indicators,
        "can_enter": evaluation.runs_evaluations(user),
        "errors": errors,
        "posted": posted,
    }
    response = _render(request, "reporting/evaluation/series.html", context)
    if errors:
        response.status_code = 400
    return response


@login_required
def copublications(request: HttpRequest) -> HttpResponse:
    _reader(request)
    years = [request.GET.get(k) or "" for k in ("from", "to")]
    year_from, year_to = (parse_int(y) if y else None for y in years)
    if any(y and (parse_int(y) is None or len(y) > 4) for y in years):
        raise Http404
    data = charts.Copublications(year_from, year_to)
    total_chart, top_chart, trend = data.total_chart(), data.top_chart(), data.trend_chart()
    return _render(
        request,
        "reporting/evaluation/copublications.html",
        {
            "charts": [total_chart, top_chart, trend],
            "total_chart": total_chart,
            "top_chart": top_chart,
            "trend": trend,
            "growth": data.growth(),
            "years": data.years,
            "years_all": data.years_all,
            "year_from": data.year_from,
            "year_to": data.year_to,
            "partners": len(data.ranked),
            "first": data.years[0] if data.years else None,
            "last": data.latest,
            "empty": data.empty,
        },
    )
