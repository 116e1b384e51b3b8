"""The jobs app's own task: forgetting old finished jobs and task results."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from caunoi.jobs.models import Job, ScheduledRun


@task()
def jobs_prune() -> dict[str, int]:
    """Delete jobs, task results and scheduled runs finished more than
    ``CAUNOI_JOBS_KEEP_DAYS`` ago (one transaction: a retry starts over)."""
    before = timezone.now() - dt.timedelta(days=settings.CAUNOI_JOBS_KEEP_DAYS)
    with transaction.atomic():
        jobs, _ = Job.objects.filter(state__in=Job.FINISHED, finished_at__lt=before).delete()
        results, _ = DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
            finished_at__lt=before,
        ).delete()
        runs, _ = ScheduledRun.objects.filter(due_at__lt=before).delete()
    return {"jobs": jobs, "task_results": results, "scheduled_runs": runs}
