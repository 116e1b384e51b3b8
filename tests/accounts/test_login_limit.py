"""Sign-in is refused for a while after repeated failures, per user name and per address;
API bearer tokens are not affected."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT


def _try(username: str, password: str, ip: str = "203.0.113.7") -> Any:
    return Client(REMOTE_ADDR=ip).post(
        "/accounts/login/", {"username": username, "password": password}
    )


def test_limit_per_user_name(owner: Any) -> None:
    from caunoi.accounts.services import api_token_create

    assert LIMIT == 5
    for n in range(LIMIT - 1):
        assert _try("owner", f"wrong-{n}", ip=f"198.51.100.{n}").status_code == 200
    locked = _try("OWNER", "wrong-again", ip="198.51.100.99")
    assert locked.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in locked.content.decode()
    # The right password does not help, from any address, while the lock lasts.
    refused = _try("owner", "pw-owner-123", ip="192.0.2.1")
    assert refused.status_code == 429 and "_auth_user_id" not in refused.client.session
    # Machine clients with a token go on working.
    _token, raw = api_token_create(user=owner, name="sync")
    api = Client().get("/api/v1/agreements", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 200


def test_limit_per_address_and_the_lock_ends(owner: Any, viewer: Any) -> None:
    from axes.models import AccessAttempt

    for n in range(LIMIT):
        _try(f"guess-{n}", "wrong")
    assert _try("viewer", "pw-viewer-123").status_code == 429
    assert _try("viewer", "pw-viewer-123", ip="192.0.2.50").status_code == 302
    # Once the cool-off time has passed since the last failure, the address may try again.
    AccessAttempt.objects.update(
        attempt_time=dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    )
    assert _try("owner", "pw-owner-123").status_code == 302


def test_a_success_clears_the_count(owner: Any) -> None:
    for n in range(LIMIT - 1):
        _try("owner", f"wrong-{n}")
    assert _try("owner", "pw-owner-123").status_code == 302
    for n in range(LIMIT - 1):
        assert _try("owner", f"wrong-{n}").status_code == 200


def test_a_new_password_lifts_the_lock_on_the_name(make_outside: Any) -> None:
    import re

    from django.core import mail

    make_outside("provider", "tung")
    for n in range(LIMIT):
        _try("tung", f"wrong-{n}", ip=f"198.51.100.{n}")
    assert _try("tung", "anything", ip="192.0.2.9").status_code == 429
    client = Client()
    client.post("/accounts/password-reset/", {"email": "tung@example.vn"})
    link = re.search(r"https?://[^/\s]+(/accounts/password-reset/[^\s]+/)", mail.outbox[0].body)
    assert link is not None
    form_url = client.get(link.group(1))["Location"]
    client.post(
        form_url, {"new_password1": "Cam-bien-moi-2026", "new_password2": "Cam-bien-moi-2026"}
    )
    assert _try("tung", "Cam-bien-moi-2026", ip="192.0.2.9").status_code == 302


def test_fifty_wrong_passwords_then_the_right_one_is_refused(owner: Any) -> None:
    """The reported attack: many guesses from one client, then the right password."""
    from caunoi.accounts.services import api_token_create

    client = Client(REMOTE_ADDR="203.0.113.50")
    answers = [
        client.post("/accounts/login/", {"username": "owner", "password": f"guess-{n}"}).status_code
        for n in range(50)
    ]
    assert answers[: LIMIT - 1] == [200] * (LIMIT - 1)
    assert set(answers[LIMIT:]) == {429}
    right = client.post("/accounts/login/", {"username": "owner", "password": "pw-owner-123"})
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    assert client.get("/accounts/me/").status_code == 302
    # The token endpoint (bearer tokens) is unaffected by the lock on the account.
    _token, raw = api_token_create(user=owner, name="sync")
    api = Client(REMOTE_ADDR="203.0.113.50").get(
        "/api/v1/agreements", headers={"Authorization": f"Bearer {raw}"}
    )
    assert api.status_code == 200
