"""The marketplace's scheduled task: expire offers past their validity and requests past
their deadline."""

from __future__ import annotations

from django_tasks import task

from caunoi.jobs.services import job_progress
from caunoi.market.services import expire_due


@task()
def market_expiry() -> dict[str, int]:
    """One pass of ``services.expire_due`` (each expiry is its own audited transition; a
    retry expires only what is still due)."""
    job_progress(done=0, total=1)
    expired = expire_due()
    job_progress(done=1, total=1)
    return {"expired": expired}
