"""Vietnamese is the working language: the browser's language preference does not override it.

A person switches language explicitly (the language button sets a cookie); until then every
page is Vietnamese, whatever the browser's Accept-Language says.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class VietnameseFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
