"""Jobs through the real runner on the immediate backend (the tests' default): the task
functions and the job bookkeeping run in the caller."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils.translation import gettext_lazy as _

from caunoi.jobs.models import Job
from caunoi.jobs.services import job_enqueue, job_progress

from . import sample_tasks

pytestmark = pytest.mark.django_db


def test_a_job_runs_and_records_its_progress_and_result(owner: Any) -> None:
    job = job_enqueue(sample_tasks.count_to, 4, label="Đếm đến bốn", user=owner)
    assert job.state == Job.State.SUCCEEDED
    assert (job.done, job.total, job.percent) == (4, 4, 100)
    assert job.result == {"counted": 4}
    assert job.attempts == 1
    assert job.user == owner
    assert job.kind == "jobs.sample_tasks.count_to"
    assert job.result_id
    assert job.started_at is not None and job.finished_at is not None
    assert job.started_at <= job.finished_at
    assert job.error == ""


def test_a_lazy_label_is_stored_in_both_languages() -> None:
    job = job_enqueue(sample_tasks.nothing, label=_("Background jobs"))
    assert job.label_en == "Background jobs"
    assert job.label_vi == "Công việc nền"
    assert job.user is None  # a system job


def test_an_anonymous_starter_makes_a_system_job() -> None:
    from django.contrib.auth.models import AnonymousUser

    job = job_enqueue(sample_tasks.nothing, label="x", user=AnonymousUser())
    assert job.user is None and job.state == Job.State.SUCCEEDED


def test_a_failing_task_fails_its_job_with_the_error() -> None:
    job = job_enqueue(sample_tasks.fail, "không đọc được tệp", label="Hỏng")
    assert job.state == Job.State.FAILED
    assert job.error == "ValueError: không đọc được tệp"
    assert (job.done, job.total) == (1, 3)  # the progress before the failure is kept
    assert job.finished_at is not None
    assert job.result is None


def test_job_failed_shows_only_its_message() -> None:
    job = job_enqueue(sample_tasks.fail, "Tệp không phải PDF.", True, label="Hỏng")
    assert job.state == Job.State.FAILED
    assert job.error == "Tệp không phải PDF."


def test_progress_outside_a_job_is_a_no_op() -> None:
    job_progress(done=5, total=1)  # out of range, but there is no job to record it on
    assert not Job.objects.exists()


def test_progress_out_of_range_fails_the_job() -> None:
    job = job_enqueue(sample_tasks.report, [(1, 2), (3, 2)], label="x")
    assert job.state == Job.State.FAILED
    assert job.error == "ValueError: progress 3/2 is out of range"
    assert (job.done, job.total) == (1, 2)
    # without a new total, done may not pass the one recorded
    job = job_enqueue(sample_tasks.report, [(1, 2), (3, None)], label="x")
    assert job.state == Job.State.FAILED
    assert "beyond the job's total" in job.error
    job = job_enqueue(sample_tasks.report, [(1, None), (7, None)], label="x")
    assert job.state == Job.State.SUCCEEDED and (job.done, job.total) == (7, None)


def test_old_finished_jobs_are_pruned_and_recent_or_unfinished_ones_kept(settings: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from caunoi.jobs.tasks import jobs_prune

    settings.CAUNOI_JOBS_KEEP_DAYS = 30
    long_ago = timezone.now() - dt.timedelta(days=31)
    old = Job.objects.create(
        kind="x", label_vi="cũ", state=Job.State.SUCCEEDED, finished_at=long_ago
    )
    recent = job_enqueue(sample_tasks.nothing, label="mới")
    waiting = Job.objects.create(kind="x", label_vi="đang chờ")
    Job.objects.filter(pk=waiting.pk).update(created_at=long_ago)
    prune = job_enqueue(jobs_prune, label="dọn")
    assert prune.result == {"jobs": 1, "task_results": 0, "scheduled_runs": 0}
    assert not Job.objects.filter(pk=old.pk).exists()
    assert Job.objects.filter(pk__in=[recent.pk, waiting.pk, prune.pk]).count() == 3
