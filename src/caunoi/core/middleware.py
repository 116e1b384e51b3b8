"""Vietnamese is the working language: the browser's language preference does not override it.

A person switches language explicitly (the language button sets a cookie); until then every
page is Vietnamese, whatever the browser's Accept-Language says. The API is the exception:
a machine client has no language button, so under /api/ an `Accept-Language` header (after
the cookie, as LocaleMiddleware orders them) chooses the language of its messages.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


class VietnameseFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RejectNulMiddleware:
    """A NUL byte in the path or the query string is a 400: no field, key or search holds
    one, and PostgreSQL refuses it in text (which would otherwise surface as a 500).
    Under /api/ the answer has the API's error shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.path_info + "?" + request.META.get("QUERY_STRING", "")
        if "\x00" in raw or b"\x00" in unquote_to_bytes(raw.replace("+", " ")):
            message = _("The address contains a NUL character.")
            if request.path_info.startswith(API_PREFIX):
                return JsonResponse({"detail": message, "errors": {}}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)
