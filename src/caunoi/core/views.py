"""The error pages; under /api/ the same errors in the API's JSON shape."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _api_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": {}}, status=status)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _api_error(400, _("The request is not valid."))
    return render(request, "400.html", status=400)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _api_error(404, _("Not found."))
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _api_error(403, _("You do not have permission to do this."))
    return render(request, "403.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _api_error(500, _("A server error occurred. It has been recorded."))
    return render(request, "500.html", status=500)


def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for whatever the page links: our icon (an SVG in
    static, which the pages link too) rather than a 404."""
    return redirect(static("favicon.svg"))
