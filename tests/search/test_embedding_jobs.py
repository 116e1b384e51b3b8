"""Embeddings go through the task runner: one job per committed transaction, with that
transaction's documents, computed by the real model (the immediate backend runs the job at
commit in tests)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from caunoi.jobs.models import Job
from caunoi.jobs.services import job_enqueue
from caunoi.search import tasks
from caunoi.search.models import SearchDocument

pytestmark = pytest.mark.django_db

EMBED_KIND = "caunoi.search.tasks.embed_documents"


def doc_of(org: Any) -> SearchDocument:
    return SearchDocument.objects.get(kind="partners", object_id=org.pk)


def test_a_transaction_queues_one_job_for_its_documents(
    make_org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        a = make_org(name_vi="Viện Vật lý", name_en="")
        b = make_org(name_vi="Viện Hóa học", name_en="")
        assert not Job.objects.exists()  # nothing before the commit
    assert len(callbacks) == 1
    job = Job.objects.get(kind=EMBED_KIND)
    assert job.state == Job.State.SUCCEEDED, job.error
    assert (job.done, job.total, job.result) == (2, 2, {"embedded": 2})
    assert job.user is None
    assert job.label_vi == "Tính vectơ ngữ nghĩa cho tìm kiếm"
    assert doc_of(a).embedding is not None and doc_of(b).embedding is not None

    # the next transaction gets its own job, with only its document
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        c = make_org(name_vi="Viện Sinh học", name_en="")
    second = Job.objects.filter(kind=EMBED_KIND).exclude(pk=job.pk).get()
    assert (second.total, second.result) == (1, {"embedded": 1})
    assert doc_of(c).embedding is not None


def test_a_rolled_back_transaction_queues_nothing(
    make_org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_org()
        raise RuntimeError
    assert callbacks == []
    assert not Job.objects.exists()


def test_off_queues_nothing(
    settings: Any, make_org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.CAUNOI_SEARCH_EMBED = "off"
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        org = make_org()
    assert callbacks == []
    assert not Job.objects.exists()
    assert doc_of(org).embedding is None


def test_the_task_embeds_only_what_is_still_missing(make_org: Any) -> None:
    org = make_org(name_vi="Trung tâm Vũ trụ Việt Nam", name_en="")
    doc = doc_of(org)
    first = job_enqueue(tasks.embed_documents, [doc.pk, 10**9], label="x")
    assert first.result == {"embedded": 1}
    assert doc_of(org).embedding is not None
    again = job_enqueue(tasks.embed_documents, [doc.pk], label="x")  # a retry, or a repeat
    assert again.state == Job.State.SUCCEEDED
    assert (again.result, again.total) == ({"embedded": 0}, 0)


def test_embed_missing_enqueue_is_one_job_for_everything_missing(make_org: Any) -> None:
    orgs = [make_org() for _ in range(3)]
    job = tasks.embed_missing_enqueue()
    assert job is not None and job.kind == "caunoi.search.tasks.embed_missing"
    assert (job.state, job.done, job.total) == (Job.State.SUCCEEDED, 3, 3)
    assert all(doc_of(o).embedding is not None for o in orgs)
    assert tasks.embed_missing_enqueue() is None  # nothing left to do
