"""REST API of reporting, under /api/v1/reporting/: campaigns with their completeness, and a
unit's submission (read, write with `If-Match`, review).

Network staff read campaigns; a submission is read by its unit, the unit running the campaign
and administrators (``access``); anyone else gets an empty list or 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from pydantic import Field as PydanticField

from caunoi.accounts.models import User
from caunoi.core.api_errors import errors
from caunoi.core.versioning import etag, if_match_version
from caunoi.reporting import access, selectors, services
from caunoi.reporting.models import Campaign, Submission

router = Router(tags=["reporting"])


class FiguresOut(Schema):
    expected: int
    actual: int = PydanticField(description="Expected units that sent a plan or a report.")
    on_time: int = PydanticField(description="Of those, first sent by the end of the window.")
    actual_rate: float = PydanticField(description="actual / expected, percent, one decimal.")
    on_time_rate: float
    plans: int
    reports: int
    categories: dict[str, int] = PydanticField(
        description="report_with_plan, report_without_plan, plan_without_report, neither."
    )


class CampaignOut(FiguresOut):
    id: int
    title: str
    opens_on: dt.date
    deadline: dt.date
    timely_until: dt.date
    by_unit_type: dict[str, FiguresOut]
    by_region: dict[str, FiguresOut]


class SubmissionOut(Schema):
    id: int
    campaign: int
    unit: str = PydanticField(description="The reporting unit's code in the campaign.")
    unit_name: str
    kind: Literal["plan", "report"]
    state: Literal["draft", "submitted", "returned", "approved"]
    answers: dict[str, Any]
    version: int
    first_submitted_at: dt.datetime | None
    received_on: dt.date | None = PydanticField(
        description="The day a report sent outside the platform reached the campaign's "
        "officers (it then counts as first sent that day)."
    )
    review_comment: str


class SubmissionIn(Schema):
    answers: dict[str, Any] = PydanticField(description="Indicator code → answer.")
    submit: bool = PydanticField(False, description="Send it (required answers are checked).")
    received_on: dt.date | None = PydanticField(
        None,
        description="The campaign's officers only (403 for anyone else), for a report that "
        "came by e-mail or post: the day it reached them, between the campaign's opening and "
        "today; the submission counts as first sent that day. Left out: unchanged; null: "
        "removed.",
    )


class ReviewIn(Schema):
    decision: Literal["return", "approve"]
    comment: str = PydanticField("", max_length=5000)


def _campaign_out(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "opens_on": campaign.opens_on,
        "deadline": campaign.deadline,
        "timely_until": campaign.timely_until,
        **selectors.campaign_completeness(campaign).as_dict(),
    }


def _submission_out(sub: Submission) -> dict[str, Any]:
    return {
        "id": sub.pk,
        "campaign": sub.campaign_unit.campaign_id,
        "unit": sub.campaign_unit.code,
        "unit_name": sub.campaign_unit.name_vi,
        "kind": sub.kind,
        "state": sub.state,
        "answers": sub.answers,
        "version": sub.version,
        "first_submitted_at": sub.first_submitted_at,
        "received_on": sub.received_on,
        "review_comment": sub.review_comment,
    }


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


@router.get(
    "/campaigns",
    response={200: list[CampaignOut], **errors()},
    operation_id="reporting_campaigns_list",
    summary="List reporting campaigns with their completeness",
    description="Network staff only (an empty list for anyone else), latest deadline first.",
)
@paginate(PageNumberPagination, page_size=20)
def campaigns_list(request: HttpRequest) -> Any:
    return [_campaign_out(c) for c in access.campaigns_readable(request.user)]


@router.get(
    "/campaigns/{int:pk}",
    response={200: CampaignOut, **errors(404)},
    operation_id="reporting_campaign_get",
    summary="Get a campaign with its completeness by unit type and region",
    description="Network staff only; 404 for anyone else or an unknown id.",
)
def campaign_get(request: HttpRequest, pk: int) -> Any:
    return _campaign_out(access.campaign_for_user(request.user, pk))


@router.get(
    "/submissions/{int:pk}",
    response={200: SubmissionOut, **errors(404)},
    operation_id="reporting_submission_get",
    summary="Get a submission",
    description="Its unit, the unit running the campaign and administrators; 404 for anyone "
    "else. The `ETag` header names this version, for `If-Match`.",
)
def submission_get(request: HttpRequest, pk: int, response: HttpResponse) -> Any:
    sub = access.submission_for_user(request.user, pk)
    response["ETag"] = etag(sub)
    return _submission_out(sub)


@router.put(
    "/submissions/{int:pk}",
    response={200: SubmissionOut, **errors(400, 404, 412, 428)},
    operation_id="reporting_submission_put",
    summary="Write a submission's answers (as a draft, or submit it)",
    description="Replaces every answer. `If-Match` is required (428 without it, 412 with the "
    "saved answers that differ when it changed since). 400 names every bad answer under its "
    "indicator code (`code.row.column` for a table's cells).",
)
def submission_put(
    request: HttpRequest, pk: int, payload: SubmissionIn, response: HttpResponse
) -> Any:
    user = _user(request)
    sub = access.submission_for_user(user, pk, write=True)
    expected = if_match_version(request, sub, required=True)
    services.submission_save(
        user=user,
        submission=sub,
        answers=payload.answers,
        expected_version=expected,
        submit=payload.submit,
        received_on=(
            payload.received_on if "received_on" in payload.model_fields_set else services.KEEP
        ),
    )
    saved = access.submission_for_user(user, pk)
    response["ETag"] = etag(saved)
    return _submission_out(saved)


@router.post(
    "/submissions/{int:pk}/review",
    response={200: SubmissionOut, **errors(400, 404, 412, 428)},
    operation_id="reporting_submission_review",
    summary="Return a submission with a comment, or approve it",
    description="The campaign's officers (administrators and officers of the unit running "
    "it). `If-Match` is required.",
)
def submission_review(
    request: HttpRequest, pk: int, payload: ReviewIn, response: HttpResponse
) -> Any:
    user = _user(request)
    sub = access.submission_for_user(user, pk)
    if not access.can_review(user, sub.campaign_unit.campaign):
        raise PermissionDenied
    expected = if_match_version(request, sub, required=True)
    services.submission_review(
        user=user,
        submission=sub,
        decision=payload.decision,
        comment=payload.comment,
        expected_version=expected,
    )
    saved = access.submission_for_user(user, pk)
    response["ETag"] = etag(saved)
    return _submission_out(saved)


class ReportIn(Schema):
    format: Literal["docx", "pdf", "xlsx"] = PydanticField(
        "docx", description="DOCX (the administrative layout), PDF (the same) or XLSX (all data)."
    )


class ReportJobOut(Schema):
    id: int = PydanticField(description="The job's id (also under /api/v1/jobs).")
    state: Literal["queued", "running", "succeeded", "failed"]
    done: int
    total: int | None
    error: str
    format: str | None = PydanticField(description="Once written.")
    size: int | None = PydanticField(description="Bytes, once written.")
    file: str | None = PydanticField(description="The file's API path, once written.")


def _report_job_out(job: Any) -> dict[str, Any]:
    from django.urls import reverse

    result = job.result if isinstance(job.result, dict) else {}
    done = job.state == "succeeded" and bool(result.get("path"))
    return {
        "id": job.pk,
        "state": job.state,
        "done": job.done,
        "total": job.total,
        "error": job.error,
        "format": result.get("format"),
        "size": result.get("size"),
        "file": reverse("api:reporting-report-file", args=[job.pk]) if done else None,
    }


@router.post(
    "/campaigns/{int:pk}/reports",
    response={202: ReportJobOut, **errors(403, 404)},
    operation_id="reporting_report_start",
    summary="Start writing a campaign's consolidated report (a background job)",
    description="The campaign's officers (403 for other staff, 404 for anyone who may not "
    "read the campaign). Returns the job at once (202); poll `GET /reporting/reports/{job_id}` "
    "until `state` is `succeeded`, then fetch `file`.",
)
def report_start(request: HttpRequest, pk: int, payload: ReportIn) -> Any:
    from caunoi.reporting.report_jobs import report_start as start

    user = _user(request)
    campaign = access.campaign_for_user(user, pk)
    job = start(user=user, campaign=campaign, fmt=payload.format)
    return Status(202, _report_job_out(job))


@router.get(
    "/reports/{int:job_id}",
    response={200: ReportJobOut, **errors(404)},
    operation_id="reporting_report_get",
    summary="A consolidated report's job: its progress, then its file's path",
    description="The job's starter and administrators; 404 for anyone else or another kind of job.",
)
def report_get(request: HttpRequest, job_id: int) -> Any:
    from caunoi.reporting.report_jobs import report_job

    return _report_job_out(report_job(request.user, job_id))


@router.get(
    "/reports/{int:job_id}/file",
    response={200: None, **errors(403, 404)},
    operation_id="reporting_report_file",
    url_name="reporting-report-file",
    summary="Download a finished consolidated report",
    description="The DOCX, PDF or XLSX, for the job's reader if they still review the "
    "campaign (403 otherwise); 404 while it is being written, when it failed, or when the "
    "stored file is not of its format.",
)
def report_file(request: HttpRequest, job_id: int) -> Any:
    from caunoi.reporting.report_jobs import report_file as serve

    return serve(request.user, job_id)


router.add_router("/evaluation", "caunoi.reporting.api_evaluation.router")
