"""Writes for accounts: users, sign-up of outside users, tokens and audit events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.accounts.models import ApiToken, AuditEvent, OutsideKind, Unit, User
from caunoi.accounts.signals import email_verified
from caunoi.core.errors import DomainError
from vntext.gazetteer import country_by_iso2


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


def audit_many(
    *,
    actor: User | None,
    action: str,
    instances: list[models.Model],
    changes: dict[str, Any] | None = None,
) -> None:
    """``audit_record`` for many records at once (a bulk import): one event each, written in
    one statement per batch."""
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor if actor is not None and actor.pk else None,
                actor_name=(actor.get_username() if actor is not None and actor.pk else "system"),
                action=action,
                model=instance._meta.label_lower,
                object_id=str(instance.pk),
                object_repr=str(instance)[:300],
                changes=changes or {},
            )
            for instance in instances
        ],
        batch_size=1000,
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
    outside_kind: str = "",
) -> User:
    """Create an account (staff, or an outside user already vouched for, as in the demo)."""
    with transaction.atomic():
        user = User(
            username=username,
            role=role,
            unit=unit,
            email=email,
            first_name=first_name,
            last_name=last_name,
            outside_kind=outside_kind,
        )
        if outside_kind:
            user.email_verified_at = timezone.now()
        validate_password(password, user)
        user.set_password(password)
        user.full_clean()
        user.save()
    return user


def api_token_create(*, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token valid for `days` (default `CAUNOI_API_TOKEN_DAYS`); the raw value is
    returned once and never stored."""
    if days is None:
        days = settings.CAUNOI_API_TOKEN_DAYS
    if days < 1:
        raise ValueError("A token is valid for at least one day.")
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[3:11],
        digest=ApiToken.digest_of(raw),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return token, raw


def api_token_authenticate(raw: str) -> User | None:
    """The token's user, or None for an unknown or expired token or an inactive user."""
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
    if token is None or token.is_expired or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def api_tokens_revoke_all(*, user: User, reason: str) -> int:
    """Delete every token of the user (their password changed); audited when any existed."""
    tokens = list(ApiToken.objects.filter(user=user).values_list("prefix", flat=True))
    if not tokens:
        return 0
    with transaction.atomic():
        ApiToken.objects.filter(user=user).delete()
        audit_record(
            actor=None,
            action=AuditEvent.Action.DELETE,
            instance=user,
            changes={"api_tokens": [sorted(tokens), []], "reason": reason},
        )
    return len(tokens)


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Delete one of the user's own tokens; returns whether one was deleted."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return deleted > 0


# --- Outside users: sign-up and e-mail verification ----------------------------------------

_VERIFY_SALT = "caunoi.accounts.email-verify"


def _split_full_name(full_name: str) -> tuple[str, str]:
    """Vietnamese order: the last word is the given name, the rest the family and middle names."""
    family, _sep, given = " ".join(full_name.split()).rpartition(" ")
    return given, family


def email_verify_token(user: User) -> str:
    """A signed, dated token naming the account and the address it was sent to."""
    return signing.dumps({"u": user.pk, "e": user.email}, salt=_VERIFY_SALT)


def _send_verification(user: User, site_url: str) -> None:
    link = site_url.rstrip("/") + reverse("email-verify", args=[email_verify_token(user)])
    context = {
        "user": user,
        "link": link,
        "days": settings.CAUNOI_EMAIL_VERIFY_DAYS,
    }
    subject = render_to_string("accounts/email/verify_subject.txt", context)
    body = render_to_string("accounts/email/verify_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def registration_errors(
    *, kind: str, full_name: str, email: str, organization: str, country: str = ""
) -> dict[str, list[str]]:
    """What is wrong with a sign-up, field by field (the password is checked with the user)."""
    errors: dict[str, list[str]] = {}
    if kind not in OutsideKind.values:
        errors["kind"] = [_("Choose what you are.")]
    if not full_name.strip():
        errors["full_name"] = [_("Enter your full name.")]
    if not organization.strip():
        errors["organization"] = [_("Enter the name of your organisation.")]
    if country.strip() and country_by_iso2(country) is None:
        errors["country"] = [_("Choose a country from the list.")]
    email = email.strip()
    if not email:
        errors["email"] = [_("Enter your e-mail address.")]
    elif User.objects.filter(
        models.Q(email__iexact=email) | models.Q(username__iexact=email)
    ).exists():
        errors["email"] = [
            _("An account with this e-mail address already exists. Sign in or reset the password.")
        ]
    return errors


def password_errors(*, password: str, email: str, full_name: str) -> list[str]:
    """Django's password validators, applied as for the user this sign-up would create."""
    given, family = _split_full_name(full_name)
    probe = User(username=email, email=email, first_name=given, last_name=family)
    try:
        validate_password(password, probe)
    except ValidationError as exc:
        return list(exc.messages)
    return []


@transaction.atomic
def outside_user_register(
    *,
    kind: str,
    full_name: str,
    email: str,
    password: str,
    organization: str,
    country: str = "",
    site_url: str,
) -> User:
    """Sign up an outside user. The account stays inactive until the e-mailed link is opened.

    ``site_url`` (scheme and host, e.g. ``https://caunoi.example.org``) starts the link.
    Raises DomainError naming each bad argument.
    """
    email = email.strip().lower()
    full_name = " ".join(full_name.split())
    organization = " ".join(organization.split())
    country = country.strip().upper()
    errors = registration_errors(
        kind=kind, full_name=full_name, email=email, organization=organization, country=country
    )
    given, family = _split_full_name(full_name)
    user = User(
        username=email,
        email=email,
        first_name=given[:150],
        last_name=family[:150],
        role=User.Role.EXTERNAL,
        outside_kind=kind,
        is_active=False,
        claimed_organization=organization[:300],
        claimed_country=country,
    )
    if problems := password_errors(password=password, email=email, full_name=full_name):
        errors["password"] = problems
    if errors:
        raise DomainError(_("Please correct the errors below."), errors=errors)
    user.set_password(password)
    try:
        user.full_clean()
    except ValidationError as exc:
        raise DomainError(_("Please correct the errors below."), errors=exc.message_dict) from exc
    user.save()
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE,
        instance=user,
        changes={
            "role": [None, user.role],
            "outside_kind": [None, user.outside_kind],
            "claimed_organization": [None, user.claimed_organization],
        },
    )
    transaction.on_commit(lambda: _send_verification(user, site_url))
    return user


@transaction.atomic
def email_verify(*, token: str) -> tuple[User, bool]:
    """Confirm the address a token was sent to and open the account.

    Returns the user and whether this call confirmed it (False: it was confirmed before).
    Sends ``accounts.signals.email_verified`` inside the transaction.
    """
    max_age = dt.timedelta(days=settings.CAUNOI_EMAIL_VERIFY_DAYS)
    try:
        data = signing.loads(token, salt=_VERIFY_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise DomainError(_("This confirmation link has expired. Ask for a new one.")) from exc
    except signing.BadSignature as exc:
        raise DomainError(_("This confirmation link is not valid.")) from exc
    user = None
    if isinstance(data, dict) and isinstance(data.get("u"), int):
        user = User.objects.select_for_update().filter(pk=data["u"], email=data.get("e")).first()
    if user is None or not user.is_outside:
        raise DomainError(_("This confirmation link is not valid."))
    if user.email_verified_at is not None:
        return user, False
    user.email_verified_at = timezone.now()
    user.is_active = True
    user.save(update_fields=["email_verified_at", "is_active"])
    audit_record(
        actor=user,
        action=AuditEvent.Action.UPDATE,
        instance=user,
        changes={
            "email_verified_at": [None, user.email_verified_at.isoformat()],
            "is_active": [False, True],
        },
    )
    email_verified.send(sender=User, user=user)
    return user, True


def email_verification_resend(*, email: str, site_url: str) -> None:
    """Send a new link to an account that signed up with this address and is not confirmed.

    Says nothing about whether such an account exists; at most one mail per address every
    few minutes (per process), so the form cannot flood a mailbox.
    """
    email = email.strip().lower()
    user = User.objects.filter(
        email__iexact=email,
        role=User.Role.EXTERNAL,
        is_active=False,
        email_verified_at__isnull=True,
    ).first()
    if user is None or not cache.add(f"caunoi:verify-resend:{user.pk}", 1, timeout=300):
        return
    transaction.on_commit(lambda: _send_verification(user, site_url))
