"""Reporting pages: campaigns with their completeness, the units' status, a unit's submission
form (draft, submit), the officers' review, and the version history with differences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.accounts.models import Unit, User
from caunoi.core.charts import chart_download
from caunoi.core.errors import ConflictError, DomainError
from caunoi.core.parsing import parse_int
from caunoi.reporting import access, charts, selectors, services
from caunoi.reporting.answers import display
from caunoi.reporting.completeness import CATEGORIES
from caunoi.reporting.models import IndicatorKind, Region, Submission
from caunoi.reporting.report_jobs import REPORT_TYPES

_EXTRA_TABLE_ROWS = 3


def _staff(request: HttpRequest) -> User:
    """Reporting is for network staff: anyone else is told nothing exists here."""
    user = request.user
    if not isinstance(user, User) or not user.is_network_staff:
        raise Http404
    return user


def _category_labels() -> list[tuple[str, str]]:
    names = charts.category_names()
    return [(c, names[c]) for c in CATEGORIES]


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    download = chart_download(
        request, lambda: [charts.recent_campaigns_chart(charts.recent_campaigns(user))]
    )
    if download is not None:
        return download
    rows = [(c, selectors.campaign_completeness(c).total) for c in access.campaigns_readable(user)]
    chart = charts.recent_campaigns_chart(rows) if rows else None
    return render(
        request,
        "reporting/list.html",
        {"rows": rows, "chart": chart, "can_run": access.can_run_campaigns(user)},
    )


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    campaign = access.campaign_for_user(user, pk)
    figures = selectors.campaign_completeness(campaign)
    download = chart_download(request, lambda: charts.campaign_charts(figures))
    if download is not None:
        return download
    statuses, applied = selectors.unit_statuses(campaign, request.GET, figures)
    readable = set(
        access.submissions_readable(user)
        .filter(campaign_unit__campaign=campaign)
        .values_list("pk", flat=True)
    )
    page = Paginator(statuses, 50).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in applied.items())
    kinds = dict(Unit.Kind.choices)
    regions = dict(Region.choices)
    context = {
        "campaign": campaign,
        "total": figures.total,
        "by_kind": [(kinds.get(k, k), f) for k, f in sorted(figures.by_kind.items())],
        "by_region": [(regions.get(k, k or "—"), f) for k, f in sorted(figures.by_region.items())],
        "categories": _category_labels(),
        "category_names": dict(_category_labels()),
        "page": page,
        "applied": applied,
        "query": query,
        "readable": readable,
        "kind_choices": [(k, v) for k, v in Unit.Kind.choices if k in figures.by_kind],
        "region_choices": Region.choices,
        "sorts": [
            ("name", _("Name")),
            ("-name", _("Name, Z to A")),
            ("kind", _("Unit type")),
            ("region", _("Region")),
        ],
        "can_review": access.can_review(user, campaign),
        "locked": campaign.is_locked(),
        "charts": charts.campaign_charts(figures),
    }
    return render(request, "reporting/detail.html", context)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    subs = (
        Submission.objects.filter(campaign_unit__unit_id=user.unit_id or -1)
        .select_related("campaign_unit__campaign")
        .order_by("-campaign_unit__campaign__deadline", "campaign_unit__name_vi", "kind")
    )
    return render(request, "reporting/mine.html", {"submissions": subs, "unit": user.unit})


def _form_answers(
    request: HttpRequest, indicators: list[Any], submission: Submission, *, files: bool = True
) -> dict[str, Any]:
    """What the form sent, per indicator code (files are stored first; a file field left
    empty keeps the attached file; ``files=False``, as the autosave does, ignores uploads)."""
    answers: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for ind in indicators:
        if ind.kind == IndicatorKind.TABLE:
            rows = []
            sent = parse_int(request.POST.get(f"{ind.code}__rows", "")) or 0
            if sent > settings.CAUNOI_TABLE_MAX_ROWS:
                problems[ind.code] = [
                    _("A table holds at most %(max)d rows.")
                    % {"max": settings.CAUNOI_TABLE_MAX_ROWS}
                ]
                continue
            for i in range(sent):
                row = {
                    c["code"]: request.POST.get(f"{ind.code}__{i}__{c['code']}", "")
                    for c in ind.columns
                }
                if any(v.strip() for v in row.values()):
                    rows.append(row)
            answers[ind.code] = rows
        elif ind.kind == IndicatorKind.FILE:
            upload = request.FILES.get(ind.code) if files else None
            if upload is not None:
                try:
                    answers[ind.code] = services.attachment_store(
                        user=request.user,  # type: ignore[arg-type]
                        submission=submission,
                        code=ind.code,
                        upload=upload,
                    )
                except DomainError as exc:
                    problems.update(exc.errors)
            elif request.POST.get(f"{ind.code}__remove"):
                answers[ind.code] = None
            else:
                answers[ind.code] = submission.answers.get(ind.code)
        else:
            answers[ind.code] = request.POST.get(ind.code, "")
    if problems:
        raise DomainError(
            _("Nothing was saved: correct the answers marked below."), errors=problems
        )
    return answers


def _received_on(request: HttpRequest, submission: Submission) -> Any:
    """The "received on" date the campaign's officers may send with the form (``KEEP`` for
    anyone else, and when the form carries no such field): empty clears it."""
    if not access.can_review(request.user, submission.campaign_unit.campaign):
        return services.KEEP
    if "received_on" not in request.POST:
        return services.KEEP
    raw = request.POST["received_on"].strip()
    if not raw:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    problem = _("Enter the date as dd/mm/yyyy.")
    raise DomainError(
        _("Nothing was saved: correct the answers marked below."),
        errors={"received_on": [problem]},
    )


def _received_context(
    request: HttpRequest, submission: Submission, *, sent: bool
) -> dict[str, Any]:
    """What the form shows in its "received on" field: what was typed when it was refused,
    else the stored date."""
    if sent and "received_on" in request.POST:
        value = request.POST["received_on"]
    else:
        value = f"{submission.received_on:%Y-%m-%d}" if submission.received_on else ""
    return {"received_value": value, "today": timezone.localdate()}


def _sections(
    indicators: list[Any], answers: dict[str, Any], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for ind in indicators:
        if not out or out[-1]["section"].pk != ind.section_id:
            out.append({"section": ind.section, "items": []})
        value = answers.get(ind.code)
        item: dict[str, Any] = {
            "indicator": ind,
            "value": "" if value is None else value,
            "shown": display(ind, value),
            "errors": errors.get(ind.code, []),
        }
        if ind.kind == IndicatorKind.TABLE:
            rows = value if isinstance(value, list) else []
            width = len(rows) + _EXTRA_TABLE_ROWS
            item["rows"] = [
                [
                    {
                        "name": f"{ind.code}__{i}__{c['code']}",
                        "value": (
                            rows[i].get(c["code"], "")
                            if i < len(rows) and isinstance(rows[i], dict)
                            else ""
                        ),
                        "errors": errors.get(f"{ind.code}.{i}.{c['code']}", []),
                    }
                    for c in ind.columns
                ]
                for i in range(width)
            ]
            item["row_count"] = width
        if ind.kind == IndicatorKind.YESNO and isinstance(value, bool):
            item["value"] = "yes" if value else "no"
        out[-1]["items"].append(item)
    return out


@login_required
def submission_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    submission = access.submission_for_user(user, pk, write=request.method == "POST")
    indicators = services.indicators_of(submission)
    answers = dict(submission.answers)
    errors: dict[str, list[str]] = {}
    conflict: dict[str, Any] | None = None
    status = 200
    message = ""
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        version = request.POST.get("version", "")
        try:
            received_on = _received_on(request, submission)
            answers = _form_answers(request, indicators, submission)
            services.submission_save(
                user=user,
                submission=submission,
                answers=answers,
                expected_version=parse_int(version),
                submit=submit,
                received_on=received_on,
            )
        except ConflictError as exc:
            status = 409
            labels = {i.code: i.label for i in indicators}
            conflict = {
                "message": exc.message,
                "rows": [
                    {
                        "code": code,
                        "label": labels.get(code, code),
                        "theirs": exc.current[code],
                        "yours": exc.yours.get(code, "—"),
                    }
                    for code in exc.current
                ],
            }
            submission.refresh_from_db()
        except DomainError as exc:
            status = 400
            message = exc.message
            errors = exc.errors
        else:
            messages.success(request, _("Submitted.") if submit else _("Draft saved."))
            return redirect("reporting:submission", pk=submission.pk)
    context = {
        "submission": submission,
        "campaign": submission.campaign_unit.campaign,
        "sections": _sections(indicators, answers, errors),
        "can_fill": access.can_fill(user, submission),
        "can_review": access.can_review(user, submission.campaign_unit.campaign),
        "can_reopen": services.can_reopen(submission),
        "errors": errors,
        "error_message": message,
        "conflict": conflict,
        **_received_context(request, submission, sent=request.method == "POST"),
    }
    return render(request, "reporting/submission.html", context, status=status)


@require_POST
@login_required
def submission_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    submission = access.submission_for_user(user, pk)
    if not access.can_review(user, submission.campaign_unit.campaign):
        raise PermissionDenied
    version = request.POST.get("version", "")
    try:
        if request.POST.get("decision") == "reopen":
            services.submission_reopen(
                user=user,
                submission=submission,
                expected_version=parse_int(version),
                comment=request.POST.get("comment", ""),
            )
        else:
            services.submission_review(
                user=user,
                submission=submission,
                decision=request.POST.get("decision", ""),
                comment=request.POST.get("comment", ""),
                expected_version=parse_int(version),
            )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:submission", pk=submission.pk)
    messages.success(request, _("Decision saved."))
    return redirect("reporting:submission", pk=submission.pk)


@login_required
def submission_history(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    submission = access.submission_for_user(user, pk)
    by_code = {i.code: i for i in services.indicators_of(submission)}
    versions = list(submission.versions.select_related("created_by").order_by("number"))
    entries = []
    previous: dict[str, Any] = {}
    for v in versions:
        changes = [
            {
                "label": by_code[c].label if c in by_code else c,
                "old": display(by_code.get(c), previous.get(c)),
                "new": display(by_code.get(c), v.answers.get(c)),
            }
            for c in sorted(
                set(previous) | set(v.answers),
                key=lambda c: list(by_code).index(c) if c in by_code else 999,
            )
            if previous.get(c) != v.answers.get(c)
        ]
        entries.append({"version": v, "changes": changes})
        previous = v.answers
    entries.reverse()
    return render(request, "reporting/history.html", {"submission": submission, "entries": entries})


@login_required
def submission_file(request: HttpRequest, pk: int, code: str) -> FileResponse:
    user = _staff(request)
    submission = access.submission_for_user(user, pk)
    value = submission.answers.get(code)
    if not isinstance(value, dict) or not value.get("path"):
        raise Http404
    try:
        handle = default_storage.open(value["path"], "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=value.get("name") or "tep")


@login_required
def submission_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the submission as an XLSX to fill offline; POST: read it back (all or nothing)."""
    from caunoi.reporting import workbook

    user = _staff(request)
    submission = access.submission_for_user(user, pk, write=request.method == "POST")
    indicators = services.indicators_of(submission)
    if request.method != "POST":
        response = HttpResponse(
            workbook.workbook_for(submission, indicators),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"bao-cao-{submission.campaign_unit.code}-{submission.kind}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose the XLSX file to upload."))
        return redirect("reporting:submission", pk=submission.pk)
    version = request.POST.get("version", "")
    where: dict[str, str] = {}
    try:
        received_on = _received_on(request, submission)
        answers, where = workbook.answers_from(upload, submission, indicators)
        services.submission_save(
            user=user,
            submission=submission,
            answers=answers,
            expected_version=parse_int(version),
            received_on=received_on,
        )
    except ConflictError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:submission", pk=submission.pk)
    except DomainError as exc:
        refused = workbook.located(exc, where)
        context = {
            "submission": submission,
            "campaign": submission.campaign_unit.campaign,
            "sections": _sections(indicators, dict(submission.answers), refused.errors),
            "can_fill": access.can_fill(user, submission),
            "can_review": access.can_review(user, submission.campaign_unit.campaign),
            "can_reopen": services.can_reopen(submission),
            "errors": refused.errors,
            "error_message": refused.message,
            "upload_errors": sorted(m for msgs in refused.errors.values() for m in msgs),
            "conflict": None,
            **_received_context(request, submission, sent=True),
        }
        return render(request, "reporting/submission.html", context, status=400)
    messages.success(request, _("The workbook was read; the answers are saved as a draft."))
    return redirect("reporting:submission", pk=submission.pk)


@login_required
def campaign_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The consolidated report (every unit's answers): for the campaign's officers."""
    from caunoi.reporting.outputs import write

    user = _staff(request)
    campaign = access.campaign_for_user(user, pk)
    if fmt not in REPORT_TYPES:
        raise Http404
    if not access.can_review(user, campaign):
        raise PermissionDenied
    response = HttpResponse(write(campaign, fmt, reader=user), content_type=REPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="bao-cao-tong-hop-{campaign.pk}.{fmt}"'
    return response


@require_POST
@login_required
def report_generate(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the consolidated report as a background job, then follow it on its page."""
    from caunoi.reporting.report_jobs import report_start

    user = _staff(request)
    campaign = access.campaign_for_user(user, pk)
    if not access.can_review(user, campaign):
        raise PermissionDenied
    try:
        job = report_start(user=user, campaign=campaign, fmt=request.POST.get("format", ""))
    except DomainError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    return redirect("reporting:report-job", pk=job.pk)


@login_required
def report_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A report being written: its progress (polled by htmx until it ends), then its link."""
    from caunoi.reporting.report_jobs import report_job as fetch

    _staff(request)
    job = fetch(request.user, pk)
    result = job.result if isinstance(job.result, dict) else {}
    context = {"job": job, "result": result, "campaign_id": result.get("campaign")}
    template = "reporting/report_job.html"
    if request.headers.get("HX-Request"):
        template += "#report-job"
    return render(request, template, context)


@login_required
def report_file(request: HttpRequest, pk: int) -> FileResponse:
    from caunoi.reporting.report_jobs import report_file as serve

    _staff(request)
    return serve(request.user, pk)
