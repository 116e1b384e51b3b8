"""Every write to the registry goes through here: validate, check permission, save, audit.

Views, the API, imports and commands call these functions; none of them saves models itself.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import secrets
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from caunoi.accounts import permissions
from caunoi.accounts.models import AuditEvent, Unit, User
from caunoi.accounts.services import audit_record
from caunoi.core.errors import DomainError
from caunoi.core.versioning import SYSTEM_FIELDS, claim_version, diff, snapshot
from caunoi.registry import rules
from caunoi.registry.models import (
    AGREEMENT_TRANSITIONS,
    Agreement,
    AgreementDocument,
    AgreementParty,
    Organization,
)
from caunoi.registry.rules import Errors, Party

R = TypeVar("R", bound=models.Model)
F = TypeVar("F", bound=Callable[..., Any])


def _index_once(fn: F) -> F:
    """Index the records a service writes once, at its end (inside its transaction)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from caunoi.search.indexing import indexing_once

        with indexing_once():
            return fn(*args, **kwargs)

    return cast(F, wrapper)


def _validation_errors(exc: ValidationError) -> Errors:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def _validation_to_domain(exc: ValidationError) -> DomainError:
    return DomainError(_("The record is not valid."), errors=_validation_errors(exc))


def _invalid(errors: Errors) -> DomainError:
    return DomainError(_("The record is not valid."), errors=errors)


def _resolve_owner(user: User, requested: Unit | None, current: Unit | None) -> Unit:
    if user.is_admin:
        owner = requested or current or user.unit
        if owner is None:
            owner = Unit.objects.filter(code="htqt").first()
        if owner is None:
            message = _("Choose the owning unit.")
            raise DomainError(message, errors={"owner_unit": [message]})
        return owner
    if user.unit is None:
        raise DomainError(_("Your account belongs to no unit; ask an administrator."))
    if current is not None and current.pk != user.unit_id:
        raise DomainError(_("You may only change records owned by your unit."))
    return user.unit


def _require_permission(user: User, instance: models.Model) -> None:
    if instance.pk is None and not permissions.can_create(user):
        raise DomainError(_("You do not have permission to create records."))
    if instance.pk is not None and not permissions.can_edit(user, instance):
        raise DomainError(_("You do not have permission to change this record."))


def organization_key(instance: Organization, *, salt: str = "") -> str:
    """A free key made from the acronym or the name (``kist``, then ``kist-2``, ...);
    `salt` (a retry after a concurrent save took the key) is appended to the base."""
    base = slugify(instance.acronym or instance.name_en or instance.name_vi or "")[:70] or "org"
    if salt:
        base = f"{base[:64]}-{salt}"
    taken = set(
        Organization.objects.filter(key__startswith=base)
        .exclude(pk=instance.pk)
        .values_list("key", flat=True)
    )
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


def _stored_owner(instance: models.Model) -> Unit | None:
    """The owning unit of a saved record as it is stored (a form may have cleared it on the
    instance: an empty unit field means "keep" or "the saver's unit", never "none")."""
    if instance.owner_unit_id is not None:  # type: ignore[attr-defined]
        return instance.owner_unit  # type: ignore[attr-defined,no-any-return]
    stored = type(instance)._default_manager.filter(pk=instance.pk).values("owner_unit_id")
    return Unit.objects.filter(pk__in=stored).first()


def _apply(user: User, instance: models.Model, data: Mapping[str, Any]) -> None:
    """Put validated input onto the instance: fields, owning unit, publication, defaults."""
    creating = instance.pk is None
    for name, value in data.items():
        if name in SYSTEM_FIELDS or name in ("owner_unit", "is_public"):
            continue
        setattr(instance, name, value)
    current_owner = None if creating else _stored_owner(instance)
    instance.owner_unit = _resolve_owner(  # type: ignore[attr-defined]
        user, data.get("owner_unit"), current_owner
    )
    if "is_public" in data and permissions.can_publish(user):
        instance.is_public = bool(data["is_public"])  # type: ignore[attr-defined]
    elif creating:
        instance.is_public = False  # type: ignore[attr-defined]
    if isinstance(instance, Organization) and not instance.key:
        instance.key = organization_key(instance)


def _values(instance: models.Model) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in SYSTEM_FIELDS:
            continue
        try:
            values[field.name] = getattr(instance, field.name)
        except ObjectDoesNotExist:  # a required relation not set yet
            values[field.name] = None
    return values


def _model_errors(instance: models.Model, *, creating: bool) -> Errors:
    """Every error of the instance at once: field values, business rules, uniqueness and
    database constraints (a constraint on a field already reported is not reported again)."""
    errors: Errors = {}
    try:
        instance.clean_fields()
    except ValidationError as exc:
        rules.merge(errors, _validation_errors(exc))
    rules.merge(errors, rules.record_errors(type(instance), _values(instance), creating=creating))
    exclude = set(errors)
    for check in (
        instance.clean,
        lambda: instance.validate_unique(exclude=exclude),
        lambda: instance.validate_constraints(exclude=exclude),
    ):
        try:
            check()
        except ValidationError as exc:
            rules.merge(errors, _validation_errors(exc))
    return errors


def record_errors(*, user: User, instance: models.Model, data: Mapping[str, Any]) -> Errors:
    """What `record_save` would refuse in saving `data` onto `instance`; writes nothing.

    For callers that found errors of their own (unknown references in a payload) and report
    them together with the record's.
    """
    probe = copy.copy(instance)
    try:
        _apply(user, probe, data)
    except DomainError as exc:
        return dict(exc.errors) or {"__all__": [exc.message]}
    return _model_errors(probe, creating=instance.pk is None)


@transaction.atomic
@_index_once
def record_save(
    *,
    user: User,
    instance: R,
    data: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
    expected_version: int | None = None,
) -> R:
    """Create (instance.pk is None) or update one registry record from validated field values.

    Permission, ownership and publication rules are enforced here, not in the caller, and so
    are the business rules (`rules.record_errors`): a refused save names every bad field.
    Many-to-many fields are set only for the names in `m2m`. Every update raises the
    record's `version`; with `expected_version` (the version the writer read) an update of a
    record changed meanwhile is refused with `ConflictError` and writes nothing.
    """
    creating = instance.pk is None
    _require_permission(user, instance)
    m2m = m2m or {}
    if not creating:
        claim_version(instance, expected_version, data, m2m)
    before = {} if creating else snapshot(instance, m2m.keys())

    _apply(user, instance, data)
    now = timezone.now()
    if creating:
        instance.created_by = user  # type: ignore[attr-defined]
        instance.created_at = now  # type: ignore[attr-defined]
    instance.updated_at = now  # type: ignore[attr-defined]
    auto_key = isinstance(instance, Organization) and not data.get("key") and not before.get("key")
    errors = _model_errors(instance, creating=creating)
    if auto_key and "key" in errors:  # another save took the generated key meanwhile
        instance.key = organization_key(cast(Organization, instance))  # type: ignore[attr-defined]
        errors = _model_errors(instance, creating=creating)
    if errors:
        raise _invalid(errors)
    if auto_key:
        _save_with_free_key(cast(Organization, instance))
    else:
        instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(list(values))
    after = snapshot(instance, m2m.keys())
    if isinstance(instance, Organization) and before.get("country") != after.get("country"):
        country_links_refresh(
            agreements=list(
                AgreementParty.objects.filter(organization=instance).values_list(
                    "agreement_id", flat=True
                )
            ),
            projects=list(instance.project_roles.values_list("project_id", flat=True)),
        )
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
        instance=instance,
        changes=diff(before, after),
    )
    return instance


_KEY_ATTEMPTS = 8


def _save_with_free_key(organization: Organization) -> None:
    """Save an organisation whose key was generated, taking another key when a concurrent
    transaction committed the same one first (each attempt in a savepoint; the later ones
    add a random suffix, since uncommitted keys of other transactions are not visible)."""
    for attempt in range(_KEY_ATTEMPTS):
        try:
            with transaction.atomic():
                organization.save()
            return
        except IntegrityError:
            taken = Organization.objects.filter(key=organization.key).exclude(pk=organization.pk)
            if attempt == _KEY_ATTEMPTS - 1 or not taken.exists():
                raise
            organization.pk = None if organization._state.adding else organization.pk
            salt = secrets.token_hex(3) if attempt >= 2 else ""
            organization.key = organization_key(organization, salt=salt)


@transaction.atomic
def record_delete(
    *, user: User, instance: models.Model, expected_version: int | None = None
) -> None:
    """Delete a record; with `expected_version`, only if nobody changed it since."""
    if not permissions.can_edit(user, instance):
        raise DomainError(_("You do not have permission to delete this record."))
    claim_version(instance, expected_version)
    audit_record(actor=user, action=AuditEvent.Action.DELETE, instance=instance)
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError as exc:
        raise DomainError(
            _("This record is still referenced by other records and cannot be deleted.")
        ) from exc


def _search_index(instance: models.Model) -> None:
    """Reindex a record in this transaction after writes that send no model signals."""
    from caunoi.search.indexing import index_record

    index_record(instance)


# --- Agreements -----------------------------------------------------------------------------


def _agreement_own_errors(
    agreement: Agreement, data: Mapping[str, Any], parties: list[Party] | None
) -> Errors:
    """The agreement rules beyond one record's values: the status and the parties."""
    errors: Errors = {}
    status = data.get("status")
    if agreement.pk is not None and status is not None and status != agreement.status:
        message = _("Change the status with POST /agreements/{id}/transition.")
        errors["status"] = [message]
    if parties is not None or agreement.pk is None:
        rules.merge(errors, rules.party_errors(parties or []))
    return errors


def agreement_errors(
    *,
    user: User,
    agreement: Agreement,
    data: Mapping[str, Any],
    parties: Iterable[Party] | None = None,
) -> Errors:
    """What `agreement_save` would refuse; writes nothing (see `record_errors`)."""
    listed = None if parties is None else list(parties)
    errors = _agreement_own_errors(agreement, data, listed)
    data = {k: v for k, v in data.items() if not (k == "status" and agreement.pk is not None)}
    return rules.merge(errors, record_errors(user=user, instance=agreement, data=data))


@transaction.atomic
@_index_once
def agreement_save(
    *,
    user: User,
    agreement: Agreement,
    data: Mapping[str, Any],
    fields: Iterable[Any] | None = None,
    parties: Iterable[Party] | None = None,
    expected_version: int | None = None,
) -> Agreement:
    """Save an agreement with its fields of S&T and its parties (None: keep them).

    `expected_version` as for `record_save`.

    `status` is taken only on creation; afterwards a different status is refused (changes
    are transitions). `parties` is a list of (side, country, organization) with exactly one
    of the last two set; a new agreement needs at least one foreign party, the Vietnamese
    side names only Viet Nam or Vietnamese organisations (`rules.party_errors`).
    """
    _require_permission(user, agreement)
    listed = None if parties is None else list(parties)
    if _agreement_own_errors(agreement, data, listed):
        raise _invalid(agreement_errors(user=user, agreement=agreement, data=data, parties=listed))
    data = dict(data)
    if agreement.pk is not None:
        data.pop("status", None)
    m2m = {} if fields is None else {"fields": fields}
    agreement = record_save(
        user=user, instance=agreement, data=data, m2m=m2m, expected_version=expected_version
    )
    if listed is not None:
        before = sorted(str(p) + "/" + p.side for p in agreement.parties.all())
        agreement.parties.all().delete()
        rows = []
        for side, country, organization in listed:
            party = AgreementParty(
                agreement=agreement, side=side, country=country, organization=organization
            )
            try:
                party.full_clean()
            except ValidationError as exc:
                raise _validation_to_domain(exc) from exc
            rows.append(party)
        AgreementParty.objects.bulk_create(rows)
        country_links_refresh(agreements=[agreement.pk], projects=[])
        _search_index(agreement)  # bulk_create sends no signals; after the derived countries
        after = sorted(str(p) + "/" + p.side for p in rows)
        if before != after:
            audit_record(
                actor=user,
                action=AuditEvent.Action.UPDATE,
                instance=agreement,
                changes={"parties": [before, after]},
            )
    return agreement


def allowed_transitions(agreement: Agreement, *, today: dt.date | None = None) -> list[str]:
    """The statuses the agreement may move to now: "expired" only once its expiry date
    has passed ("renewed" also needs a new expiry date, asked for with the change)."""
    allowed = set(AGREEMENT_TRANSITIONS.get(agreement.status, frozenset()))
    if _expiry_not_passed(agreement, today or timezone.localdate()):
        allowed.discard(Agreement.Status.EXPIRED)
    return sorted(allowed)


def _expiry_not_passed(agreement: Agreement, today: dt.date) -> bool:
    return agreement.expires_on is None or agreement.expires_on >= today


@transaction.atomic
def agreement_transition(
    *,
    user: User | None,
    agreement: Agreement,
    to_status: str,
    expires_on: dt.date | None = None,
    system: bool = False,
    today: dt.date | None = None,
    expected_version: int | None = None,
) -> Agreement:
    """Move an agreement along its lifecycle; refuses any change not in AGREEMENT_TRANSITIONS.

    "expired" needs the expiry date to have passed; "renewed" needs ``expires_on``, the new
    expiry date, later than the current one (and than today). Raises the version;
    `expected_version` as for `record_save`.
    """
    if not system and (user is None or not permissions.can_edit(user, agreement)):
        raise DomainError(_("You do not have permission to change this record."))
    claim_version(agreement, expected_version, {"status": to_status})
    if to_status not in Agreement.Status.values:
        raise DomainError(_("Unknown status."), errors={"status": [_("Unknown status.")]})
    if to_status not in AGREEMENT_TRANSITIONS.get(agreement.status, frozenset()):
        message = _("An agreement cannot go from “%(old)s” to “%(new)s”.") % {
            "old": Agreement.Status(agreement.status).label,
            "new": Agreement.Status(to_status).label,
        }
        raise DomainError(message, errors={"status": [message]})
    if to_status == Agreement.Status.SIGNED and agreement.signed_on is None:
        message = _("Enter the signing date before marking the agreement as signed.")
        raise DomainError(message, errors={"signed_on": [message]})
    today = today or timezone.localdate()
    if to_status == Agreement.Status.EXPIRED and _expiry_not_passed(agreement, today):
        if agreement.expires_on is None:
            message = _("The agreement has no expiry date, so it cannot be marked as expired.")
        else:
            message = _(
                "The agreement expires on %(date)s; "
                "it can be marked as expired only after that date."
            ) % {"date": agreement.expires_on.strftime("%d/%m/%Y")}
        raise DomainError(message, errors={"expires_on": [message]})
    changes: dict[str, list[Any]] = {"status": [agreement.status, to_status]}
    fields = ["status", "updated_at", "version"]
    if to_status == Agreement.Status.RENEWED:
        current = agreement.expires_on
        if expires_on is None:
            message = _("Enter the new expiry date to renew the agreement.")
            raise DomainError(message, errors={"expires_on": [message]})
        if (current is not None and expires_on <= current) or expires_on <= today:
            message = _(
                "The new expiry date must be later than the current one (%(date)s) and than today."
            ) % {"date": current.strftime("%d/%m/%Y") if current else "—"}
            raise DomainError(message, errors={"expires_on": [message]})
        changes["expires_on"] = [current.isoformat() if current else None, expires_on.isoformat()]
        agreement.expires_on = expires_on
        fields.append("expires_on")
    agreement.status = to_status
    agreement.updated_at = timezone.now()
    agreement.save(update_fields=fields)
    audit_record(
        actor=user,
        action=AuditEvent.Action.TRANSITION,
        instance=agreement,
        changes=changes,
    )
    return agreement


def agreements_expiring(*, today: dt.date | None = None, window_days: int | None = None) -> Any:
    today = today or timezone.localdate()
    window = settings.CAUNOI_EXPIRY_WINDOW_DAYS if window_days is None else window_days
    return (
        Agreement.objects.filter(
            status__in=[
                Agreement.Status.IN_FORCE,
                Agreement.Status.EXPIRING,
                Agreement.Status.RENEWED,
            ],
            expires_on__isnull=False,
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=window),
        )
        .select_related("owner_unit")
        .order_by("expires_on")
    )


@transaction.atomic
def agreements_refresh_statuses(
    *, today: dt.date | None = None, window_days: int | None = None
) -> dict[str, int]:
    """Daily job: flag agreements entering the expiry window, expire those past their date.

    Agreements that renew automatically are never expired by this job.
    """
    today = today or timezone.localdate()
    flagged = expired = 0
    for agreement in agreements_expiring(today=today, window_days=window_days).exclude(
        status=Agreement.Status.EXPIRING
    ):
        agreement_transition(
            user=None, agreement=agreement, to_status=Agreement.Status.EXPIRING, system=True
        )
        flagged += 1
    past = Agreement.objects.filter(
        status__in=[Agreement.Status.IN_FORCE, Agreement.Status.EXPIRING, Agreement.Status.RENEWED],
        expires_on__lt=today,
    )
    renewed = 0
    for agreement in past:
        if agreement.auto_renew:
            _agreement_auto_renew(agreement, today)
            renewed += 1
        else:
            agreement_transition(
                user=None,
                agreement=agreement,
                to_status=Agreement.Status.EXPIRED,
                system=True,
                today=today,
            )
            expired += 1
    return {"flagged": flagged, "expired": expired, "renewed": renewed}


def _agreement_auto_renew(agreement: Agreement, today: dt.date) -> None:
    """Extend an automatically renewing agreement by its own term (five years if unknown)
    until it runs past today, and mark it renewed."""
    assert agreement.expires_on is not None
    start = agreement.effective_on or agreement.signed_on
    term = (agreement.expires_on - start) if start else dt.timedelta(days=5 * 365)
    term = max(term, dt.timedelta(days=365))
    old_expiry = agreement.expires_on
    new_expiry = old_expiry
    while new_expiry <= today:
        new_expiry += term
    if agreement.status != Agreement.Status.RENEWED:
        agreement_transition(
            user=None,
            agreement=agreement,
            to_status=Agreement.Status.RENEWED,
            expires_on=new_expiry,
            system=True,
            today=today,
        )
        return
    claim_version(agreement, None)
    agreement.expires_on = new_expiry
    agreement.save(update_fields=["expires_on", "version"])
    audit_record(
        actor=None,
        action=AuditEvent.Action.UPDATE,
        instance=agreement,
        changes={"expires_on": [old_expiry.isoformat(), new_expiry.isoformat()]},
    )


# --- Source documents -----------------------------------------------------------------------

# Accepted document types: extension -> (content type, magic prefix check).
_DOCUMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    ".txt": ("text/plain", ()),
    ".html": ("text/html", ()),
}


def _check_upload(upload: UploadedFile[bytes]) -> tuple[str, bytes]:
    name = upload.name or ""
    ext = Path(name).suffix.lower()
    if ext not in _DOCUMENT_TYPES:
        message = _("Unsupported file type. Accepted: PDF, DOCX, DOC, TXT, HTML.")
        raise DomainError(message, errors={"file": [message]})
    size = upload.size or 0
    if size > settings.CAUNOI_UPLOAD_MAX_BYTES:
        message = _("The file is too large (limit %(mb)d MB).") % {
            "mb": settings.CAUNOI_UPLOAD_MAX_BYTES // (1024 * 1024)
        }
        raise DomainError(message, errors={"file": [message]})
    if size == 0:
        message = _("The file is empty.")
        raise DomainError(message, errors={"file": [message]})
    content_type, magics = _DOCUMENT_TYPES[ext]
    content = upload.read()
    if magics and not any(content.startswith(m) for m in magics):
        message = _("The file's content does not match its type.")
        raise DomainError(message, errors={"file": [message]})
    if not magics:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as exc:
            message = _("A text file must be UTF-8 encoded.")
            raise DomainError(message, errors={"file": [message]}) from exc
    return content_type, content


@transaction.atomic
def agreement_attach_document(
    *, user: User, agreement: Agreement, upload: UploadedFile[bytes], title: str = ""
) -> AgreementDocument:
    if not permissions.can_edit(user, agreement):
        raise DomainError(_("You do not have permission to change this record."))
    content_type, content = _check_upload(upload)
    document = AgreementDocument(
        agreement=agreement,
        title=(title or Path(upload.name or "document").stem)[:300],
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    document.file.save(Path(upload.name or "document").name, ContentFile(content), save=False)
    document.save()
    audit_record(
        actor=user,
        action=AuditEvent.Action.ATTACH,
        instance=agreement,
        changes={"documents": [None, document.title]},
    )
    return document


# --- Projects -------------------------------------------------------------------------------


@transaction.atomic
@_index_once
def project_save(
    *,
    user: User,
    project: Any,
    data: Mapping[str, Any],
    fields: Iterable[Any] | None = None,
    partners: Iterable[Any] | None = None,
    expected_version: int | None = None,
) -> Any:
    """Save a project with its fields of S&T and implementing partners (None: keep them);
    the funder is kept as a funding participant. `expected_version` as for `record_save`."""
    from caunoi.registry.models import ProjectParticipant

    m2m = {} if fields is None else {"fields": fields}
    project = record_save(
        user=user, instance=project, data=data, m2m=m2m, expected_version=expected_version
    )
    implementing = ProjectParticipant.Role.IMPLEMENTING
    current = {(p.organization_id, p.role): p for p in project.participants.all()}
    if partners is None:
        wanted = {key for key in current if key[1] != ProjectParticipant.Role.FUNDING}
    else:
        wanted = {(o.pk, implementing) for o in partners}
    if project.funder_id:
        wanted.add((project.funder_id, ProjectParticipant.Role.FUNDING))
    for key, participant in current.items():
        if key not in wanted:
            participant.delete()
    ProjectParticipant.objects.bulk_create(
        [
            ProjectParticipant(project=project, organization_id=org_id, role=role)
            for org_id, role in wanted
            if (org_id, role) not in current
        ]
    )
    country_links_refresh(agreements=[], projects=[project.pk])
    _search_index(project)  # bulk_create sends no signals; after the derived countries
    return project


def country_links_refresh(
    *, agreements: Iterable[int] | None = None, projects: Iterable[int] | None = None
) -> None:
    """Re-derive the countries of agreements (parties) and projects (funder, participants).

    None means all records of that kind (bulk loaders); an empty list means none. A service
    saving one record passes that record and an empty list for the other kind, so concurrent
    saves touch disjoint rows. Only the differences are written (rows no longer derived are
    deleted, new ones inserted ignoring a row another transaction inserted meanwhile), so
    two saves of the same record do not collide either.
    """
    from caunoi.registry.models import Project, ProjectParticipant

    a_ids = None if agreements is None else list(agreements)
    p_ids = None if projects is None else list(projects)
    if a_ids is None or a_ids:
        a_scope = AgreementParty.objects.all()
        if a_ids is not None:
            a_scope = a_scope.filter(agreement_id__in=a_ids)
        pairs = {(a, c) for a, c in a_scope.values_list("agreement_id", "country_id") if c}
        pairs |= {
            (a, c) for a, c in a_scope.values_list("agreement_id", "organization__country_id") if c
        }
        through = Agreement.countries.through
        old = through.objects.all()
        if a_ids is not None:
            old = old.filter(agreement_id__in=a_ids)
        _links_replace(
            old, "agreement_id", pairs, lambda a, c: through(agreement_id=a, country_id=c)
        )
    if p_ids is None or p_ids:
        p_scope = ProjectParticipant.objects.all()
        f_scope = Project.objects.exclude(funder__country__isnull=True)
        if p_ids is not None:
            p_scope = p_scope.filter(project_id__in=p_ids)
            f_scope = f_scope.filter(pk__in=p_ids)
        pairs = {
            (p, c) for p, c in p_scope.values_list("project_id", "organization__country_id") if c
        }
        pairs |= set(f_scope.values_list("pk", "funder__country_id"))
        p_through = Project.countries.through
        p_old = p_through.objects.all()
        if p_ids is not None:
            p_old = p_old.filter(project_id__in=p_ids)
        _links_replace(
            p_old, "project_id", pairs, lambda p, c: p_through(project_id=p, country_id=c)
        )


def _links_replace(
    old: models.QuerySet[Any],
    owner: str,
    pairs: set[tuple[int, str]],
    make: Callable[[int, str], models.Model],
) -> None:
    """Make the derived rows in `old` equal `pairs`, writing only the differences."""
    current = set(old.values_list("pk", owner, "country_id"))
    stale = [pk for pk, o, c in current if (o, c) not in pairs]
    if stale:
        old.filter(pk__in=stale).delete()
    missing = pairs - {(o, c) for _, o, c in current}
    if missing:
        model = type(make(0, ""))
        model._default_manager.bulk_create(
            [make(o, c) for o, c in sorted(missing)], batch_size=5000, ignore_conflicts=True
        )
