"""What the task runner records: each long job's progress, the scheduler's claimed runs and
the workers' heartbeats.

The queue itself is ``django_tasks_db.DBTaskResult`` (one row per enqueued task); a ``Job``
is our view of one such task for people: a label, who started it, done/total and the error.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("job state", "Queued")
        RUNNING = "running", pgettext_lazy("job state", "Running")
        SUCCEEDED = "succeeded", pgettext_lazy("job state", "Succeeded")
        FAILED = "failed", pgettext_lazy("job state", "Failed")

    FINISHED = (State.SUCCEEDED, State.FAILED)

    kind = models.CharField(_("kind"), max_length=200)  # the task's module path
    label_vi = models.CharField(_("label (Vietnamese)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    state = models.CharField(
        pgettext_lazy("job", "state"), max_length=20, choices=State.choices, default=State.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)  # the task's return value
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )  # None: a system job (the scheduler, a commit hook)
    result_id = models.CharField(_("task result id"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(done__lte=models.F("total")),
                name="job_done_within_total",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["succeeded", "failed"], finished_at__isnull=False)
                | models.Q(state__in=["queued", "running"], finished_at__isnull=True),
                name="job_finished_iff_final",
            ),
        ]
        indexes = [
            # /jobs/ and GET /api/v1/jobs for one user: their jobs, newest first.
            models.Index(fields=["user", "-created_at"], name="job_user_created_idx"),
            # The task runner's signals find the job of a task result.
            models.Index(fields=["result_id"], name="job_result_idx"),
            # Pruning finished jobs by age.
            models.Index(fields=["state", "finished_at"], name="job_state_finished_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.label_vi} ({self.state})"

    @property
    def label(self) -> str:
        """The label in the active language, falling back to Vietnamese."""
        if (get_language() or "vi").startswith("en") and self.label_en:
            return self.label_en
        return self.label_vi

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def percent(self) -> int | None:
        if self.state == self.State.SUCCEEDED:
            return 100
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))


class ScheduledRun(models.Model):
    """One claimed run of a registered schedule: the unique (name, due slot) row is the claim,
    so two workers never start the same run."""

    name = models.CharField(max_length=100)
    due_at = models.DateTimeField()
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "due_at"], name="scheduled_run_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.due_at:%Y-%m-%d %H:%M}"


class WorkerBeat(models.Model):
    """A running worker's heartbeat. A task left RUNNING by a worker with no recent beat was
    interrupted (the process died) and is queued again."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=200, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.host} (pid {self.pid})"
