"""The daily agreement digest is a scheduled task the registry registers with the runner."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from caunoi.jobs.models import Job, ScheduledRun
from caunoi.jobs.schedule import schedules, schedules_run_due
from caunoi.registry.models import Agreement
from caunoi.registry.tasks import agreements_digest

pytestmark = pytest.mark.django_db


def test_the_registry_schedules_the_digest_every_morning() -> None:
    schedule = schedules()["registry.agreements-digest"]
    assert schedule.task is agreements_digest
    assert (schedule.every, schedule.at) == (dt.timedelta(days=1), dt.time(6, 0))


def test_a_due_digest_moves_statuses_once(make_agreement: Any) -> None:
    today = timezone.localdate()
    past = make_agreement(status="in_force", expires_on=today - dt.timedelta(days=3))
    soon = make_agreement(status="in_force", expires_on=today + dt.timedelta(days=20))

    now = timezone.now()
    started = [j for j in schedules_run_due(now=now) if j.kind == agreements_digest.module_path]
    assert len(started) == 1
    job = started[0]
    assert job.state == Job.State.SUCCEEDED, job.error
    assert job.label_vi == "Bản tin thỏa thuận hằng ngày"
    assert job.result == {"flagged": 1, "expired": 1, "renewed": 0, "expiring": 1}
    past.refresh_from_db()
    soon.refresh_from_db()
    assert (past.status, soon.status) == (Agreement.Status.EXPIRED, Agreement.Status.EXPIRING)

    # The same morning again (another worker, a restart): not run a second time.
    assert not [j for j in schedules_run_due(now=now) if j.kind == agreements_digest.module_path]
    assert ScheduledRun.objects.filter(name="registry.agreements-digest").count() == 1
