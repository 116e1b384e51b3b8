"""The database backend and the worker loop itself: a queued task runs once, failures are
recorded, a task interrupted by a dying worker is retried (never half-applied), and a
scheduled run is claimed once.

Outside a test transaction (the worker commits and, like production, uses other threads).
"""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import threading
import time
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_started
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from caunoi.jobs.models import Job, ScheduledRun, WorkerBeat
from caunoi.jobs.schedule import (
    register_schedule,
    schedule_claim,
    schedules_run_due,
    unregister_schedule,
)
from caunoi.jobs.services import job_enqueue
from caunoi.jobs.worker import (
    Worker,
    recover_interrupted,
    start_in_process_worker,
    stop_in_process_worker,
)

from . import sample_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_tasks(settings: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def run_worker() -> None:
    """A worker that starts, runs what is queued, and stops."""
    Worker(batch=True, interval=0, scheduler=False).run()


def test_a_queued_task_runs_once_in_the_worker_with_progress() -> None:
    job = job_enqueue(sample_tasks.count_to, 3, label="Đếm đến ba")
    assert (job.state, job.attempts, job.started_at) == (Job.State.QUEUED, 0, None)
    row = DBTaskResult.objects.get(id=job.result_id)
    assert row.status == TaskResultStatus.READY
    assert row.task_path == "jobs.sample_tasks.count_to"

    run_worker()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert (job.done, job.total, job.attempts) == (3, 3, 1)
    assert job.result == {"counted": 3}
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert len(row.worker_ids) == 1
    assert not WorkerBeat.objects.exists()  # a clean stop takes its heartbeat away

    run_worker()  # nothing left: it does not run again
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_failure_is_recorded_with_its_error() -> None:
    job = job_enqueue(sample_tasks.fail, "hết dung lượng", label="Hỏng")
    run_worker()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "ValueError: hết dung lượng"
    assert (job.done, job.total) == (1, 3)
    row = DBTaskResult.objects.get(id=job.result_id)
    assert row.status == TaskResultStatus.FAILED
    assert "hết dung lượng" in row.traceback


def test_an_enqueue_that_rolls_back_leaves_no_job_and_no_task() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        job_enqueue(sample_tasks.nothing, label="x")
        raise RuntimeError
    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()


def _dying_worker(worker_id: str) -> None:
    """Do what a worker does with the next task, and die between the task's two writes."""
    try:
        with exclusive_transaction():
            row = DBTaskResult.objects.ready().get_locked()
            assert row is not None
            row.claim(worker_id)
        WorkerBeat.objects.create(
            worker_id=worker_id, host="another-machine", pid=1, seen_at=timezone.now()
        )
        task_started.send(sender=DatabaseBackend, task_result=row.task_result)
        result = row.task_result
        row.task.call(*result.args, **result.kwargs)
    except sample_tasks.WorkerKilled:
        pass  # the process is gone; the database rolls its open transaction back
    finally:
        connection.close()


def test_a_task_interrupted_by_a_dying_worker_is_retried_and_applied_exactly_once() -> None:
    from caunoi.accounts.models import Unit

    job = job_enqueue(sample_tasks.two_units, "thu", label="Hai đơn vị")
    thread = threading.Thread(target=_dying_worker, args=("dead-worker",))
    thread.start()
    thread.join()

    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.RUNNING, 1)
    row = DBTaskResult.objects.get(id=job.result_id)
    assert row.status == TaskResultStatus.RUNNING
    assert not Unit.objects.filter(code__startswith="thu-").exists()  # nothing half-applied

    # While the dead worker's heartbeat is fresh, a starting worker leaves its task alone.
    run_worker()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING

    # Once the heartbeat is stale, the next worker start queues the task again and runs it.
    WorkerBeat.objects.filter(worker_id="dead-worker").update(
        seen_at=timezone.now() - dt.timedelta(minutes=5)
    )
    run_worker()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert (job.attempts, job.done, job.total, job.result) == (2, 1, 1, 2)
    assert sorted(Unit.objects.filter(code__startswith="thu-").values_list("code", flat=True)) == [
        "thu-a",
        "thu-b",
    ]
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert len(row.worker_ids) == 2
    assert not WorkerBeat.objects.filter(worker_id="dead-worker").exists()

    run_worker()  # and a later start runs nothing twice
    job.refresh_from_db()
    assert job.attempts == 2
    assert Unit.objects.filter(code__startswith="thu-").count() == 2


def test_a_worker_of_this_machine_whose_process_is_gone_is_not_waited_for() -> None:
    job = job_enqueue(sample_tasks.nothing, label="x")
    finished = subprocess.Popen(["true"])
    finished.wait()
    with exclusive_transaction():
        DBTaskResult.objects.get(id=job.result_id).claim("restarted")
    WorkerBeat.objects.create(
        worker_id="restarted", host=socket.gethostname(), pid=finished.pid, seen_at=timezone.now()
    )
    assert recover_interrupted() == 1
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED
    run_worker()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED


def test_a_task_that_keeps_killing_its_worker_is_given_up(settings: Any) -> None:
    settings.CAUNOI_TASKS_MAX_ATTEMPTS = 2
    job = job_enqueue(sample_tasks.nothing, label="x")
    row = DBTaskResult.objects.get(id=job.result_id)
    row.claim("first")
    row.claim("second")  # two attempts, both workers gone without a heartbeat
    assert recover_interrupted() == 0
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "2 times" in job.error
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "caunoi.jobs.worker.WorkerLost"


@pytest.fixture
def daily_test_schedule() -> Any:
    schedule = register_schedule(
        "test.nothing", sample_tasks.nothing, every=dt.timedelta(days=1), at=dt.time(6, 0)
    )
    yield schedule
    unregister_schedule("test.nothing")


def test_a_scheduled_run_is_claimed_once(daily_test_schedule: Any) -> None:
    tz = timezone.get_default_timezone()
    morning = dt.datetime(2026, 3, 2, 7, 30, tzinfo=tz)
    slot = dt.datetime(2026, 3, 2, 6, 0, tzinfo=tz)

    first = [j for j in schedules_run_due(now=morning) if j.kind.endswith(".nothing")]
    assert len(first) == 1 and first[0].user is None
    assert ScheduledRun.objects.get(name="test.nothing").due_at == slot
    # later ticks of the same slot, from this or another worker, start nothing
    assert not [j for j in schedules_run_due(now=morning) if j.kind.endswith(".nothing")]
    later = morning + dt.timedelta(hours=20)
    assert not [j for j in schedules_run_due(now=later) if j.kind.endswith(".nothing")]
    assert schedule_claim("test.nothing", slot) is None  # the unique row is the claim
    # the next morning is a new slot
    next_day = morning + dt.timedelta(days=1)
    assert len([j for j in schedules_run_due(now=next_day) if j.kind.endswith(".nothing")]) == 1
    assert ScheduledRun.objects.filter(name="test.nothing").count() == 2

    run_worker()
    assert Job.objects.filter(kind__endswith=".nothing", state=Job.State.SUCCEEDED).count() == 2


def test_the_worker_starts_due_scheduled_runs(daily_test_schedule: Any) -> None:
    Worker(batch=True, interval=0).run()
    job = Job.objects.get(kind__endswith=".nothing")
    assert job.state == Job.State.SUCCEEDED
    assert job.result == "ok"
    assert ScheduledRun.objects.get(name="test.nothing").job == job


def test_the_in_process_worker_runs_jobs_in_the_background() -> None:
    worker = start_in_process_worker(interval=0.05)
    assert worker is not None
    try:
        assert start_in_process_worker() is worker  # once per process
        job = job_enqueue(sample_tasks.count_to, 2, label="Đếm")
        deadline = time.monotonic() + 20
        while job.state != Job.State.SUCCEEDED and time.monotonic() < deadline:
            time.sleep(0.05)
            job.refresh_from_db()
        assert job.state == Job.State.SUCCEEDED
        assert WorkerBeat.objects.filter(worker_id=worker.worker_id).exists()
    finally:
        stop_in_process_worker()
    assert not WorkerBeat.objects.filter(worker_id=worker.worker_id).exists()


def test_a_task_in_hand_when_the_in_process_worker_stops_is_put_back() -> None:
    sample_tasks.blocker.clear()
    worker = start_in_process_worker(interval=0.05)
    assert worker is not None
    job = job_enqueue(sample_tasks.wait_for_blocker, label="Chờ")
    try:
        deadline = time.monotonic() + 20
        while job.state != Job.State.RUNNING and time.monotonic() < deadline:
            time.sleep(0.05)
            job.refresh_from_db()
        assert job.state == Job.State.RUNNING
        stop_in_process_worker(timeout=0.1)  # the process would exit now
        job.refresh_from_db()
        assert (job.state, job.attempts) == (Job.State.QUEUED, 0)  # this attempt does not count
        row = DBTaskResult.objects.get(id=job.result_id)
        assert (row.status, row.worker_ids) == (TaskResultStatus.READY, [])
        assert not WorkerBeat.objects.filter(worker_id=worker.worker_id).exists()
    finally:
        sample_tasks.blocker.set()
        for thread in threading.enumerate():
            if thread.name == "caunoi-worker":
                thread.join(timeout=20)


def test_the_worker_command(settings: Any) -> None:
    job = job_enqueue(sample_tasks.count_to, 2, label="Đếm")
    call_command("worker", "--batch", "--no-scheduler", "--verbosity", "0")
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError, match="not the database backend"):
        call_command("worker", "--batch")
