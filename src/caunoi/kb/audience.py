"""Who may read a knowledge-base document: one rule for documents, their passages and their
mentions, on every path (lists, pages, search documents, downloads, the API, answers).

- ``public``: everyone, anonymous visitors included.
- ``staff``: network staff (``staff`` principal) and administrators.
- ``unit``: the staff of the owning unit (``unit:<id>``) and administrators.

Documents that are not ingested yet (or failed) are readable by the same people: the state is
shown to them, but only ready documents have passages, so search finds nothing else.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

from caunoi.core import audience
from caunoi.core.audience import PUBLIC, STAFF, Reader, reader_for

M = TypeVar("M", bound=models.Model)


def _unit_ids(reader: Reader) -> list[int]:
    out = []
    for token in reader.principals:
        if token.startswith("unit:") and token[5:].isdigit():
            out.append(int(token[5:]))
    return out


class DocumentAudience:
    """The rule over documents (``prefix=""``) or over rows that belong to one
    (``prefix="document__"``: passages, mentions)."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix

    def _document(self, obj: Any) -> Any:
        return obj.document if self.prefix else obj

    def tokens(self, obj: Any) -> tuple[str, ...]:
        doc = self._document(obj)
        if doc.audience == "public":
            return (PUBLIC,)
        if doc.audience == "unit" and doc.owner_unit_id:
            return (audience.unit(doc.owner_unit_id),)
        return (STAFF,)

    def q(self, reader: Reader) -> Q:
        p = self.prefix
        if reader.everything:
            return Q()
        q = Q(**{f"{p}audience": "public"})
        if STAFF in reader.principals:
            q |= Q(**{f"{p}audience": "staff"})
        units = _unit_ids(reader)
        if units:
            q |= Q(**{f"{p}audience": "unit", f"{p}owner_unit_id__in": units})
        return q

    def readable(self, reader: Reader, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        if reader.everything:
            return queryset
        return queryset.filter(self.q(reader))


DOCUMENT_AUDIENCE = DocumentAudience()
PASSAGE_AUDIENCE = DocumentAudience("document__")


def as_reader(who: Any) -> Reader:
    return who if isinstance(who, Reader) else reader_for(who)


def can_read(who: Any, document: Any) -> bool:
    return as_reader(who).can_read(DOCUMENT_AUDIENCE.tokens(document))
