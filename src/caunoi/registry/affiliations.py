"""Links between outside users and registry organisations: requests, officers' decisions,
and who belongs where.

An outside user names their organisation at sign-up. When the e-mail address is confirmed
(``accounts.signals.email_verified``) a pending request is opened, already pointing at the
registry organisation of that name if exactly one matches; an administrator or unit officer
then approves it (linking the matched organisation, another existing one, or a new one made
from the claim) or rejects it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from caunoi.accounts.models import AuditEvent, OutsideKind, User
from caunoi.accounts.permissions import AnyUser
from caunoi.accounts.services import audit_record
from caunoi.core.errors import DomainError
from caunoi.registry.models import Affiliation, Organization
from vntext.normalize import fold, search_key

_LIVE = (Affiliation.State.PENDING, Affiliation.State.APPROVED)

# The kind of registry organisation made from a claim, by the kind of outside user.
_ORGANIZATION_KIND: dict[str, str] = {
    OutsideKind.ENTERPRISE: Organization.Kind.COMPANY,
    OutsideKind.RESEARCH: Organization.Kind.RESEARCH_INSTITUTE,
    OutsideKind.PROVIDER: Organization.Kind.COMPANY,
    OutsideKind.INTERMEDIARY: Organization.Kind.TECHNOLOGY_EXCHANGE,
    OutsideKind.EXPERT: Organization.Kind.OTHER,
}


# --- reads ---------------------------------------------------------------------------------


def approved_organization_ids(user: AnyUser) -> set[int]:
    """The organisations an officer has confirmed this (active) user belongs to."""
    if not isinstance(user, User) or not user.is_active or user.pk is None:
        return set()
    return set(
        Affiliation.objects.filter(
            user=user, state=Affiliation.State.APPROVED, organization__isnull=False
        ).values_list("organization_id", flat=True)
    )


def can_decide(user: AnyUser) -> bool:
    """Administrators and unit officers decide link requests."""
    return isinstance(user, User) and (user.is_admin or user.is_officer)


def affiliation_for_user(user: AnyUser, pk: Any, *, write: bool = False) -> Affiliation:
    """One request for this user: 404 if it is not theirs to see, 403 if not theirs to decide.

    Deciders see every request; an outside user sees only their own and decides none.
    """
    qs = Affiliation.objects.select_related("user", "organization", "decided_by")
    if not can_decide(user):
        if not isinstance(user, User) or not user.is_active:
            raise Http404
        qs = qs.filter(user=user)
    try:
        affiliation = qs.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write and not can_decide(user):
        raise PermissionDenied
    return affiliation


def affiliations_pending() -> models.QuerySet[Affiliation]:
    """The officers' queue: open requests of confirmed accounts, oldest first."""
    return (
        Affiliation.objects.filter(state=Affiliation.State.PENDING, user__is_active=True)
        .select_related("user", "organization")
        .order_by("requested_at", "id")
    )


def organizations_matching(name: str) -> list[Organization]:
    """Registry organisations whose name, English name, acronym or an alias is ``name``,
    ignoring case, diacritics and spacing ("vien vat ly" finds "Viện Vật lý")."""
    key = search_key(name)
    if not key:
        return []
    # Few thousand rows of four short columns: compared in Python, because SQLite's LOWER()
    # and LIKE fold ASCII letters only and Vietnamese names need the full fold.
    rows = Organization.objects.values_list("pk", "name_vi", "name_en", "acronym", "aliases")
    ids = [
        pk
        for pk, name_vi, name_en, acronym, aliases in rows
        if key in {search_key(n) for n in (name_vi, name_en, acronym, *(aliases or [])) if n}
    ]
    return list(Organization.objects.filter(pk__in=ids).order_by("name_vi"))


# --- writes --------------------------------------------------------------------------------


@transaction.atomic
def affiliation_request(
    *, user: User, organization: Organization | None = None, note: str = ""
) -> Affiliation:
    """An outside user asks to be linked to ``organization`` (None: to the one they named at
    sign-up, still to be found). Asking again for the same returns the open request."""
    if not (user.is_outside and user.is_active):
        raise DomainError(_("Only confirmed outside users ask to be linked to an organisation."))
    existing = Affiliation.objects.filter(user=user, organization=organization, state__in=_LIVE)
    if organization is None:
        existing = existing.filter(state=Affiliation.State.PENDING)
    found = existing.first()
    if found is not None:
        return found
    affiliation = Affiliation.objects.create(user=user, organization=organization, note=note)
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE,
        instance=affiliation,
        changes={
            "state": [None, affiliation.state],
            "organization": [None, str(organization) if organization else None],
        },
    )
    return affiliation


def request_for_claim(*, user: User) -> Affiliation | None:
    """Open the request for the organisation named at sign-up (on e-mail confirmation)."""
    if not (user.is_outside and user.claimed_organization):
        return None
    matches = organizations_matching(user.claimed_organization)
    return affiliation_request(user=user, organization=matches[0] if len(matches) == 1 else None)


def _organization_from_claim(*, user: User, claimant: User) -> Organization:
    from caunoi.registry.services import record_save
    from caunoi.taxonomy.models import Country

    name = claimant.claimed_organization
    if not name:
        message = _("The person named no organisation; choose an existing one.")
        raise DomainError(message, errors={"organization": [message]})
    base = slugify(fold(name))[:70] or "org"
    key, n = base, 1
    while Organization.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    country = Country.objects.filter(iso2=claimant.claimed_country).first()
    return record_save(
        user=user,
        instance=Organization(),
        data={
            "key": key,
            "name_vi": name,
            "kind": _ORGANIZATION_KIND.get(claimant.outside_kind, Organization.Kind.OTHER),
            "country": country,
        },
    )


@transaction.atomic
def affiliation_decide(
    *,
    user: User,
    affiliation: Affiliation,
    approve: bool,
    organization: Organization | None = None,
    note: str = "",
) -> Affiliation:
    """Approve or reject a pending request (administrators and unit officers only).

    Approving links ``organization`` when given, else the organisation the request names,
    else a new registry organisation made from the person's claim (name, country, a kind
    that fits theirs; internal until an administrator publishes it).
    """
    if not can_decide(user):
        raise PermissionDenied
    current = Affiliation.objects.select_for_update().select_related("user").get(pk=affiliation.pk)
    if current.state != Affiliation.State.PENDING:
        raise DomainError(_("This request has already been decided."))
    before = {
        "state": current.state,
        "organization": str(current.organization) if current.organization_id else None,
    }
    if approve:
        target = organization or current.organization
        if target is None:
            target = _organization_from_claim(user=user, claimant=current.user)
        taken = Affiliation.objects.filter(
            user=current.user, organization=target, state__in=_LIVE
        ).exclude(pk=current.pk)
        if taken.exists():
            message = _("This person is already linked to that organisation.")
            raise DomainError(message, errors={"organization": [message]})
        current.organization = target
        current.state = Affiliation.State.APPROVED
    else:
        current.state = Affiliation.State.REJECTED
    current.decided_by = user
    current.decided_at = timezone.now()
    current.note = note.strip()
    current.save()
    after = {
        "state": current.state,
        "organization": str(current.organization) if current.organization_id else None,
    }
    changes: dict[str, Any] = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if current.note:
        changes["note"] = [None, current.note]
    audit_record(actor=user, action=AuditEvent.Action.TRANSITION, instance=current, changes=changes)
    return current


def on_email_verified(sender: Any, user: User, **kwargs: Any) -> None:
    """Receiver of ``accounts.signals.email_verified`` (connected in the app's ready())."""
    request_for_claim(user=user)


# --- the account page ------------------------------------------------------------------------


def account_section_context(user: User) -> dict[str, Any] | None:
    """What the account page shows: an outside user's links; a decider's open queue."""
    if user.is_outside:
        return {
            "affiliations": list(
                Affiliation.objects.filter(user=user)
                .select_related("organization")
                .order_by("-requested_at", "-id")
            )
        }
    if can_decide(user):
        return {"decider": True, "pending_count": affiliations_pending().count()}
    return None


def connect() -> None:
    """Hook the links into accounts: e-mail confirmation opens a request; the account page
    shows them. Called once from the registry's AppConfig.ready()."""
    from caunoi.accounts.sections import AccountSection, register_account_section
    from caunoi.accounts.signals import email_verified

    email_verified.connect(on_email_verified, dispatch_uid="registry-affiliation-claim")
    register_account_section(
        AccountSection(
            key="registry-affiliations",
            template="registry/affiliations/account_section.html",
            context=account_section_context,
        )
    )
