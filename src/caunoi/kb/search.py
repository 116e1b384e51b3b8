"""The knowledge base's search source: passages, each with its document's audience.

Passages are written in bulk by ingestion (``caunoi.kb.ingest``), which writes their search
documents in the same transaction (``index_passages``); a metadata or audience change of the
document rewrites them the same way. The model signals keep single edits and deletions in step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import QuerySet

from caunoi.kb.audience import PASSAGE_AUDIENCE
from caunoi.kb.models import Document, Passage, State, Status
from caunoi.search.sources import DocData, Source, register

KIND = "passages"


def passage_title(passage: Passage) -> str:
    doc = passage.document
    title = doc.title
    if doc.number and doc.number not in title:
        title = f"{doc.number} · {title}"
    if passage.label:
        title = f"{title} — {passage.label}"
    elif passage.page:
        title = f"{title} — tr. {passage.page}"
    return title


def build(passage: Passage, fields: tuple[str, ...] | None = None) -> DocData:
    """The passage's search document (``fields``: its document's field slugs, when known)."""
    doc = passage.document
    if fields is None:
        fields = tuple(sorted(f.slug for f in doc.fields.all())) if doc.pk else ()
    extra = [doc.number, doc.issuer, passage.label or ""]
    return DocData(
        title=passage_title(passage),
        body=passage.text,
        extra=" · ".join(x for x in extra if x),
        url=passage.get_absolute_url(),
        date=doc.signed_on or doc.created_at.date(),
        status=doc.status,
        fields=fields,
        audience=PASSAGE_AUDIENCE.tokens(passage),
    )


def queryset() -> QuerySet[Passage]:
    return (
        Passage.objects.filter(document__state=State.READY)
        .select_related("document")
        .prefetch_related("document__fields")
    )


def analyze(passages: Sequence[Passage]) -> list[tuple[DocData, list[str]]]:
    """The search documents and analysed terms of these passages (unsaved ones too): the slow
    part of indexing, done before the writing transaction."""
    from caunoi.search.indexing import document_terms

    fields: dict[int | None, tuple[str, ...]] = {}
    out = []
    for p in passages:
        doc = p.document
        if doc.pk not in fields:
            fields[doc.pk] = tuple(sorted(f.slug for f in doc.fields.all())) if doc.pk else ()
        data = build(p, fields[doc.pk])
        out.append((data, document_terms(data)))
    return out


def index_passages(
    passages: Iterable[Passage], analyzed: Sequence[tuple[DocData, list[str]]] | None = None
) -> int:
    """Write (or rewrite) the search documents of these saved passages, in the caller's
    transaction, and queue their embeddings and the assistant's sentence vectors after it
    commits (``analyzed``: from ``analyze``, in the same order)."""
    from caunoi.search import indexing, lexical
    from caunoi.search.models import SearchDocument

    rows = list(passages)
    if not rows:
        return 0
    if analyzed is None:
        analyzed = analyze(rows)
    ids = [int(p.pk) for p in rows]
    old = SearchDocument.objects.filter(kind=KIND, object_id__in=ids)
    lexical.record_changes(list(old.values_list("pk", flat=True)))
    old.delete()
    n = indexing.bulk_write_analyzed(
        KIND, ((oid, data, terms) for oid, (data, terms) in zip(ids, analyzed, strict=True))
    )
    for pk in SearchDocument.objects.filter(kind=KIND, object_id__in=ids).values_list(
        "pk", flat=True
    ):
        indexing._schedule_embedding(pk)
    # The assistant's sentence vectors follow, in the background (``caunoi.kb.sentences``).
    from caunoi.kb import sentences

    sentences.schedule(ids)
    return n


def embedding_progress(document: Document) -> dict[str, int]:
    """How far the semantic index of this document's passages is: ``done`` of ``total``
    search documents have their embedding (computed in the background after ingestion, by the
    search service's "Compute search embeddings" jobs)."""
    from caunoi.search.dense import pending_q
    from caunoi.search.models import SearchDocument

    docs = SearchDocument.objects.filter(
        kind=KIND, object_id__in=Passage.objects.filter(document=document).values("pk")
    )
    total = docs.count()
    pending = docs.filter(pending_q()).count() if total else 0
    return {"done": total - pending, "total": total}


def register_sources() -> None:
    register(
        Source(
            kind=KIND,
            model=Passage,
            build=build,
            queryset=queryset,
            label=Passage._meta.verbose_name,
            label_plural=Passage._meta.verbose_name_plural,
            status_choices=lambda: {k: str(v) for k, v in Status.choices},
        )
    )
