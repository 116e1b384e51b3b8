"""Site-wide middleware: Vietnamese first, and the Content-Security-Policy header.

Vietnamese is the working language: the browser's language preference does not override it.
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


class ContentSecurityPolicyMiddleware:
    """Send `Content-Security-Policy` on every response (pages, the API, errors, static files).

    The policy is `settings.CAUNOI_CSP`; `settings.CAUNOI_CSP_PATHS` maps a path prefix to a
    different policy for the few pages that need one (the longest matching prefix wins). A
    response that already carries the header (a view that set its own) keeps it. Pages work
    under the strict policy because the templates have no inline scripts, styles or event
    handlers and htmx is told not to inject its indicator styles (base.html).
    """

    HEADER = "Content-Security-Policy"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.conf import settings

        self.get_response = get_response
        self.default = csp_header_value(settings.CAUNOI_CSP)
        paths: dict[str, str | dict[str, list[str]]] = getattr(settings, "CAUNOI_CSP_PATHS", {})
        self.by_path = sorted(
            ((prefix, csp_header_value(policy)) for prefix, policy in paths.items()),
            key=lambda item: len(item[0]),
            reverse=True,
        )

    def policy_for(self, path: str) -> str:
        for prefix, policy in self.by_path:
            if path.startswith(prefix):
                return policy
        return self.default

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.HEADER not in response:
            policy = self.policy_for(request.path_info)
            if policy:
                response[self.HEADER] = policy
        return response


def csp_header_value(policy: str | dict[str, list[str]]) -> str:
    """A policy given as {directive: [sources]} (or already as a string) as the header's text."""
    if isinstance(policy, str):
        return policy.strip()
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


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
