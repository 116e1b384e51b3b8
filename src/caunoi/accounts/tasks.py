"""The accounts app's scheduled task: the daily digest of notifications by e-mail."""

from __future__ import annotations

from django_tasks import task

from caunoi.jobs.services import job_progress


@task()
def notifications_digest() -> dict[str, int]:
    """One e-mail per user who chose the daily digest (``notifications.send_digests``);
    what was e-mailed is marked, so a retry sends nothing twice."""
    from caunoi.accounts.notifications import send_digests

    job_progress(done=0, total=1)
    sent = send_digests()
    job_progress(done=1, total=1)
    return {"sent": sent}
