"""Ingestion: reading a stored document's file and writing everything derived from it.

``ingest`` writes the clean text, passages, their search documents and the mentions in one
transaction: either all of it or, on any error, nothing but the document's ``failed`` state
and the reason.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core.errors import DomainError
from caunoi.kb import extract, metadata, proposals
from caunoi.kb.models import Document, Kind, Language, Mention, Passage, PassageKind, State
from caunoi.kb.search import analyze, index_passages
from vntext.layout import clean_document, guess_language, passages

logger = logging.getLogger(__name__)


def ingest(document: Document, *, progress: Callable[[int, int], None] | None = None) -> None:
    """Read the document's file and write everything derived from it.

    Steps (``progress(done, 4)``): 1 the file is read; 2 its text is cleaned and cut into
    passages, which are analysed for search; 3 the text, passages and their search documents
    are written in one transaction, so the document is searchable when that commits, whole;
    4 its mentions are written (a second transaction: they are derived from the text and
    written again by any re-run), and for an agreement, MoU or project decision its draft
    registry record (``kb/proposals.py``; a proposal already decided is kept). Idempotent: a
    second run replaces everything with the same. On failure before 3 commits the document is
    marked ``failed`` with the reason and keeps nothing derived.
    """
    step = progress or (lambda done, total: None)
    Document.objects.filter(pk=document.pk).update(state=State.PROCESSING, error="")
    try:
        with document.file.open("rb") as fh:
            data = fh.read()
        read = extract.read_file(data)
        step(1, 4)
        clean = clean_document(read.pages, paged=read.paged)
        if not clean.text.strip():
            raise extract.UnreadableFile(_("No text was found in this document."))
        doc = Document.objects.get(pk=document.pk)
        _apply_metadata(doc, document, read, clean)
        rows = _passages(doc, clean)
        # The document's language is that of most of its text (an English article may cite
        # Vietnamese documents in its references).
        weights: Counter[str] = Counter()
        for p in rows:
            weights[p.language] += len(p.text)
        if weights:
            doc.language = weights.most_common(1)[0][0]
        analyzed = analyze(rows)
        step(2, 4)
        with transaction.atomic():
            _write(doc, rows, analyzed)
        step(3, 4)
    except Exception as exc:
        message = exc.message if isinstance(exc, DomainError) else _("The file could not be read.")
        if not isinstance(exc, DomainError):
            message = f"{message} ({type(exc).__name__})"
        Document.objects.filter(pk=document.pk).update(
            state=State.FAILED, error=message[:2000], updated_at=timezone.now()
        )
        document.state, document.error = State.FAILED, message
        if not isinstance(exc, DomainError):
            raise
        return
    with transaction.atomic():
        doc.mentions.all().delete()
        Mention.objects.bulk_create(metadata.mentions(doc), batch_size=500)
    # An agreement, MoU or project decision proposes a draft registry record (kept pending
    # for an officer; nothing is written to the registry here).
    try:  # the proposal is advisory: a drafting error never fails the ingestion
        with transaction.atomic():
            proposals.refresh(doc)
    except Exception:
        logger.exception("The record proposal of document %s failed", doc.pk)
    document.refresh_from_db()
    step(4, 4)


def _apply_metadata(doc: Document, original: Document, read: Any, clean: Any) -> None:
    doc.clean_text = clean.text
    doc.page_count = clean.pages
    doc.file_type = read.file_type
    doc.language = guess_language(clean.text[:20000])
    if doc.language not in Language.values:
        doc.language = Language.OTHER
    found = metadata.guess(clean.text, declared_title=read.title)
    # What the file says fills only what nobody has entered yet.
    if original.version == 1 and not original.ingested_at:
        for name, value in found.items():
            current = getattr(doc, name)
            if value and name != "title" and (not current or current == Kind.OTHER):
                setattr(doc, name, value)
        if found.get("title"):
            doc.title = found["title"][:500]


def _passages(doc: Document, clean: Any) -> list[Passage]:
    return [
        Passage(
            document=doc,
            ordinal=i,
            kind=PassageKind.FOOTNOTE if s.kind == "footnote" else PassageKind.BODY,
            text=clean.text[s.start : s.end],
            page=s.page,
            label=s.label[:200],
            start=s.start,
            end=s.end,
            language=_lang(clean.text[s.start : s.end], doc.language),
        )
        for i, s in enumerate(passages(clean))
    ]


def _write(doc: Document, rows: list[Passage], analyzed: list[Any]) -> None:
    from caunoi.search.indexing import unindex_record

    Document.objects.select_for_update().filter(pk=doc.pk).first()
    for old in Passage.objects.filter(document=doc).select_related("document"):
        unindex_record(old)
    Passage.objects.filter(document=doc).delete()
    doc.state = State.READY
    doc.error = ""
    doc.ingested_at = timezone.now()
    doc.updated_at = timezone.now()
    doc.save()
    Passage.objects.bulk_create(rows, batch_size=500)
    if any(p.pk is None for p in rows):  # backends that do not return ids
        ids = dict(Passage.objects.filter(document=doc).values_list("ordinal", "pk"))
        for p in rows:
            p.pk = ids[p.ordinal]
    index_passages(rows, analyzed)


def _lang(text: str, default: str) -> str:
    lang = guess_language(text)
    return lang if lang in Language.values and lang != "other" else default
