"""API tokens expire, and a new password revokes all of an account's tokens."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from support import login

pytestmark = pytest.mark.django_db


def _get(raw: str) -> Any:
    return Client().get("/api/v1/agreements", headers={"Authorization": f"Bearer {raw}"})


def test_a_fresh_token_works_and_an_expired_one_is_401(owner: Any, settings: Any) -> None:
    from caunoi.accounts.services import api_token_create

    settings.CAUNOI_API_TOKEN_DAYS = 90
    token, raw = api_token_create(user=owner, name="sync")
    assert token.expires_at is not None
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(
        minutes=1
    )
    assert _get(raw).status_code == 200
    type(token).objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = _get(raw)
    assert expired.status_code == 401
    assert set(expired.json()) == {"detail", "errors"}
    assert "đã hết hạn" in login(owner).get("/accounts/me/").content.decode()


def test_token_command_sets_the_lifetime(owner: Any) -> None:
    out = StringIO()
    call_command("token", "owner", "--days", "7", stdout=out)
    token = owner.api_tokens.get()
    assert token.expires_at is not None
    assert (
        dt.timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= dt.timedelta(days=7)
    )
    assert _get(out.getvalue().strip()).status_code == 200


def test_a_password_change_revokes_the_tokens(owner: Any, viewer: Any) -> None:
    from caunoi.accounts.models import AuditEvent
    from caunoi.accounts.services import api_token_create

    _t, raw = api_token_create(user=owner, name="sync")
    _t2, other_raw = api_token_create(user=viewer, name="sync")
    owner.first_name = "An"
    owner.save()  # a save that keeps the password keeps the tokens
    assert _get(raw).status_code == 200
    owner.set_password("Mat-khau-moi-2026")
    owner.save()
    assert _get(raw).status_code == 401
    assert not owner.api_tokens.exists()
    assert _get(other_raw).status_code == 200  # others' tokens are untouched
    event = AuditEvent.objects.get(model="accounts.user", object_id=str(owner.pk))
    assert event.changes["reason"] == "password changed"
    _t3, fresh = api_token_create(user=owner, name="new")
    assert _get(fresh).status_code == 200


def test_a_password_reset_revokes_the_tokens(make_outside: Any) -> None:
    from caunoi.accounts.services import api_token_create

    user = make_outside("provider", "tung")
    _t, raw = api_token_create(user=user, name="sync")
    assert _get(raw).status_code == 200
    client = Client()
    client.post("/accounts/password-reset/", {"email": "tung@example.vn"})
    link = re.search(r"https?://[^/\s]+(/accounts/password-reset/[^\s]+/)", mail.outbox[0].body)
    assert link is not None
    form_url = client.get(link.group(1))["Location"]
    done = client.post(
        form_url, {"new_password1": "Cam-bien-moi-2026", "new_password2": "Cam-bien-moi-2026"}
    )
    assert done.status_code == 302
    assert _get(raw).status_code == 401
