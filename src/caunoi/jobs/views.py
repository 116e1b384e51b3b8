"""Job pages: the list of one's jobs and one job's progress (polled by htmx until it ends)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caunoi.jobs.services import job_for_user, jobs_for_user

POLL_SECONDS = 2


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(jobs_for_user(request.user), settings.CAUNOI_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "jobs/list.html",
        {"page": page, "show_user": getattr(request.user, "is_admin", False)},
    )


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for_user(request.user, pk)
    template = "jobs/detail.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "job-progress":
        template += "#progress"
    return render(request, template, {"job": job, "poll_seconds": POLL_SECONDS})
