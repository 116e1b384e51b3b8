"""Password reset by e-mail, with Django's views and our templates."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from support import outside_password

pytestmark = pytest.mark.django_db


def test_reset_round_trip(make_outside: Any) -> None:
    user = make_outside("research", "lan")
    client = Client()
    page = client.get("/accounts/password-reset/").content.decode()
    assert "Đặt lại mật khẩu" in page
    response = client.post("/accounts/password-reset/", {"email": "LAN@example.vn"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lan@example.vn"]
    assert "mật khẩu mới" in mail.outbox[0].subject
    link = re.search(r"https?://[^/\s]+(/accounts/password-reset/[^\s]+/)", mail.outbox[0].body)
    assert link is not None, mail.outbox[0].body
    # Django swaps the token for a session value and redirects to the form.
    form_url = client.get(link.group(1))["Location"]
    assert "Mật khẩu mới" in client.get(form_url).content.decode()
    done = client.post(
        form_url, {"new_password1": "Mot-mat-khau-moi-77", "new_password2": "Mot-mat-khau-moi-77"}
    )
    assert done["Location"] == "/accounts/password-reset/complete/"
    fresh = Client()
    old = fresh.post("/accounts/login/", {"username": "lan", "password": outside_password("lan")})
    assert old.status_code == 200
    new = fresh.post("/accounts/login/", {"username": "lan", "password": "Mot-mat-khau-moi-77"})
    assert new.status_code == 302 and fresh.session["_auth_user_id"] == str(user.pk)
    # The link works once.
    assert "không hợp lệ" in Client().get(link.group(1), follow=True).content.decode()


def test_unknown_address_gets_the_same_answer_and_no_mail(viewer: Any) -> None:
    response = Client().post("/accounts/password-reset/", {"email": "nobody@example.vn"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []
