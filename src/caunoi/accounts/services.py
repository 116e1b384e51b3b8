"""Writes for accounts: users, tokens and audit events."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import models, transaction
from django.utils import timezone

from caunoi.accounts.models import ApiToken, AuditEvent, Unit, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    instance: models.Model,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(actor.get_username() if actor is not None and actor.pk else "system"),
        action=action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes or {},
    )


def user_create(
    *,
    username: str,
    password: str,
    role: str,
    unit: Unit | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    with transaction.atomic():
        user = User(
            username=username,
            role=role,
            unit=unit,
            email=email,
            first_name=first_name,
            last_name=last_name,
        )
        validate_password(password, user)
        user.set_password(password)
        user.full_clean()
        user.save()
    return user


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[3:11], digest=ApiToken.digest_of(raw)
    )
    return token, raw


def api_token_authenticate(raw: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Delete one of the user's own tokens; returns whether one was deleted."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return deleted > 0
