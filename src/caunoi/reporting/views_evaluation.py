"""Evaluation pages, under /reporting/evaluation/: criteria sets with their scores (overall,
per unit, per partner country), the formula and the evidence behind every number; values
entered with evidence; the indicator series as line charts; Vietnam's co-publications by
partner country and year.

Every chart is a ``caunoi.core.charts.Chart``; ``?csv=<chart key>`` on a page returns that
chart's data as CSV.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.accounts.models import Unit
from caunoi.core.charts import Chart, Series, to_csv
from caunoi.core.errors import DomainError
from caunoi.core.indicators import Scope, indicator_source
from caunoi.core.parsing import parse_int
from caunoi.reporting import evaluation, series
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
    """The page, or one of its charts' data as CSV (``?csv=key``)."""
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


def _country_names(codes: set[str]) -> dict[str, str]:
    names = dict(Country.objects.filter(iso2__in=codes).values_list("iso2", "name_vi"))
    return {c: names.get(c, c) for c in codes}


@login_required
def evaluation_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    sets = list(evaluation.sets_readable(user))
    rows = [(cs, evaluation.evaluate(cs).score) for cs in sets]
    return render(
        request,
        "reporting/evaluation/list.html",
        {"rows": rows, "series_count": SeriesIndicator.objects.count()},
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
    criteria_chart = Chart(
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
    )
    charts = [criteria_chart]
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
            "charts": charts,
            "criteria_chart": criteria_chart,
            "sources": sources,
            "history": dict(history),
            "can_enter": evaluation.can_enter(user),
            "errors": {},
        },
    )


@login_required
def evaluation_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """The set scored for every unit with records and every partner country with agreements
    in force (one evaluation each: the slow page, kept apart from the set's own)."""
    user = _reader(request)
    cs = evaluation.set_for_user(user, pk)
    units = evaluation.scope_units(cs)
    countries = evaluation.scope_countries(cs)
    by_unit = evaluation.comparison(cs, [(u.name_vi, Scope(unit_id=u.pk)) for u in units])
    by_country = evaluation.comparison(cs, [(c.name_vi, Scope(country=c.iso2)) for c in countries])
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
            pk=int(request.POST.get("indicator", "")), criterion__criteria_set=cs
        )
    except (EvalIndicator.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    _unused, unit, country = _scope(request)
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


def _line_chart(indicator: SeriesIndicator, values: list[SeriesValue]) -> Chart:
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


@login_required
def series_page(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    errors: dict[str, list[str]] = {}
    posted: dict[str, str] = {}
    if request.method == "POST":
        if not evaluation.can_enter(user):
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
        (ind, _line_chart(ind, national.get(ind.pk, [])), national.get(ind.pk, []))
        for ind in indicators
    ]
    context = {
        "blocks": blocks,
        "charts": [b[1] for b in blocks],
        "indicators": indicators,
        "can_enter": evaluation.can_enter(user),
        "errors": errors,
        "posted": posted,
    }
    response = _render(request, "reporting/evaluation/series.html", context)
    if errors:
        response.status_code = 400
    return response


TOP_PARTNERS = 10


@login_required
def copublications(request: HttpRequest) -> HttpResponse:
    _reader(request)
    values = list(
        SeriesValue.objects.filter(indicator__code=series.COPUB).order_by("year", "partner")
    )
    years_all = sorted({v.year for v in values})
    try:
        year_from = int(
            request.GET.get("from")
            or (years_all[-10] if len(years_all) >= 10 else years_all[0] if years_all else 0)
        )
        year_to = int(request.GET.get("to") or (years_all[-1] if years_all else 0))
    except ValueError as exc:
        raise Http404 from exc
    values = [v for v in values if year_from <= v.year <= year_to]
    years = sorted({v.year for v in values})
    table = series.chart_rows(values)
    total = table.pop("", {})
    latest = years[-1] if years else None
    ranked = sorted(
        table,
        key=lambda p: (-(table[p].get(latest, 0) if latest else 0), -sum(table[p].values()), p),
    )
    top = ranked[:TOP_PARTNERS]
    names = _country_names(set(ranked))
    indicator = SeriesIndicator.objects.filter(code=series.COPUB).first()
    origins = sorted({v.source.split(", WrldCo")[0] for v in values})
    source = "; ".join(origins) or (indicator.source if indicator else "")
    labels = tuple(str(y) for y in years)
    trend = Chart(
        key="copub-trend",
        title=_("Co-publications with the top partners, by year"),
        kind="line",
        categories=labels,
        series=tuple(Series(names[p], tuple(table[p].get(y) for y in years)) for p in top),
        unit=_("publications"),
        source=source,
    )
    top_chart = Chart(
        key="copub-top",
        title=_("Top partners in %(year)s") % {"year": latest} if latest else _("Top partners"),
        kind="hbar",
        categories=tuple(names[p] for p in top),
        series=(Series(_("Co-publications"), tuple(table[p].get(latest or 0) for p in top)),),
        unit=_("publications"),
        source=source,
    )
    total_chart = Chart(
        key="copub-total",
        title=_("Internationally co-authored publications of Vietnam"),
        kind="line",
        categories=labels,
        series=(Series(_("All partners"), tuple(total.get(y) for y in years)),),
        unit=_("publications"),
        source=source,
    )
    growth = []
    if len(years) >= 2:
        first, last = years[0], years[-1]
        for p in top:
            a, b = table[p].get(first), table[p].get(last)
            rate = None
            if a and b and last > first:
                rate = round(((b / a) ** (1 / (last - first)) - 1) * 100, 1)
            growth.append((names[p], p, a, b, rate))
    return _render(
        request,
        "reporting/evaluation/copublications.html",
        {
            "charts": [total_chart, top_chart, trend],
            "total_chart": total_chart,
            "top_chart": top_chart,
            "trend": trend,
            "growth": growth,
            "years": years,
            "years_all": years_all,
            "year_from": year_from,
            "year_to": year_to,
            "partners": len(ranked),
            "first": years[0] if years else None,
            "last": latest,
            "empty": not values,
        },
    )
