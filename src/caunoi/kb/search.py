"""The knowledge base's search source: passages, each with its document's audience.

Passages are written in bulk by ingestion (``caunoi.kb.ingest``), which writes their search
documents in the same transaction (``index_passages``); a metadata or audience change of the
document rewrites them the same way. The model signals keep single edits and deletions in step.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from caunoi.kb.audience import PASSAGE_AUDIENCE
from caunoi.kb.models import Passage, State, Status
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


def build(passage: Passage) -> DocData:
    doc = passage.document
    extra = [doc.number, doc.issuer, passage.label or ""]
    return DocData(
        title=passage_title(passage),
        body=passage.text,
        extra=" · ".join(x for x in extra if x),
        url=passage.get_absolute_url(),
        date=doc.signed_on or doc.created_at.date(),
        status=doc.status,
        fields=tuple(sorted(f.slug for f in doc.fields.all())),
        audience=PASSAGE_AUDIENCE.tokens(passage),
    )


def queryset() -> QuerySet[Passage]:
    return (
        Passage.objects.filter(document__state=State.READY)
        .select_related("document")
        .prefetch_related("document__fields")
    )


def index_passages(passages: Iterable[Passage]) -> int:
    """Write (or rewrite) the search documents of these passages, in the caller's transaction,
    and queue their embeddings after it commits."""
    from caunoi.search import indexing, lexical
    from caunoi.search.models import SearchDocument

    items = [(int(p.pk), build(p)) for p in passages]
    if not items:
        return 0
    old = SearchDocument.objects.filter(kind=KIND, object_id__in=[oid for oid, _ in items])
    lexical.record_changes(list(old.values_list("pk", flat=True)))
    old.delete()
    n = indexing.bulk_write_documents(KIND, items)
    ids = list(
        SearchDocument.objects.filter(
            kind=KIND, object_id__in=[oid for oid, _ in items]
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        indexing._schedule_embedding(pk)
    return n


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
