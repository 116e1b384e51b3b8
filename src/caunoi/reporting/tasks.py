"""Reporting's scheduled task: the daily reminders."""

from __future__ import annotations

from django_tasks import task

from caunoi.jobs.services import job_progress


@task()
def reporting_reminders() -> dict[str, int]:
    from caunoi.reporting.reminders import send_reminders

    job_progress(done=0, total=1)
    result = send_reminders()
    job_progress(done=1, total=1)
    return result
