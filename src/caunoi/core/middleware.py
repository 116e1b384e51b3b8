"""Vietnamese is the working language: the browser's language preference does not override it.

A person switches language explicitly (the language button sets a cookie); until then every
page is Vietnamese, whatever the browser's Accept-Language says. The API is the exception:
a machine client has no language button, so under /api/ an `Accept-Language` header (after
the cookie, as LocaleMiddleware orders them) chooses the language of its messages.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"


class VietnameseFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
