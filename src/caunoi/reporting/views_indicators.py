"""A campaign's "Indicators" page: every measured indicator aggregated overall, by unit type,
by region and campaign by campaign over the template's yearly campaigns (``indicators``),
in pages of ``PER_PAGE``, as CSV, and one indicator's page with its charts."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from caunoi.core.charts import chart_download, csv_safe
from caunoi.reporting import access, indicators
from caunoi.reporting.views import _staff

PER_PAGE = 25


def _cells(data: indicators.CampaignIndicators, row: indicators.Row) -> dict[str, Any]:
    return {
        "row": row,
        "indicator": row.indicator,
        "overall": row.shown(row.overall),
        "kinds": [row.shown(row.by_kind.get(k)) for k in data.kinds],
        "regions": [row.shown(row.by_region.get(k)) for k in data.regions],
        "trend": [row.shown(row.trend.get(t)) for t in data.trend_labels],
        "url": reverse("reporting:indicator", args=[data.campaign.pk, row.code]),
    }


def _csv(data: indicators.CampaignIndicators) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in data.csv_rows():
        writer.writerow([csv_safe(v) for v in line])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"campaign-{data.campaign.pk}-indicators.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def campaign_indicators(request: HttpRequest, pk: int, code: str = "") -> HttpResponse:
    user = _staff(request)
    campaign = access.campaign_for_user(user, pk)
    data = indicators.campaign_indicators(campaign, user)
    selected = data.row(code) if code else None
    if code and selected is None:
        raise Http404
    if selected is not None:
        download = chart_download(request, lambda: data.charts(selected))
        if download is not None:
            return download
    elif request.GET.get("export") == "csv":
        return _csv(data)
    sections = list({r.indicator.section_id: r.indicator.section for r in data.rows}.values())
    applied: dict[str, str] = {}
    rows = data.rows
    section = request.GET.get("section", "")
    if section and any(s.code == section for s in sections):
        applied["section"] = section
        rows = [r for r in rows if r.indicator.section.code == section]
    q = request.GET.get("q", "").strip()[:100]
    if q:
        applied["q"] = q
        low = q.casefold()
        rows = [r for r in rows if low in r.code.casefold() or low in r.label.casefold()]
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    kind_names = list(data.kind_names().values())
    region_names = list(data.region_names().values())
    shown = _cells(data, selected) if selected is not None else None
    context = {
        "campaign": campaign,
        "data": data,
        "kind_names": kind_names,
        "region_names": region_names,
        "page": page,
        "rows": [_cells(data, r) for r in page.object_list],
        "sections": sections,
        "applied": applied,
        "query": urlencode(applied),
        "selected": shown,
        "breakdowns": {
            "kinds": list(zip(kind_names, shown["kinds"], strict=True)),
            "regions": list(zip(region_names, shown["regions"], strict=True)),
            "trend": list(zip(data.trend_labels, shown["trend"], strict=True)),
        }
        if shown is not None
        else None,
        "charts": data.charts(selected) if selected is not None else [],
    }
    return render(request, "reporting/indicators.html", context)
