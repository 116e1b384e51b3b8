"""Who may see and change which record. Deny by default; every view and API call goes here.

- HTQT administrators read and change everything, and alone may publish.
- Unit officers read everything internal and change what their unit owns.
- Viewers read everything internal and change nothing.
- Outside users (enterprises, research organisations, technology providers, intermediaries,
  experts) sign in but are not network staff: like the public, they read only what is marked
  public (and, in the apps that have them, records that name them).
- Anonymous visitors (the public) read only what is marked public.

Reading goes through an entity's audience rule (``caunoi.core.audience``): the same rule
filters lists and fills the search index, so every path agrees.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from caunoi.accounts.models import User
from caunoi.core import audience
from caunoi.core.audience import PUBLISHED_OR_STAFF, AudienceRule

M = TypeVar("M", bound=models.Model)
AnyUser = User | AnonymousUser


def is_network_staff(user: Any) -> bool:
    """Members of the ministry's network: administrators, unit officers and viewers."""
    return isinstance(user, User) and user.is_network_staff


def principals(user: Any) -> audience.Reader | set[str]:
    """The audience tokens this user holds (registered with ``caunoi.core.audience``)."""
    if not isinstance(user, User):
        return set()
    if user.is_admin:
        return audience.EVERYTHING
    tokens = {audience.user(user.pk)}
    if is_network_staff(user):
        tokens.add(audience.STAFF)
        if user.unit_id:
            tokens.add(audience.unit(user.unit_id))
    return tokens


def is_staff_reader(user: AnyUser) -> bool:
    """Network staff read internal (non-public) records."""
    return audience.reader_for(user).is_staff


def visible(
    user: AnyUser, queryset: models.QuerySet[M], rule: AudienceRule = PUBLISHED_OR_STAFF
) -> models.QuerySet[M]:
    return audience.readable(user, rule, queryset)


def can_create(user: AnyUser) -> bool:
    return isinstance(user, User) and (user.is_admin or user.is_officer)


def can_edit(user: AnyUser, record: Any) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_admin:
        return True
    return bool(user.is_officer and user.unit_id and record.owner_unit_id == user.unit_id)


def can_publish(user: AnyUser) -> bool:
    return isinstance(user, User) and user.is_admin


def access_record(
    user: AnyUser,
    queryset: models.QuerySet[M],
    pk: Any,
    *,
    write: bool = False,
    rule: AudienceRule = PUBLISHED_OR_STAFF,
) -> M:
    """Fetch one record for this user: 404 if they may not see it, 403 if they may not change it."""
    try:
        record = visible(user, queryset, rule).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write and not can_edit(user, record):
        raise PermissionDenied
    return record
