"""GET /api/v1/jobs and /api/v1/jobs/{id}: the caller's background jobs and their progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from caunoi.core.api_errors import errors
from caunoi.core.pagination import Pages
from caunoi.jobs.models import Job
from caunoi.jobs.services import job_for_user, jobs_for_user

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: int
    kind: str
    label: str
    label_vi: str
    label_en: str
    state: Job.State
    state_label: str
    done: int
    total: int | None
    percent: int | None
    error: str
    result: Any
    attempts: int
    user: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_state_label(obj: Job) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_user(obj: Job) -> str | None:
        return obj.user.get_username() if obj.user is not None else None


def job_dict(job: Job) -> dict[str, Any]:
    """The API's representation of a job, as JSON-ready data (also for `caunoi jobs --json`)."""
    data: dict[str, Any] = JobOut.from_orm(job).model_dump(mode="json")
    return data


@router.get("", response={200: list[JobOut], **errors()}, summary="The caller's jobs, newest first")
@paginate(Pages, page_size=20)
def job_list(request: HttpRequest) -> Any:
    """Administrators see every job, including system jobs; others only the jobs they
    started; anonymous callers none."""
    return jobs_for_user(request.user)


@router.get("/{job_id}", response={200: JobOut, **errors(404)}, summary="One job and its progress")
def job_detail(request: HttpRequest, job_id: int) -> Job:
    """404 when the job does not exist or the caller may not see it."""
    return job_for_user(request.user, job_id)
