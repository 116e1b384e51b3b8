"""Starting jobs, reporting their progress, and who may see them.

A job is one task of Django's tasks API (``django_tasks``) with a ``Job`` row beside it:
``job_enqueue`` creates the row and enqueues the task; the task runner's signals
(``task_enqueued``, ``task_started``, ``task_finished``) move the row through its states on
whichever backend runs the task (the database backend's worker, or the immediate backend in
the caller, as in tests); a running task calls ``job_progress``. A task that raises fails
its job; ``JobFailed`` gives the message people see instead of the exception's last line.
"""

from __future__ import annotations

from contextlib import nullcontext
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task
from django_tasks.signals import task_enqueued, task_finished, task_started
from django_tasks.utils import normalize_json

from caunoi.jobs.models import Job

T = TypeVar("T")

ERROR_CHARS = 2000

# The job whose task is being enqueued in this thread (its result id is not known yet).
_enqueuing: ContextVar[Job | None] = ContextVar("caunoi_job_enqueuing", default=None)
# The jobs running in this thread, innermost last: (task result id, job id).
_running: ContextVar[tuple[tuple[str, int], ...]] = ContextVar("caunoi_jobs_running", default=())


class JobFailed(Exception):
    """Raise in a task to fail its job with this message (shown as the job's error)."""


def _labels(label: Any) -> tuple[str, str]:
    """A label (plain text, or a lazy gettext string) rendered in Vietnamese and English."""
    with translation.override("vi"):
        vi = str(label)
    with translation.override("en"):
        en = str(label)
    return vi[:300], en[:300]


def job_enqueue(
    task: Task[Any, T],
    *args: Any,
    label: Any,
    user: Any = None,
    total: int | None = None,
    **kwargs: Any,
) -> Job:
    """Enqueue ``task(*args, **kwargs)`` and return its ``Job``.

    ``label`` is what people see (pass ``gettext_lazy(...)`` to store both languages);
    ``user`` who started it (None or anonymous: a system job, visible to administrators);
    ``total`` the amount of work if known now. Called inside a transaction, the job and its
    task commit (or roll back) with it. On the immediate backend the task runs before this
    returns, and the returned job is already finished.
    """
    label_vi, label_en = _labels(label)
    starter = user if getattr(user, "is_authenticated", False) else None
    runs_here = isinstance(task.get_backend(), ImmediateBackend)
    # Elsewhere the job and the queued task commit together, so no worker can start the task
    # before the job knows its result id.
    with nullcontext() if runs_here else transaction.atomic():
        job = Job.objects.create(
            kind=task.module_path,
            label_vi=label_vi,
            label_en=label_en,
            user=starter,
            total=total,
        )
        token = _enqueuing.set(job)
        try:
            result = task.enqueue(*args, **kwargs)
        finally:
            _enqueuing.reset(token)
        if not job.result_id:  # a backend that sends no task_enqueued signal
            job.result_id = result.id
            Job.objects.filter(pk=job.pk).update(result_id=result.id)
    job.refresh_from_db()
    return job


def job_current() -> Job | None:
    """The job of the task running in this thread, if it was started by ``job_enqueue``."""
    running = _running.get()
    return Job.objects.filter(pk=running[-1][1]).first() if running else None


def job_progress(*, done: int, total: int | None = None) -> None:
    """Record how far the running task's job has got; a no-op outside a job.

    Written at once (outside the task's own transaction, where it should be called, others
    see it immediately). ``total`` may be given or changed at any call.
    """
    running = _running.get()
    if not running:
        return
    if done < 0 or (total is not None and done > total):
        raise ValueError(f"progress {done}/{total} is out of range")
    fields: dict[str, Any] = {"done": done, "updated_at": timezone.now()}
    if total is not None:
        fields["total"] = total
    within = Q(total__isnull=True) | Q(total__gte=done) if total is None else Q()
    if not Job.objects.filter(within, pk=running[-1][1]).update(**fields):
        raise ValueError(f"progress {done} is beyond the job's total")


def jobs_for_user(user: Any) -> QuerySet[Job]:
    """The jobs ``user`` may see: their own; every job for an administrator; none anonymous."""
    jobs = Job.objects.select_related("user")
    if not getattr(user, "is_authenticated", False):
        return jobs.none()
    if getattr(user, "is_admin", False):
        return jobs
    return jobs.filter(user=user)


def job_for_user(user: Any, pk: int) -> Job:
    """The job ``pk`` if ``user`` may see it, else 404 (so others' jobs do not leak)."""
    job = jobs_for_user(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


# --- the task runner's signals ----------------------------------------------------------------


def _error_text(task_result: TaskResult[Any]) -> str:
    if not task_result.errors:
        return ""
    error = task_result.errors[-1]
    lines = [line for line in error.traceback.strip().splitlines() if line.strip()]
    text = lines[-1] if lines else error.exception_class_path
    if error.exception_class_path.endswith(".JobFailed"):
        text = text.partition(": ")[2] or text
    return text[:ERROR_CHARS]


def _on_enqueued(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    job = _enqueuing.get()
    if job is not None and not job.result_id:
        job.result_id = task_result.id
        Job.objects.filter(pk=job.pk).update(result_id=task_result.id)


def _on_started(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    job_id = Job.objects.filter(result_id=task_result.id).values_list("pk", flat=True).first()
    if job_id is None:
        return
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(
        state=Job.State.RUNNING,
        started_at=now,
        finished_at=None,
        error="",
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    _running.set((*_running.get(), (task_result.id, job_id)))


def _on_finished(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    running = _running.get()
    job_id = next((j for rid, j in running if rid == task_result.id), None)
    if job_id is None:
        return
    _running.set(tuple(item for item in running if item[0] != task_result.id))
    now = timezone.now()
    if task_result.status == TaskResultStatus.SUCCESSFUL:
        try:
            value = normalize_json(task_result.return_value)
        except (TypeError, ValueError):
            value = None
        Job.objects.filter(pk=job_id).update(
            state=Job.State.SUCCEEDED, finished_at=now, result=value, updated_at=now
        )
    else:
        Job.objects.filter(pk=job_id).update(
            state=Job.State.FAILED, finished_at=now, error=_error_text(task_result), updated_at=now
        )


def connect_signals() -> None:
    task_enqueued.connect(_on_enqueued, dispatch_uid="caunoi-jobs-enqueued")
    task_started.connect(_on_started, dispatch_uid="caunoi-jobs-started")
    task_finished.connect(_on_finished, dispatch_uid="caunoi-jobs-finished")
