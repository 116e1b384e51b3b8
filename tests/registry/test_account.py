"""A person's own page: API tokens created once, usable, revocable only by their owner."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from support import login

pytestmark = pytest.mark.django_db


def test_create_use_and_revoke_a_token(owner: Any, other: Any) -> None:
    client = login(owner)
    page = client.post("/accounts/me/", {"name": "báo cáo tự động"}).content.decode()
    raw = re.search(r'id="new-token">(cn_[^<]+)<', page)
    assert raw is not None
    headers = {"Authorization": f"Bearer {raw.group(1)}"}
    assert Client().get("/api/v1/agreements", headers=headers).status_code == 200
    token = owner.api_tokens.get()
    assert token.last_used_at is not None
    assert raw.group(1) not in client.get("/accounts/me/").content.decode()
    # Another person cannot revoke it.
    login(other).post("/accounts/me/", {"revoke": token.pk})
    assert owner.api_tokens.exists()
    client.post("/accounts/me/", {"revoke": token.pk})
    assert not owner.api_tokens.exists()
    assert Client().get("/api/v1/agreements", headers=headers).status_code == 401


def test_account_page_needs_sign_in() -> None:
    assert Client().get("/accounts/me/").status_code == 302
