"""The REST API (/api/v1/): one router per app, one error shape, OpenAPI at /api/v1/docs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from caunoi.accounts.api_auth import request_user
from caunoi.core.errors import DomainError
from caunoi.registry.api import router as registry_router
from caunoi.search.api import router as search_router
from caunoi.taxonomy.api import router as taxonomy_router

api = NinjaAPI(
    title="Cầu Nối API",
    version="1",
    description=(
        "Registry of international S&T cooperation. Anonymous callers see published records; "
        "send `Authorization: Bearer <token>` to act as a user."
    ),
    auth=request_user,
    urls_namespace="api",
)
api.add_router("/", registry_router)
api.add_router("/taxonomy", taxonomy_router)
api.add_router("/search", search_router)
api.add_router("/jobs", "caunoi.jobs.api.router")


def _error(
    request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, 400, exc.message, exc.errors)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found."))


@api.exception_handler(PermissionDenied)
def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, _("You do not have permission to do this."))


@api.exception_handler(AuthenticationError)
def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, _("Authentication failed."))


@api.exception_handler(NinjaValidationError)
def on_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(p) for p in item.get("loc", []) if p not in ("body", "payload", "query")]
        errors.setdefault(".".join(loc) or "__all__", []).append(str(item.get("msg", "")))
    return _error(request, 422, _("The request is not valid."), errors)
