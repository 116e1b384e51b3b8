"""The passages' sentence vectors, stored after ingestion (``SentenceVectors``).

The assistant scores each candidate passage's sentences against the question's embedding.
Embedding them at question time was four fifths of a new question's cost (docs/assistant.md,
Speed), so they are computed once, in the background, after a passage's search document is
written (``index_passages`` queues ``embed_sentences`` below when the transaction commits,
as the search service queues its own embeddings; with ``CAUNOI_SEARCH_EMBED=off`` they are
left to ``caunoi embed-sentences``, as the search embeddings to ``caunoi embed``). Each
passage's row is the sentences of ``kbanswer.split(text)`` embedded with the search
service's engine (``passage:`` prefix), stored as float16, with a key naming the engine, the
text and the spans: ``stored`` returns only vectors whose key matches what the assistant
would compute now.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from caunoi.kb.models import Passage, SentenceVectors

DIM = 384
BATCH = 64  # passages per transaction
LABEL = _("Compute the assistant's sentence vectors")
# Behind other queued work, as the search embeddings: until they are written the assistant
# embeds the sentences it needs itself.
PRIORITY = -10


def sentence_spans(text: str) -> list[tuple[int, int]]:
    from kbanswer import split

    return split(text)


def key_for(engine: str, text: str, spans: Sequence[tuple[int, int]]) -> str:
    """What a passage's vectors were made from: the engine, the text, the sentence spans."""
    raw = f"{engine}\n{';'.join(f'{a}-{b}' for a, b in spans)}\n{text}"
    return hashlib.sha256(raw.encode()).hexdigest()


def encode(vectors: np.ndarray) -> bytes:
    return np.asarray(vectors, dtype=np.float16).tobytes()


def decode(raw: bytes, rows: int) -> np.ndarray | None:
    """float32 rows (renormalised after the float16 rounding), or None when the size is not
    ``rows`` vectors."""
    if len(raw) != rows * DIM * 2:
        return None
    vecs = np.frombuffer(raw, dtype=np.float16).astype(np.float32).reshape(rows, DIM)
    out: np.ndarray = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
    return out


def engine_ident() -> str | None:
    """The current engine's name, or None when no engine can be loaded."""
    from caunoi.search import dense

    try:
        return dense.engine_ident()
    except Exception:
        return None


def stored(
    items: Sequence[tuple[int, str, Sequence[tuple[int, int]]]], engine: str
) -> dict[int, np.ndarray]:
    """The stored sentence vectors of these ``(passage id, text, spans)`` that match them
    and this engine, by passage id (one query)."""
    if not items:
        return {}
    wanted = {pk: key_for(engine, text, spans) for pk, text, spans in items}
    rows = {pk: len(spans) for pk, _text, spans in items}
    out: dict[int, np.ndarray] = {}
    for pk, key, raw in SentenceVectors.objects.filter(passage_id__in=list(wanted)).values_list(
        "passage_id", "key", "vectors"
    ):
        if key != wanted[pk]:
            continue
        vecs = decode(bytes(raw), rows[pk])
        if vecs is not None:
            out[pk] = vecs
    return out


def embed(
    passages: Iterable[Passage],
    *,
    progress: Callable[[int, int], None] | None = None,
    embed_texts: Callable[[list[str]], np.ndarray] | None = None,
) -> int:
    """Compute and store the sentence vectors of these passages that have none for the
    current engine and their current text; returns how many were written."""
    from caunoi.search import dense

    engine = dense.engine_ident()
    compute = embed_texts or (lambda texts: dense.embed_passages(texts))
    rows = list(passages)
    have = dict(
        SentenceVectors.objects.filter(passage_id__in=[p.pk for p in rows]).values_list(
            "passage_id", "key"
        )
    )
    todo = []
    for p in rows:
        spans = sentence_spans(p.text)
        key = key_for(engine, p.text, spans)
        if spans and have.get(p.pk) != key:
            todo.append((p, spans, key))
    written = 0
    for i in range(0, len(todo), BATCH):
        chunk = todo[i : i + BATCH]
        texts = [p.text[a:b] for p, spans, _k in chunk for a, b in spans]
        vecs = np.asarray(compute(texts), dtype=np.float32).reshape(len(texts), DIM)
        at = 0
        now = timezone.now()
        with transaction.atomic():
            # Only passages that still exist with the text that was embedded.
            current = dict(
                Passage.objects.filter(pk__in=[p.pk for p, _s, _k in chunk]).values_list(
                    "pk", "text"
                )
            )
            for p, spans, key in chunk:
                part = vecs[at : at + len(spans)]
                at += len(spans)
                if current.get(p.pk) != p.text:
                    continue
                SentenceVectors.objects.update_or_create(
                    passage_id=p.pk,
                    defaults={"key": key, "vectors": encode(part), "embedded_at": now},
                )
                written += 1
        if progress:
            progress(min(i + BATCH, len(todo)), len(todo))
    return written


def missing() -> QuerySet[Passage]:
    """The passages without sentence vectors (those with stale ones are found by ``embed``
    itself, which compares keys)."""
    return Passage.objects.filter(sentence_vectors__isnull=True).order_by("pk")


def schedule(passage_ids: Sequence[int]) -> None:
    """Queue the background step for these passages when the current transaction commits
    (at once outside one), unless embeddings are off (``CAUNOI_SEARCH_EMBED``)."""
    from django.conf import settings

    if getattr(settings, "CAUNOI_SEARCH_EMBED", "inline") != "inline" or not passage_ids:
        return
    # A rewrite of the search documents (a metadata or audience change) keeps the passages
    # and their vectors: only those without any are queued.
    have = set(
        SentenceVectors.objects.filter(passage_id__in=list(passage_ids)).values_list(
            "passage_id", flat=True
        )
    )
    ids = sorted(int(i) for i in passage_ids if int(i) not in have)
    if not ids:
        return

    def enqueue() -> None:
        from caunoi.jobs.services import job_enqueue

        job_enqueue(embed_sentences, ids, label=LABEL, total=len(ids))

    transaction.on_commit(enqueue, robust=True)


@task(priority=PRIORITY)
def embed_sentences(passage_ids: list[int]) -> dict[str, int]:
    """The background step: store the sentence vectors of those of these passages that have
    none for their current text and the current engine (idempotent; each batch of passages
    in its own transaction, so a retry carries on)."""
    from caunoi.jobs.services import job_progress

    job_progress(done=0, total=len(passage_ids))
    n = embed(
        Passage.objects.filter(pk__in=passage_ids).order_by("pk"),
        progress=lambda done, total: job_progress(done=done, total=total),
    )
    return {"embedded": n}
