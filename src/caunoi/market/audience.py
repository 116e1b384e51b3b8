"""Who may read marketplace records: one rule per record type, for every path (lists, pages,
search documents, counts, the API).

- Offers, experts, intermediaries: public once published; before (and after withdrawal) the
  writer (``user:<id>``), their organisation (``org:<id>``) and network staff.
- Requests: a published public or anonymous request is public, an officers-only one never
  is (staff and the writer only). An anonymous request's requester (writer and
  organisation) is shown to staff and to the requester alone: ``requester_visible``.
- Target companies: officers and administrators only (``TARGET_AUDIENCE``): viewers, like
  outside users and anonymous visitors, never see the register (lists, pages, the API, search
  and counts alike). Officers hold the ``officers`` principal (``officer_principals``).
- Expressions of interest: network staff; the sender; the owner of the offer or request
  (writer and organisation) once an officer forwarded it; its mediator (an intermediary's
  user an officer assigned). The sender of an anonymous expression is named to staff, the
  mediator and the sender alone (``sender_visible``); the owner of an anonymous request to
  staff, the mediator and the requester (``owner_visible``).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

from caunoi.core import audience
from caunoi.core.audience import PUBLIC, STAFF, Reader, reader_for
from caunoi.market.models import Confidentiality, Status

M = TypeVar("M", bound=models.Model)


def _ids(reader: Reader, prefix: str) -> list[int]:
    out = []
    for token in reader.principals:
        if token.startswith(prefix) and token[len(prefix) :].isdigit():
            out.append(int(token[len(prefix) :]))
    return out


def _owner_tokens(obj: Any) -> tuple[str, ...]:
    tokens = [STAFF, audience.user(obj.owner_user_id)]
    if obj.owner_organization_id:
        tokens.append(audience.org(obj.owner_organization_id))
    return tuple(tokens)


def _owned(reader: Reader) -> Q:
    return Q(owner_user_id__in=_ids(reader, "user:")) | Q(
        owner_organization_id__in=_ids(reader, "org:")
    )


class PublishedOrOwner:
    """Offers, experts, intermediaries."""

    def tokens(self, obj: Any) -> tuple[str, ...]:
        if obj.status == Status.PUBLISHED:
            return (PUBLIC,)
        return _owner_tokens(obj)

    def readable(self, reader: Reader, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        if reader.is_staff:
            return queryset
        return queryset.filter(Q(status=Status.PUBLISHED) | _owned(reader))


class RequestAudience(PublishedOrOwner):
    """Requests: as offers, except that an officers-only request is never public."""

    def tokens(self, obj: Any) -> tuple[str, ...]:
        if obj.status == Status.PUBLISHED and obj.confidentiality != Confidentiality.OFFICERS:
            return (PUBLIC,)
        return _owner_tokens(obj)

    def readable(self, reader: Reader, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        if reader.is_staff:
            return queryset
        public = Q(status=Status.PUBLISHED) & ~Q(confidentiality=Confidentiality.OFFICERS)
        return queryset.filter(public | _owned(reader))


OFFICERS = "officers"


class OfficersOnly:
    """Target companies: officers and administrators; nobody else, viewers included."""

    def admits(self, reader: Reader) -> bool:
        return reader.everything or OFFICERS in reader.principals

    def tokens(self, obj: Any) -> tuple[str, ...]:
        return (OFFICERS,)

    def readable(self, reader: Reader, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        return queryset if self.admits(reader) else queryset.none()


class InterestAudience:
    """Expressions of interest: staff, the sender, and the record's owner once forwarded."""

    def tokens(self, obj: Any) -> tuple[str, ...]:
        tokens = [STAFF, audience.user(obj.sender_id)]
        if obj.mediator_id:
            tokens.append(audience.user(obj.mediator_id))
        if obj.forwarded_at is not None:
            tokens.extend(t for t in _owner_tokens(obj.record) if t != STAFF)
        return tuple(tokens)

    def readable(self, reader: Reader, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        if reader.is_staff:
            return queryset
        users, orgs = _ids(reader, "user:"), _ids(reader, "org:")
        owned = (
            Q(offer__owner_user_id__in=users)
            | Q(offer__owner_organization_id__in=orgs)
            | Q(request__owner_user_id__in=users)
            | Q(request__owner_organization_id__in=orgs)
        )
        return queryset.filter(
            Q(sender_id__in=users)
            | Q(mediator_id__in=users)
            | (Q(forwarded_at__isnull=False) & owned)
        )


PUBLISHED_OR_OWNER = PublishedOrOwner()
INTEREST_AUDIENCE = InterestAudience()
REQUEST_AUDIENCE = RequestAudience()
TARGET_AUDIENCE = OfficersOnly()


def as_reader(who: Any) -> Reader:
    return who if isinstance(who, Reader) else reader_for(who)


def reads_targets(who: Any) -> bool:
    """Whether this user (or reader) may see the target-company register at all."""
    return TARGET_AUDIENCE.admits(as_reader(who))


def is_owner(who: Any, obj: Any) -> bool:
    """Whether this user (or reader) is the record's writer or of its organisation."""
    reader = as_reader(who)
    if audience.user(obj.owner_user_id) in reader.principals:
        return True
    return bool(
        obj.owner_organization_id and audience.org(obj.owner_organization_id) in reader.principals
    )


def requester_visible(who: Any, request_record: Any) -> bool:
    """Whether the requester of a request may be named to this user (or reader)."""
    if request_record.confidentiality != Confidentiality.ANONYMOUS:
        return True
    reader = as_reader(who)
    return reader.is_staff or is_owner(reader, request_record)


def interest_side(who: Any, interest: Any) -> str | None:
    """``"sender"`` or ``"owner"`` when this user is a party to the interest, ``"mediator"``
    when they mediate it, else None."""
    reader = as_reader(who)
    if audience.user(interest.sender_id) in reader.principals:
        return "sender"
    if interest.forwarded_at is not None and is_owner(reader, interest.record):
        return "owner"
    if interest.mediator_id and audience.user(interest.mediator_id) in reader.principals:
        return "mediator"
    return None


def is_mediator(who: Any, interest: Any) -> bool:
    return bool(
        interest.mediator_id and audience.user(interest.mediator_id) in as_reader(who).principals
    )


def sender_visible(who: Any, interest: Any) -> bool:
    """Whether the sender of an interest may be named to this user (or reader)."""
    if not interest.anonymous:
        return True
    reader = as_reader(who)
    return (
        reader.is_staff
        or audience.user(interest.sender_id) in reader.principals
        or is_mediator(reader, interest)
    )


def owner_visible(who: Any, interest: Any) -> bool:
    """Whether the owner of the record an interest is in may be named to this user: the
    requester of an anonymous request stays unnamed (``requester_visible``)."""
    if interest.request_id:
        return requester_visible(who, interest.request) or is_mediator(who, interest)
    return True


def organization_principals(user: Any) -> set[str]:
    """``org:<id>`` for each registry organisation an officer confirmed this user belongs to."""
    from caunoi.registry.affiliations import approved_organization_ids

    return {audience.org(pk) for pk in approved_organization_ids(user)}


def officer_principals(user: Any) -> set[str]:
    """``officers`` for a unit officer (administrators read everything anyway)."""
    return {OFFICERS} if getattr(user, "is_officer", False) else set()


def connect() -> None:
    """Outside users read what their organisation owns; officers the officers' records
    (registered once, in ready())."""
    audience.register_principals("market.organizations", organization_principals)
    audience.register_principals("market.officers", officer_principals)
