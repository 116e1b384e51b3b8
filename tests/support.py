"""Helpers shared by test modules (import from here, not from conftest)."""

from __future__ import annotations

import hashlib
import os
import re
from typing import Any

import pytest
from django.test import Client

SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "shared")


def shared_path(*parts: str) -> str:
    """A path under ../shared; skips (or fails under CI=true) when it is absent."""
    path = os.path.normpath(os.path.join(SHARED, *parts))
    if not os.path.exists(path):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is required under CI=true but is missing")
        pytest.skip(f"{path} not present (a fresh clone without the shared data)")
    return path


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sign_in(page: Any, live_server: Any, username: str, password: str | None = None) -> None:
    """Sign in through the browser's login page (a staff fixture's password by default) and
    wait for the home page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or f"pw-{username}-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def outside_password(username: str) -> str:
    """The password the ``make_outside`` fixture gives an outside user: one per name, but not
    containing it (the password validators refuse one too similar to the user's name)."""
    return f"Ngoai-{hashlib.sha256(username.encode()).hexdigest()[:12]}-2026"


def etag_of(client: Client, url: str, **headers: Any) -> str:
    """The `ETag` a GET of the record's API URL returns (for `If-Match` on writes)."""
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    return str(response["ETag"])


def opened_form(client: Client, slug: str, record: Any, user: Any) -> dict[str, Any]:
    """What a browser sends back from the edit page as it was rendered, unchanged."""
    page = client.get(f"/registry/{slug}/{record.pk}/edit/")
    assert page.status_code == 200
    found = re.search(r'name="version" value="(\d+)"', page.content.decode())
    assert found, "the edit form carries the version"
    from caunoi.registry.entities import ENTITIES

    form = ENTITIES[slug].form(instance=record, user=user)
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or value == []:
            continue
        data[name] = "on" if value is True else value
    data["version"] = found[1]
    return data
