"""Searches per minute per client: the search page, GET /api/v1/search and every list
filtered by ``q`` (page or API) count; past the limit the answer is 429.

``CAUNOI_SEARCH_RATE`` is "anonymous,signed-in" searches per minute ("60,240"), or "off".
A signed-in caller counts per user, an API token per token, anyone else per address.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from caunoi.core.middleware import API_PREFIX
from caunoi.core.ratelimit import client_ip, hit


def rates() -> tuple[int, int] | None:
    """(anonymous, signed-in) searches per minute, None when the limit is off."""
    value = str(settings.CAUNOI_SEARCH_RATE).strip().lower()
    if value in ("", "0", "off", "none"):
        return None
    anonymous, _sep, signed_in = value.partition(",")
    return int(anonymous), int(signed_in or anonymous)


def _client(request: HttpRequest) -> tuple[str, bool]:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}", True
    scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and raw.strip():  # a bad token is refused before any search
        return "t" + hashlib.sha256(raw.strip().encode()).hexdigest()[:32], True
    return "a" + client_ip(request), False


class SearchRateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limits = rates()
        if limits and request.GET.get("q", "").strip():
            client, signed_in = _client(request)
            allowed, retry = hit("search", client, limits[1] if signed_in else limits[0])
            if not allowed:
                return self.refuse(request, retry)
        return self.get_response(request)

    def refuse(self, request: HttpRequest, retry: int) -> HttpResponse:
        message = _("Too many searches in a short time. Please wait a minute and try again.")
        response: HttpResponse
        if request.path_info.startswith(API_PREFIX):
            response = JsonResponse({"detail": message, "errors": {}}, status=429)
        else:
            response = render(request, "search/rate_limited.html", {"message": message}, status=429)
        response["Retry-After"] = str(retry)
        return response
