"""The registry's scheduled task: the daily agreement digest."""

from __future__ import annotations

from django_tasks import task

from caunoi.jobs.services import job_progress
from caunoi.registry.services import agreements_expiring, agreements_refresh_statuses


@task()
def agreements_digest() -> dict[str, int]:
    """Move agreement statuses (expiring, expired, renewed) and count those expiring soon.

    The status upkeep is one transaction (``agreements_refresh_statuses``), and it only
    changes what is still out of date, so a retry neither half-applies nor repeats it.
    """
    job_progress(done=0, total=1)
    changed = agreements_refresh_statuses()
    expiring = agreements_expiring().count()
    job_progress(done=1, total=1)
    return {**changed, "expiring": expiring}
