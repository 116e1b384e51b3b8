"""API authentication: bearer tokens for machines, the session for the browser, else anonymous."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.utils import check_csrf

from caunoi.accounts.services import api_token_authenticate

_SAFE = {"GET", "HEAD", "OPTIONS"}


def request_user(request: HttpRequest) -> Any:
    """Return the caller: a token's user, the session's user, or AnonymousUser (truthy).

    A bad token is an error, never a silent fall-back to anonymous. Session writes need CSRF.
    """
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise AuthenticationError()
        token_user = api_token_authenticate(raw.strip())
        if token_user is None:
            raise AuthenticationError()
        request.user = token_user
        return token_user
    session_user: Any = getattr(request, "user", None) or AnonymousUser()
    if session_user.is_authenticated and request.method not in _SAFE and check_csrf(request):
        raise AuthenticationError()
    return session_user
