"""Search documents carry the analysis that made their terms; after an upgrade that changes
it, ``migrate`` queues the job that analyses them again from their records."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management.sql import emit_post_migrate_signal

from caunoi.jobs.models import Job
from caunoi.search import analyzer, lexical
from caunoi.search.models import SearchDocument
from caunoi.search.reanalysis import reanalyze_enqueue
from caunoi.search.service import search


def test_the_fingerprint_follows_the_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    analyzer.fingerprint.cache_clear()
    first = analyzer.fingerprint()
    analyzer.fingerprint.cache_clear()
    assert analyzer.fingerprint() == first  # deterministic
    monkeypatch.setattr(analyzer, "TITLE_COPIES", analyzer.TITLE_COPIES + 1)
    analyzer.fingerprint.cache_clear()
    changed = analyzer.fingerprint()
    monkeypatch.setattr(analyzer, "VERSION", analyzer.VERSION + 1)
    analyzer.fingerprint.cache_clear()
    bumped = analyzer.fingerprint()
    monkeypatch.undo()
    analyzer.fingerprint.cache_clear()
    assert len({first, changed, bumped}) == 3
    assert bumped.startswith(f"{analyzer.VERSION + 1}-")


def _found(query: str) -> list[int]:
    return [h.object_id for h in search(user=AnonymousUser(), query=query, mode="lexical").hits]


@pytest.mark.django_db
def test_migrate_reanalyses_documents_of_another_analysis(make_agreement: Any) -> None:
    fresh = make_agreement(title_vi="Hiệp định hợp tác về vi mạch bán dẫn", title_en="")
    old = make_agreement(title_vi="Thỏa thuận nghiên cứu giống lúa chịu mặn", title_en="")
    current = analyzer.fingerprint()
    assert set(SearchDocument.objects.values_list("analyzer", flat=True)) == {current}
    assert reanalyze_enqueue() is None  # nothing to do

    # A document written by an older release: other terms, another stamp, in the index.
    doc = SearchDocument.objects.get(kind="agreements", object_id=old.pk)
    SearchDocument.objects.filter(pk=doc.pk).update(analyzer="0-old", terms="zzcu", length=1)
    orphan = SearchDocument.objects.create(
        kind="agreements", object_id=old.pk + 1000, title="x", url="/x", analyzer="0-old"
    )
    foreign = SearchDocument.objects.create(
        kind="app-removed", object_id=1, title="y", url="/y", analyzer="0-old"
    )
    lexical.record_changes([doc.pk, orphan.pk, foreign.pk])
    assert _found("zzcu") == [old.pk]
    assert old.pk not in _found("giống lúa chịu mặn")

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    job = Job.objects.get(kind__endswith="reanalyze")
    assert job.state == Job.State.SUCCEEDED, job.error
    assert (job.done, job.total) == (3, 3)
    doc.refresh_from_db()
    assert doc.analyzer == current and "zzcu" not in doc.terms
    assert not SearchDocument.objects.filter(pk__in=[orphan.pk, foreign.pk]).exists()
    assert _found("zzcu") == []
    assert _found("giống lúa chịu mặn")[:1] == [old.pk]
    assert _found("vi mạch bán dẫn")[:1] == [fresh.pk]
    assert reanalyze_enqueue() is None
