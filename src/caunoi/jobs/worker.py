"""The worker: django-tasks-db's worker loop, plus heartbeats, recovery and the scheduler.

``caunoi worker`` runs it in its own process (production); ``start_in_process_worker`` runs
the same loop in a thread of the current process (the demo, the embedded default).

Beside the loop, a housekeeping pass runs at start and then every ``TICK`` seconds (in a
thread, so it goes on while a long task runs):

- the worker's heartbeat (``WorkerBeat.seen_at``);
- recovery: a task left RUNNING by a worker with no heartbeat for
  ``CAUNOI_WORKER_STALE_SECONDS`` was interrupted (its process died; the database rolled
  back its open transaction) and is queued again — or failed, after
  ``CAUNOI_TASKS_MAX_ATTEMPTS`` attempts, so a task that kills its worker does not loop;
- the scheduler: due runs of the registered schedules are claimed and enqueued.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker as DBWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from caunoi.jobs.models import Job, WorkerBeat
from caunoi.jobs.schedule import schedules_run_due

logger = logging.getLogger("caunoi.jobs")

TICK = 10.0  # seconds between housekeeping passes (heartbeat, recovery, scheduler)


class WorkerLost(Exception):
    """The worker running a task stopped (the process died) too many times."""


def beat(worker_id: str) -> None:
    now = timezone.now()
    if not WorkerBeat.objects.filter(worker_id=worker_id).update(seen_at=now):
        WorkerBeat.objects.create(
            worker_id=worker_id, host=socket.gethostname()[:200], pid=os.getpid(), seen_at=now
        )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _gone(worker: WorkerBeat) -> bool:
    """A worker of this machine whose process has exited (a restart need not wait for its
    heartbeat to go stale). Needs a host name of its own per machine or container."""
    return (
        worker.host == socket.gethostname()[:200]
        and worker.pid is not None
        and worker.pid != os.getpid()
        and not _pid_alive(worker.pid)
    )


def recover_interrupted(*, now: dt.datetime | None = None) -> int:
    """Queue again (or fail) the tasks left RUNNING by workers that stopped beating (or, on
    this machine, whose process is gone).

    Returns how many tasks were queued again.
    """
    now = now or timezone.now()
    stale_before = now - dt.timedelta(seconds=settings.CAUNOI_WORKER_STALE_SECONDS)
    requeued = 0
    with exclusive_transaction():
        live = {
            b.worker_id
            for b in WorkerBeat.objects.filter(seen_at__gte=stale_before)
            if not _gone(b)
        }
        WorkerBeat.objects.filter(seen_at__lt=stale_before).delete()
        running = DBTaskResult.objects.running().select_for_update(skip_locked=True)
        for row in running:
            if row.worker_ids and row.worker_ids[-1] in live:
                continue
            job = Job.objects.filter(result_id=str(row.id))
            attempts = len(row.worker_ids)
            if attempts >= settings.CAUNOI_TASKS_MAX_ATTEMPTS:
                message = f"The worker stopped during this task {attempts} times; not retried."
                row.set_failed(WorkerLost(message))
                job.update(state=Job.State.FAILED, error=message, finished_at=now, updated_at=now)
                logger.warning("Task id=%s failed: %s", row.id, message)
                continue
            row.status = TaskResultStatus.READY
            row.save(update_fields=["status"])
            job.update(state=Job.State.QUEUED, finished_at=None, updated_at=now)
            requeued += 1
            logger.warning("Task id=%s was interrupted; queued again", row.id)
    return requeued


def release(result_id: Any, worker_id: str) -> bool:
    """Put back a task this worker is giving up on purpose (its process is exiting before
    the task could finish): queued again at once, and the attempt does not count."""
    now = timezone.now()
    with exclusive_transaction():
        row = DBTaskResult.objects.select_for_update().filter(id=result_id).first()
        if row is None or row.status != TaskResultStatus.RUNNING:
            return False
        if row.worker_ids[-1:] != [worker_id]:
            return False
        row.status = TaskResultStatus.READY
        row.worker_ids = row.worker_ids[:-1]
        row.save(update_fields=["status", "worker_ids"])
        Job.objects.filter(result_id=str(row.id), attempts__gt=0).update(
            state=Job.State.QUEUED, attempts=F("attempts") - 1, updated_at=now
        )
        WorkerBeat.objects.filter(worker_id=worker_id).delete()
    logger.warning("Task id=%s put back in the queue: the worker stopped", result_id)
    return True


def housekeeping(worker_id: str, *, scheduler: bool = True) -> None:
    beat(worker_id)
    recover_interrupted()
    if scheduler:
        for job in schedules_run_due():
            logger.info("Scheduled job #%s enqueued: %s", job.pk, job.label_vi)


class Worker(DBWorker):
    """django-tasks-db's loop with the housekeeping pass beside it."""

    def __init__(
        self,
        *,
        queue_names: list[str] | None = None,
        interval: float = 1.0,
        batch: bool = False,
        backend_name: str = "default",
        max_tasks: int | None = None,
        worker_id: str | None = None,
        scheduler: bool = True,
    ) -> None:
        super().__init__(
            queue_names=queue_names or ["*"],
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=[],
        )
        self.scheduler = scheduler
        self.current: Any = None  # the id of the task in hand
        self._stopped = threading.Event()

    def run(self) -> None:
        housekeeping(self.worker_id, scheduler=self.scheduler)
        keeper = None
        if not self.batch:
            keeper = threading.Thread(
                target=self._housekeep_loop, name=f"caunoi-housekeeping-{self.worker_id}"
            )
            keeper.daemon = True
            keeper.start()
        try:
            super().run()
        finally:
            self._stopped.set()
            if keeper is not None:
                keeper.join(timeout=TICK)
            # A clean stop: the tasks this worker ran are finished, and its beat goes.
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        self.current = db_task_result.id
        try:
            super().run_task(db_task_result)
        finally:
            self.current = None

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if self.running or not self.running_task:
            super().shutdown(signum, frame)
            return
        # A second signal while a task runs. django-tasks-db would raise SystemExit inside
        # the task, recording it as failed; leave instead as a crash does: the database rolls
        # the task's open transaction back, and the next worker start queues it again.
        logger.warning("Received %s again - stopping now; the task will be retried.", signum)
        os._exit(1)

    def _housekeep_loop(self) -> None:
        try:
            while not self._stopped.wait(TICK):
                try:
                    housekeeping(self.worker_id, scheduler=self.scheduler)
                except Exception:
                    logger.exception("Worker housekeeping failed; trying again in %ss", TICK)
                close_old_connections()
        finally:
            connection.close()

    def stop(self) -> None:
        """Stop after the task in hand (if any)."""
        self.running = False


def database_backend(alias: str = "default") -> bool:
    return isinstance(task_backends[alias], DatabaseBackend)


_in_process: dict[str, Any] = {}
_in_process_lock = threading.Lock()


def start_in_process_worker(*, interval: float = 1.0) -> Worker | None:
    """Run the worker loop in a daemon thread of this process (once per process).

    Returns None when the default backend does not queue in the database (the immediate
    backend runs tasks in the caller; there is nothing for a worker to do).
    """
    if not database_backend():
        return None
    with _in_process_lock:
        thread = _in_process.get("thread")
        if thread is not None and thread.is_alive():
            worker: Worker = _in_process["worker"]
            return worker
        worker = Worker(interval=interval)

        def run() -> None:
            try:
                worker.run()
            except Exception:
                logger.exception("The in-process worker stopped")
            finally:
                connection.close()

        thread = threading.Thread(target=run, name="caunoi-worker", daemon=True)
        _in_process.update(worker=worker, thread=thread)
        thread.start()
        return worker


def stop_in_process_worker(*, timeout: float = 2.0) -> None:
    """Stop the in-process worker; a task still running after ``timeout`` seconds is put
    back in the queue (the process is about to exit) for the next start."""
    with _in_process_lock:
        worker = _in_process.pop("worker", None)
        thread = _in_process.pop("thread", None)
    if worker is None or thread is None:
        return
    worker.stop()
    thread.join(timeout=timeout)
    current = worker.current
    if thread.is_alive() and current is not None:
        release(current, worker.worker_id)
