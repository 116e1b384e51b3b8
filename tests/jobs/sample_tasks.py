"""Tasks the job tests enqueue (module level, as the task runner requires)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from django.db import transaction
from django_tasks import task

from caunoi.jobs.services import JobFailed, job_current, job_progress


class WorkerKilled(BaseException):
    """Stands for the worker process dying: nothing after it runs (not even the runner's
    own failure bookkeeping, when raised outside the runner)."""


@task()
def count_to(n: int) -> dict[str, int]:
    for i in range(n):
        job_progress(done=i + 1, total=n)
    return {"counted": n}


@task()
def fail(message: str, clean: bool = False) -> None:
    job_progress(done=1, total=3)
    if clean:
        raise JobFailed(message)
    raise ValueError(message)


@task()
def two_units(key: str) -> int:
    """Two writes in one transaction; on a job's first attempt the worker "dies" between them."""
    from caunoi.accounts.models import Unit

    job = job_current()
    with transaction.atomic():
        Unit.objects.create(code=f"{key}-a", name_vi="Đơn vị A", kind=Unit.Kind.DEPARTMENT)
        if job is not None and job.attempts == 1:
            raise WorkerKilled
        Unit.objects.create(code=f"{key}-b", name_vi="Đơn vị B", kind=Unit.Kind.DEPARTMENT)
    job_progress(done=1, total=1)
    return Unit.objects.filter(code__startswith=f"{key}-").count()


@task()
def report(steps: list[tuple[int, int | None]]) -> None:
    for done, total in steps:
        job_progress(done=done, total=total)


blocker = threading.Event()


@task()
def wait_for_blocker() -> bool:
    job_progress(done=0, total=1)
    return blocker.wait(timeout=30)


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + 60
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


@task()
def pause(folder: str) -> str:
    """Runs until the file ``go`` appears in ``folder`` (after touching ``started``)."""
    Path(folder, "started").touch()
    _wait_for(Path(folder, "go"))
    return "done"


@task()
def units_around_a_pause(key: str, folder: str) -> int:
    """Two writes in one transaction with a pause between them (where a worker may die)."""
    from caunoi.accounts.models import Unit

    with transaction.atomic():
        Unit.objects.create(code=f"{key}-a", name_vi="Đơn vị A", kind=Unit.Kind.DEPARTMENT)
        Path(folder, "started").touch()
        _wait_for(Path(folder, "go"))
        Unit.objects.create(code=f"{key}-b", name_vi="Đơn vị B", kind=Unit.Kind.DEPARTMENT)
    return Unit.objects.filter(code__startswith=f"{key}-").count()


@task()
def nothing() -> str:
    return "ok"
