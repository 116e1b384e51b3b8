"""Every write to the marketplace goes through here: validate, check permission and
ownership, claim the version (optimistic concurrency), save, audit, index.

The version check, snapshots and diffs are the registry's (``caunoi.registry.services``),
so a stale write is refused the same way everywhere (``ConflictError``: 412 in the API).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from caunoi.accounts.models import AuditEvent, User
from caunoi.accounts.permissions import AnyUser
from caunoi.accounts.services import audit_record
from caunoi.core.audience import AudienceRule
from caunoi.core.errors import DomainError
from caunoi.core.versioning import claim_version, diff, snapshot
from caunoi.market.audience import (
    PUBLISHED_OR_OWNER,
    REQUEST_AUDIENCE,
    TARGET_AUDIENCE,
    is_owner,
    organization_principals,
)
from caunoi.market.models import (
    OWNER_EDITABLE,
    WORKFLOW,
    Expert,
    Intermediary,
    MarketRecord,
    Status,
    TargetCompany,
    TechnologyOffer,
    TechnologyRequest,
)
from caunoi.registry.models import Organization
from caunoi.registry.services import _validation_errors

R = TypeVar("R", bound=models.Model)

# Fields only the workflow and the system set; never taken from input.
_SYSTEM = {
    "id",
    "status",
    "owner_user",
    "reviewed_by",
    "review_note",
    "published_at",
    "created_at",
    "updated_at",
    "version",
    "created_by",
}


def audience_of(model: type[models.Model]) -> AudienceRule:
    if model is TechnologyRequest:
        return REQUEST_AUDIENCE
    if model is TargetCompany:
        return TARGET_AUDIENCE
    return PUBLISHED_OR_OWNER


def is_officer(user: AnyUser) -> bool:
    """Administrators and unit officers review and publish marketplace records."""
    return isinstance(user, User) and (user.is_admin or user.is_officer)


def can_contribute(user: AnyUser) -> bool:
    """Outside users write offers, requests and profiles; officers too (for others)."""
    return isinstance(user, User) and user.is_active and (user.is_outside or is_officer(user))


def can_edit(user: AnyUser, record: Any) -> bool:
    if is_officer(user):
        return True
    if isinstance(record, TargetCompany) or not isinstance(user, User) or not user.is_active:
        return False
    return is_owner(user, record) and record.status in OWNER_EDITABLE


def readable(user: AnyUser, model: type[R], queryset: models.QuerySet[R] | None = None) -> Any:
    """The records of ``model`` this user may read (the one rule for lists, counts, API)."""
    from caunoi.core.audience import readable as audience_readable

    qs = model._default_manager.all() if queryset is None else queryset
    return audience_readable(user, audience_of(model), qs)


def record_for_user(user: AnyUser, model: type[R], pk: Any, *, write: bool = False) -> R:
    """One record for this user: 404 when they may not read it, 403 when not change it."""
    try:
        record = readable(user, model).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write and not can_edit(user, record):
        raise PermissionDenied
    return record  # type: ignore[no-any-return]


def allowed_transitions(user: AnyUser, record: MarketRecord) -> list[str]:
    """The statuses this user may move the record to now."""
    roles = set()
    if is_officer(user):
        roles.add("officer")
    if isinstance(user, User) and user.is_active and is_owner(user, record):
        roles.add("owner")
    return [to for (frm, to), who in WORKFLOW.items() if frm == record.status and roles & who]


def _organization_errors(user: User, organization: Organization | None) -> dict[str, list[str]]:
    """An outside user names as owner only an organisation they are confirmed to belong to."""
    if organization is None or is_officer(user):
        return {}
    if f"org:{organization.pk}" not in organization_principals(user):
        return {"owner_organization": [_("You are not a confirmed member of this organisation.")]}
    return {}


def _own_organization(user: User, organization: Organization | None) -> None:
    errors = _organization_errors(user, organization)
    if errors:
        raise DomainError(errors["owner_organization"][0], errors=errors)


# The date after which a record is no longer current (expiry, reminders).
_CURRENT_UNTIL: dict[type[models.Model], str] = {
    TechnologyOffer: "valid_until",
    TechnologyRequest: "deadline",
}


def past_date_errors(record: models.Model, today: dt.date | None = None) -> dict[str, list[str]]:
    """An offer valid until, or a request due by, a day already past (an error by field)."""
    field = _CURRENT_UNTIL.get(type(record))
    value = getattr(record, field) if field else None
    if field is None or value is None or value >= (today or timezone.localdate()):
        return {}
    label = str(getattr(record._meta.get_field(field), "verbose_name", field))
    message = _("“%(field)s” (%(date)s) is in the past: choose today or a later date.") % {
        "field": label[:1].upper() + label[1:],
        "date": value.strftime("%d/%m/%Y"),
    }
    return {field: [message]}


def validation_errors(instance: models.Model) -> dict[str, list[str]]:
    """Every error of the instance: fields, rules, constraints (writes nothing)."""
    errors: dict[str, list[str]] = {}
    try:
        instance.full_clean(validate_unique=True, validate_constraints=True)
    except ValidationError as exc:
        errors.update(_validation_errors(exc))
    return errors


def record_errors(
    *, user: User, instance: models.Model, data: Mapping[str, Any]
) -> dict[str, list[str]]:
    """Every error ``record_save`` would refuse these values with (the model's fields and
    rules, the owner organisation, a past date), by field; writes nothing: the checks run on
    a copy of the record. The API reports them beside the schema's errors in one answer."""
    import copy

    creating = instance.pk is None
    until = _CURRENT_UNTIL.get(type(instance))
    date_before = getattr(instance, until) if until and not creating else None
    trial = copy.copy(instance)
    for name, value in data.items():
        if name not in _SYSTEM:
            setattr(trial, name, value)
    if creating:
        if isinstance(trial, TargetCompany):
            trial.created_by = user
        else:
            trial.owner_user = user  # type: ignore[attr-defined]
            trial.status = Status.DRAFT  # type: ignore[attr-defined]
    errors = (
        _organization_errors(user, data["owner_organization"])
        if ("owner_organization" in data)
        else {}
    )
    for name, found in validation_errors(trial).items():
        errors.setdefault(name, []).extend(m for m in found if m not in errors.get(name, []))
    if until and (creating or getattr(trial, until) != date_before):
        for name, found in past_date_errors(trial).items():
            errors.setdefault(name, []).extend(found)
    return errors


@transaction.atomic
def record_save(
    *,
    user: User,
    instance: R,
    data: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
    expected_version: int | None = None,
) -> R:
    """Create (no pk) or update one marketplace record from validated values.

    A new record is the writer's, in draft (an officer's may go straight to published only
    through ``transition``). ``expected_version`` refuses a write based on an older version.
    """
    creating = instance.pk is None
    if creating and not can_contribute(user):
        raise DomainError(pgettext("market", "You do not have permission to create records."))
    if creating and isinstance(instance, TargetCompany) and not is_officer(user):
        raise DomainError(pgettext("market", "You do not have permission to create records."))
    if not creating and not can_edit(user, instance):
        raise DomainError(pgettext("market", "You do not have permission to change this record."))
    m2m = m2m or {}
    until = _CURRENT_UNTIL.get(type(instance))
    date_before = getattr(instance, until) if until and not creating else None
    was_published = getattr(instance, "status", None) == Status.PUBLISHED and not creating
    if not creating:
        claim_version(instance, expected_version, data, m2m)
    before = {} if creating else snapshot(instance, m2m.keys())
    for name, value in data.items():
        if name not in _SYSTEM:
            setattr(instance, name, value)
    if "owner_organization" in data:
        _own_organization(user, data["owner_organization"])
    now = timezone.now()
    if creating:
        if isinstance(instance, TargetCompany):
            instance.created_by = user
        else:
            instance.owner_user = user  # type: ignore[attr-defined]
            instance.status = Status.DRAFT  # type: ignore[attr-defined]
        instance.created_at = now  # type: ignore[attr-defined]
    instance.updated_at = now  # type: ignore[attr-defined]
    errors = validation_errors(instance)
    # A new record, or a changed date, may not already be past (an unchanged one may: an
    # expired record is edited before its date is extended).
    if until and (creating or getattr(instance, until) != date_before):
        for name, found in past_date_errors(instance).items():
            errors.setdefault(name, []).extend(found)
    if errors:
        raise DomainError(pgettext("market", "The record is not valid."), errors=errors)
    instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(list(values))
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
        instance=instance,
        changes=diff(before, snapshot(instance, m2m.keys())),
    )
    _reindex(instance)
    _rematch(instance, was_published)
    return instance


@transaction.atomic
def transition(
    *,
    user: User | None,
    record: MarketRecord,
    to: str,
    note: str = "",
    expected_version: int | None = None,
) -> MarketRecord:
    """Move a record through the workflow; ``user`` None is the system (expiry)."""
    frm = record.status
    allowed = WORKFLOW.get((frm, to))
    if allowed is None:
        message = _("A record cannot go from “%(from)s” to “%(to)s”.") % {
            "from": Status(frm).label if frm in Status.values else frm,
            "to": Status(to).label if to in Status.values else to,
        }
        raise DomainError(message, errors={"status": [message]})
    if user is not None and to not in allowed_transitions(user, record):
        raise DomainError(_("You do not have permission to change this record's status."))
    if to == Status.CHANGES_REQUESTED and user is not None and not note.strip():
        message = _("Write a note telling the writer what to change.")
        raise DomainError(message, errors={"note": [message]})
    if user is not None and to in (Status.SUBMITTED, Status.PUBLISHED):
        past = past_date_errors(record)
        if past:
            raise DomainError(next(iter(past.values()))[0], errors=past)
    claim_version(record, expected_version)
    record.status = to
    if user is not None and "officer" in allowed and is_officer(user):
        record.reviewed_by = user
    if note or to == Status.CHANGES_REQUESTED:
        record.review_note = note
    if to == Status.PUBLISHED:
        record.published_at = timezone.now()
    record.updated_at = timezone.now()
    record.save()
    audit_record(
        actor=user,
        action=AuditEvent.Action.TRANSITION,
        instance=record,
        changes={"status": [frm, to], **({"note": ["", note]} if note else {})},
    )
    _reindex(record)
    _rematch(record, frm == Status.PUBLISHED)
    record_transitioned.send(type(record), record=record, frm=frm, to=to, user=user, note=note)
    return record


def expire_due(today: dt.date | None = None) -> int:
    """Published offers past their validity and requests past their deadline: expired."""
    today = today or timezone.localdate()
    count = 0
    for model, field in ((TechnologyOffer, "valid_until"), (TechnologyRequest, "deadline")):
        due = model._default_manager.filter(status=Status.PUBLISHED, **{f"{field}__lt": today})
        for record in due:
            transition(user=None, record=record, to=Status.EXPIRED)
            count += 1
    return count


def review_queue() -> list[MarketRecord]:
    """What waits for an officer: submitted and in review, oldest first, all kinds."""
    waiting = (Status.SUBMITTED, Status.IN_REVIEW)
    items: list[MarketRecord] = []
    for model in (TechnologyOffer, TechnologyRequest, Intermediary, Expert):
        items.extend(
            model._default_manager.filter(status__in=waiting).select_related(
                "owner_user", "owner_organization"
            )
        )
    return sorted(items, key=lambda r: (r.updated_at, r.pk))


def submitted_on(records: list[MarketRecord]) -> dict[tuple[str, int], dt.datetime]:
    """When each record was last submitted (its latest move to “submitted” in the audit), by
    (model label, pk); one query for the whole queue."""
    if not records:
        return {}
    labels = {r._meta.label_lower for r in records}
    ids = {str(r.pk) for r in records}
    found: dict[tuple[str, int], dt.datetime] = {}
    events = AuditEvent.objects.filter(
        action=AuditEvent.Action.TRANSITION, model__in=labels, object_id__in=ids
    ).order_by("created_at")
    for event in events.only("model", "object_id", "changes", "created_at"):
        status = (event.changes or {}).get("status")
        if isinstance(status, list) and len(status) == 2 and status[1] == Status.SUBMITTED:
            found[(event.model, int(event.object_id))] = event.created_at
    return found


def _reindex(instance: models.Model) -> None:
    from caunoi.search.indexing import index_record

    index_record(instance)


# Sent after every write and transition of a record; the matching tasks listen
# (``tasks.schedule_matching``, connected in ``apps.ready``).
record_written = Signal()


# Sent after every transition (the notifications of approval and return listen,
# ``notices.record_transitioned``, connected in ``apps.ready``).
record_transitioned = Signal()


def _rematch(instance: models.Model, was_published: bool) -> None:
    record_written.send(type(instance), record=instance, was_published=was_published)
