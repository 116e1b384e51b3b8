"""Signing in: the failed-login limiter (django-axes) and how it names a user and an address."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LoginLimitBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Refuses sign-ins over HTTP for a locked-out user name or address; authenticates no one.

    ``authenticate()`` without a request (scripts, the test client's ``login()``) is not a
    sign-in from the network and is not limited. API bearer tokens never come here.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        return None


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """Failures count per user name whatever its case, so "An@X.vn" and "an@x.vn" add up."""
    raw = credentials.get("username") if credentials else request.POST.get("username")
    return str(raw or "").strip().lower()
