"""Reads of the knowledge base, always through the one audience rule."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from caunoi.kb.audience import DOCUMENT_AUDIENCE, PASSAGE_AUDIENCE, as_reader
from caunoi.kb.models import Document, Passage


def documents_for(who: Any) -> QuerySet[Document]:
    """The documents this user (or reader) may read."""
    return DOCUMENT_AUDIENCE.readable(as_reader(who), Document.objects.all())


def passages_for(who: Any) -> QuerySet[Passage]:
    """The passages this user (or reader) may read (those of readable documents)."""
    return PASSAGE_AUDIENCE.readable(as_reader(who), Passage.objects.all())


def document_for(who: Any, pk: Any) -> Document:
    """One document, or 404 when it does not exist or this user may not read it."""
    try:
        return documents_for(who).select_related("owner_unit", "superseded_by").get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
