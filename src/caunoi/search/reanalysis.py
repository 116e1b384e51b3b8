"""After a change of the search analysis: documents another analysis made are analysed again
from their records, as a background job that ``migrate`` queues (docs/operations.md, Upgrade).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from caunoi.jobs.models import Job
from caunoi.jobs.services import job_enqueue, job_progress
from caunoi.search import analyzer, lexical
from caunoi.search.indexing import document_terms, embedding_text, write_analyzed_document
from caunoi.search.models import SearchDocument
from caunoi.search.sources import all_sources
from caunoi.search.tasks import PRIORITY, embed_missing_enqueue


def stale_documents() -> models.QuerySet[SearchDocument]:
    """The documents whose terms another analysis made (``analyzer.fingerprint``)."""
    return SearchDocument.objects.exclude(analyzer=analyzer.fingerprint())


def reanalyze_stale(*, batch: int = 500, progress: Callable[[int], None] | None = None) -> int:
    """Analyse again, from their records, the documents another analysis made.

    Batch by batch, each in its own transaction: an interrupted run carries on where it
    stopped, and searches meanwhile see old and new terms side by side. A document whose
    record is gone (or whose app is no longer installed) is removed, as ``reindex`` would.
    Embeddings of unchanged text are kept.
    """
    sources = all_sources()
    done = 0
    while rows := list(
        stale_documents().order_by("pk").values_list("pk", "kind", "object_id")[:batch]
    ):
        by_kind: dict[str, list[tuple[int, int]]] = {}
        for pk, kind, object_id in rows:
            by_kind.setdefault(kind, []).append((pk, object_id))
        gone: list[int] = []
        with transaction.atomic():
            for kind, items in by_kind.items():
                source = sources.get(kind)
                records = (
                    {
                        int(r.pk): r
                        for r in source.queryset().filter(pk__in=[oid for _, oid in items])
                    }
                    if source is not None
                    else {}
                )
                for pk, object_id in items:
                    record = records.get(object_id)
                    if source is None or record is None:
                        gone.append(pk)
                        continue
                    data = source.build(record)
                    text_hash = hashlib.sha256(embedding_text(data).encode()).hexdigest()
                    write_analyzed_document(kind, object_id, data, document_terms(data), text_hash)
            if gone:
                lexical.record_changes(gone)
                SearchDocument.objects.filter(pk__in=gone).delete()
        done += len(rows)
        if progress:
            progress(done)
    return done


REANALYZE_LABEL = _("Analyse search documents again")


@task(priority=PRIORITY + 5)  # before embeddings: their text may have changed
def reanalyze() -> dict[str, int]:
    """Analyse again the documents another analysis made (after an upgrade that changed it),
    then embed what changed."""
    total = stale_documents().count()
    job_progress(done=0, total=total)
    # A process of the previous release may still write a few during a rolling upgrade.
    n = reanalyze_stale(progress=lambda done: job_progress(done=done, total=max(total, done)))
    embed_missing_enqueue()
    return {"reanalysed": n}


def reanalyze_enqueue(*, user: object = None) -> Job | None:
    """Queue ``reanalyze`` as a job if any document was analysed otherwise and no such job is
    queued or running already (that one is returned)."""
    stale = stale_documents().count()
    if not stale:
        return None
    unfinished = Job.objects.filter(
        kind=reanalyze.module_path, state__in=[Job.State.QUEUED, Job.State.RUNNING]
    ).first()
    if unfinished is not None:
        return unfinished
    return job_enqueue(reanalyze, label=REANALYZE_LABEL, user=user, total=stale)
