"""Who may see and change which record. Deny by default; every view and API call goes here.

- HTQT administrators read and change everything, and alone may publish.
- Unit officers read everything internal and change what their unit owns.
- Viewers read everything internal and change nothing.
- Outside users (enterprises, research organisations, technology providers, intermediaries,
  experts) sign in but are not network staff: like the public, they read only what is marked
  public (and, in the apps that have them, records that name them).
- Anonymous visitors (the public) read only what is marked public.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from caunoi.accounts.models import User

M = TypeVar("M", bound=models.Model)
AnyUser = User | AnonymousUser


def is_staff_reader(user: AnyUser) -> bool:
    """Network staff (active administrators, officers, viewers) read internal records."""
    return isinstance(user, User) and user.is_network_staff


def visible(user: AnyUser, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    if is_staff_reader(user):
        return queryset
    return queryset.filter(is_public=True)


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
    user: AnyUser, queryset: models.QuerySet[M], pk: Any, *, write: bool = False
) -> M:
    """Fetch one record for this user: 404 if they may not see it, 403 if they may not change it."""
    try:
        record = visible(user, queryset).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write and not can_edit(user, record):
        raise PermissionDenied
    return record
