"""Every write of the knowledge base: uploads, ingestion, metadata edits, deletion.

- ``documents_upload`` checks each file (type by content, size), stores it once per content
  hash and queues its ingestion (``caunoi.kb.tasks.ingest_document``); a file already in the
  knowledge base is not stored again (a failed one is queued again); when the uploader may not
  read the stored one, they are told so and given nothing of it.
- ingestion itself is ``caunoi.kb.ingest.ingest``.
- ``document_update`` changes the metadata an officer may edit, refusing a write based on an
  older version, with an audit event; the passages' search documents follow.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caunoi.accounts import permissions
from caunoi.accounts.models import Unit, User
from caunoi.accounts.services import audit_record
from caunoi.core.errors import ConflictError, DomainError
from caunoi.core.versioning import claim_version
from caunoi.kb import extract
from caunoi.kb.audience import can_read
from caunoi.kb.models import (
    Audience,
    Document,
    State,
)
from caunoi.kb.search import index_passages

logger = logging.getLogger(__name__)

INGEST_LABEL = gettext_lazy("Read a knowledge-base document")

# Metadata an officer edits (the rest is read from the file or kept by the system).
EDITABLE = (
    "title",
    "kind",
    "number",
    "issuer",
    "signed_on",
    "effective_on",
    "status",
    "superseded_by",
    "language",
    "source_url",
    "audience",
    "owner_unit",
)


def can_upload(user: Any) -> bool:
    return permissions.can_create(user)


def can_edit(user: Any, document: Document) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_admin:
        return True
    return bool(user.is_officer and user.unit_id and document.owner_unit_id == user.unit_id)


def _check_audience(user: Any, audience: str, unit: Unit | None) -> None:
    if audience not in Audience.values:
        raise DomainError(_("Choose who may read the document."), errors={"audience": [audience]})
    if audience == Audience.PUBLIC and not permissions.can_publish(user):
        raise DomainError(
            _("Only administrators may make a document public."),
            errors={"audience": [_("Only administrators may make a document public.")]},
        )
    if audience == Audience.UNIT and unit is None:
        raise DomainError(
            _("A document for one unit needs its unit."),
            errors={"owner_unit": [_("Choose the unit.")]},
        )


@dataclass
class Upload:
    """What happened to one uploaded file."""

    name: str
    document: Document | None
    created: bool
    error: str = ""


def documents_upload(
    *,
    user: Any,
    files: Iterable[tuple[str, bytes]],
    audience: str = Audience.STAFF,
    owner_unit: Unit | None = None,
    run: Callable[[Document], None] | None = None,
) -> list[Upload]:
    """Store each file once (by content hash) and queue its ingestion.

    A refused file (type, size) is reported and stores nothing; the others go on. ``run``
    replaces queueing (``caunoi ingest`` reads the files in its own process).
    """
    if user is not None and not can_upload(user):
        raise DomainError(_("You do not have permission to add documents."))
    if owner_unit is None and isinstance(user, User):
        owner_unit = user.unit
    if user is not None:
        _check_audience(user, audience, owner_unit)
    results: list[Upload] = []
    for name, data in files:
        name = (name or "document").rsplit("/", 1)[-1][:255]
        try:
            results.append(_upload_one(user, name, data, audience, owner_unit, run))
        except extract.UnreadableFile as exc:
            results.append(Upload(name, None, False, exc.message))
    return results


def _upload_one(
    user: Any,
    name: str,
    data: bytes,
    audience: str,
    unit: Unit | None,
    run: Callable[[Document], None] | None,
) -> Upload:
    file_type = extract.check(data)
    digest = hashlib.sha256(data).hexdigest()
    existing = Document.objects.filter(content_hash=digest).first()
    if existing is not None:
        if user is not None and not can_read(user, existing):
            return _hidden(name)
        if existing.state == State.FAILED:
            _queue(existing, user, run)
        return Upload(name, existing, False)
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name).replace("_", " ").strip() or name
    try:
        with transaction.atomic():
            document = Document(
                title=stem[:500],
                content_hash=digest,
                original_name=name,
                file_type=file_type,
                size=len(data),
                audience=audience,
                owner_unit=unit,
                uploaded_by=user if isinstance(user, User) else None,
            )
            document.file.save(f"{digest[:16]}.{file_type}", ContentFile(data), save=False)
            document.save()
            audit_record(
                actor=user if isinstance(user, User) else None,
                action="create",
                instance=document,
                changes={"file": name},
            )
    except IntegrityError:  # the same file, uploaded at the same moment by someone else
        existing = Document.objects.get(content_hash=digest)
        if user is not None and not can_read(user, existing):
            return _hidden(name)
        return Upload(name, existing, False)
    _queue(document, user, run)
    document.refresh_from_db()
    return Upload(name, document, True)


def _hidden(name: str) -> Upload:
    """A file already stored under an audience the uploader may not read: said, and nothing
    of that document (its title, unit, audience or id) is given."""
    return Upload(
        name,
        None,
        False,
        _(
            "This file is already in the knowledge base, under an audience you may not read; "
            "it was not added again."
        ),
    )


def _queue(document: Document, user: Any, run: Callable[[Document], None] | None) -> None:
    Document.objects.filter(pk=document.pk).update(state=State.QUEUED, error="")
    if run is not None:
        run(document)
        return
    from caunoi.jobs.services import job_enqueue
    from caunoi.kb.tasks import ingest_document

    with transaction.atomic():
        job = job_enqueue(ingest_document, document.pk, label=INGEST_LABEL, user=user, total=4)
        Document.objects.filter(pk=document.pk).update(job=job)


# --- edits ----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    return value if value is None or isinstance(value, (int, str, bool)) else str(value)


def _conflict(document: Document, data: Mapping[str, Any]) -> ConflictError:
    current = Document.objects.filter(pk=document.pk).first()
    if current is None:
        return ConflictError(_("The document has been deleted by someone else."))
    theirs = {
        n: _plain(getattr(current, n))
        for n in data
        if _plain(getattr(current, n)) != _plain(getattr(document, n))
    }
    return ConflictError(
        _(
            "The document has been changed by someone else since you opened it; "
            "nothing was saved. Compare the saved values with yours and apply your "
            "changes again."
        ),
        current=theirs,
        yours={n: _plain(data[n]) for n in theirs},
        version=current.version,
        errors={n: [_("Saved meanwhile: %s") % v] for n, v in theirs.items()},
    )


def document_update(
    *,
    user: Any,
    document: Document,
    data: Mapping[str, Any],
    version: int | None,
    fields: Iterable[Any] | None = None,
) -> Document:
    """Change the document's metadata; refused when ``version`` is no longer the saved one."""
    if not can_edit(user, document):
        raise DomainError(_("You do not have permission to change this document."))
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    audience = data.get("audience", document.audience)
    unit = data.get("owner_unit", document.owner_unit)
    if audience != document.audience or "owner_unit" in data:
        _check_audience(user, audience, unit)
    if not str(data.get("title", document.title) or "").strip():
        raise DomainError(_("Enter a title."), errors={"title": [_("Enter a title.")]})
    if data.get("superseded_by") is not None and data["superseded_by"].pk == document.pk:
        raise DomainError(
            _("A document cannot supersede itself."),
            errors={"superseded_by": [_("A document cannot supersede itself.")]},
        )
    with transaction.atomic():
        claim_version(document, version, conflict=lambda: _conflict(document, data))
        doc = Document.objects.select_for_update().get(pk=document.pk)
        changes: dict[str, Any] = {}
        for name, value in data.items():
            old = getattr(doc, name)
            if _plain(old) != _plain(value):
                changes[name] = [_plain(old), _plain(value)]
                setattr(doc, name, value)
        if doc.title:
            doc.title = doc.title.strip()
        if fields is not None:
            new = sorted(f.pk for f in fields)
            old_fields = sorted(doc.fields.values_list("pk", flat=True))
            if new != old_fields:
                changes["fields"] = [old_fields, new]
                doc.fields.set(new)
        try:
            doc.full_clean(exclude=["file", "content_hash", "fields"])
        except Exception as exc:
            from django.core.exceptions import ValidationError

            if isinstance(exc, ValidationError):
                raise DomainError(
                    _("Please correct the errors below."),
                    errors={k: [str(m) for m in v] for k, v in exc.message_dict.items()},
                ) from exc
            raise
        doc.updated_at = timezone.now()
        doc.save()
        audit_record(actor=user, action="update", instance=doc, changes=changes)
        index_passages(doc.passages.select_related("document").all())
        if "kind" in changes and doc.is_ready:
            # Marked as an agreement or decision (or no longer): its pending proposal follows.
            from caunoi.kb.proposals import refresh

            try:  # the proposal is advisory: a drafting error never undoes the edit
                with transaction.atomic():
                    refresh(doc)
            except Exception:
                logger.exception("The record proposal of document %s failed", doc.pk)
    return doc


def document_delete(*, user: Any, document: Document) -> None:
    if not can_edit(user, document):
        raise DomainError(_("You do not have permission to delete this document."))
    with transaction.atomic():
        audit_record(actor=user, action="delete", instance=document)
        stored = document.file.name
        document.delete()
        if stored:
            transaction.on_commit(lambda: document.file.storage.delete(stored))
