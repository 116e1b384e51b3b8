"""Helpers shared by test modules (import from here, not from conftest)."""

from __future__ import annotations

import os
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


def outside_password(username: str) -> str:
    """The password the ``make_outside`` fixture gives an outside user."""
    return f"pw-{username}-123-ngoai"


def etag_of(client: Client, url: str, **headers: Any) -> str:
    """The `ETag` a GET of the record's API URL returns (for `If-Match` on writes)."""
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    return str(response["ETag"])
