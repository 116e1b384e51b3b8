"""Periodic tasks: apps register them in ``AppConfig.ready()``; the worker starts due runs.

A schedule's runs fall on fixed slots: every ``every`` from ``at`` (local time, the
``TIME_ZONE``) each day, or from midnight UTC of 2000-01-01 when ``at`` is not given. At each
tick a worker takes the latest slot not after now; inserting the unique
``ScheduledRun(name, due_at)`` row claims it, and the job is enqueued in the same
transaction, so however many workers tick, a slot runs once. A slot missed while no worker
ran is run late, once; older missed slots are not made up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from caunoi.jobs.models import Job, ScheduledRun
from caunoi.jobs.services import job_enqueue

_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Schedule:
    name: str
    task: Task[Any, Any]
    every: dt.timedelta
    at: dt.time | None
    label: Any

    def due_slot(self, now: dt.datetime) -> dt.datetime:
        """The latest slot at or before ``now``."""
        if self.at is not None:
            tz = timezone.get_default_timezone()
            anchor = dt.datetime.combine(now.astimezone(tz).date(), self.at, tzinfo=tz)
        else:
            anchor = _EPOCH
        return anchor + ((now - anchor) // self.every) * self.every


_schedules: dict[str, Schedule] = {}


def register_schedule(
    name: str,
    task: Task[Any, Any],
    *,
    every: dt.timedelta,
    at: dt.time | None = None,
    label: Any = None,
) -> Schedule:
    """Run ``task()`` (no arguments) every ``every``, at ``at`` local time if given.

    Call from ``AppConfig.ready()``; registering the same name again replaces it.
    """
    if every < dt.timedelta(minutes=1):
        raise ValueError("a schedule runs at most once a minute")
    schedule = Schedule(name=name, task=task, every=every, at=at, label=label or name)
    _schedules[name] = schedule
    return schedule


def unregister_schedule(name: str) -> None:
    _schedules.pop(name, None)


def schedules() -> dict[str, Schedule]:
    return dict(_schedules)


def schedule_claim(name: str, slot: dt.datetime) -> ScheduledRun | None:
    """Claim one run: the row, or None when it was claimed already (by another worker).

    Call inside the transaction that enqueues the run's job.
    """
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(name=name, due_at=slot)
    except IntegrityError:
        return None


def schedules_run_due(*, now: dt.datetime | None = None) -> list[Job]:
    """Claim and enqueue every due run not claimed yet; returns the jobs started here."""
    now = now or timezone.now()
    started = []
    for schedule in list(_schedules.values()):
        slot = schedule.due_slot(now)
        if ScheduledRun.objects.filter(name=schedule.name, due_at=slot).exists():
            continue
        with transaction.atomic():
            run = schedule_claim(schedule.name, slot)
            if run is None:
                continue  # another worker claimed this slot first
            job = job_enqueue(schedule.task, label=schedule.label)
            run.job = job
            run.save(update_fields=["job"])
        started.append(job)
    return started
