"""The REST API (/api/v1/): one router per app, one error shape, OpenAPI at /api/v1/docs.

Every 4xx is `{"detail": str, "errors": {field: [messages]}}` in the request's language,
schema errors included (our own messages, not pydantic's), naming every bad field at once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.log import log_response
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationErrorContext
from ninja.errors import ValidationError as NinjaValidationError

from caunoi.accounts.api_auth import request_user
from caunoi.core.api_errors import InvalidPayload, schema_errors
from caunoi.core.errors import ConflictError, DomainError
from caunoi.core.versioning import PreconditionRequired
from caunoi.kb.ask_api import router as ask_router
from caunoi.market.api import router as market_router
from caunoi.registry.api import router as registry_router
from caunoi.search.api import router as search_router
from caunoi.taxonomy.api import router as taxonomy_router


class CaunoiAPI(NinjaAPI):
    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext[Any]]
    ) -> NinjaValidationError:
        """As ninja's, but each error keeps its `input`: our messages need it (a null, the
        value not among the choices); `on_invalid` never returns it as such."""
        errors: list[dict[str, Any]] = []
        for context in error_contexts:
            model = context.model
            for item in context.pydantic_validation_error.errors(include_url=False):
                loc = model.__ninja_flatten_map_reverse__.get(item["loc"], item["loc"])
                errors.append({**item, "loc": (model.__ninja_param_source__, *loc)})
        return NinjaValidationError(errors)


api = CaunoiAPI(
    title="Cầu Nối API",
    version="1",
    description=(
        "Registry of international S&T cooperation. Anonymous callers see published records; "
        "send `Authorization: Bearer <token>` to act as a user.\n\n"
        'Every error (4xx) is `{"detail": "...", "errors": {"field": ["..."]}}`, '
        "fields named by their path (`parties.0.country`), all bad fields at once: 422 when the "
        "payload does not match the schema, 400 when a reference is unknown or a rule refuses "
        "it; creating or changing a marketplace record (`POST`/`PATCH` of `/market/offers`, "
        "`requests`, `experts`, `intermediaries`, `targets`) and every write of "
        "`/market/interests` answer one 422 naming schema and rule errors together. Messages "
        "are Vietnamese unless the request asks for English (the `django_language` cookie, or "
        "`Accept-Language: en`).\n\n"
        "Changes are optimistic: `GET` of a record returns its `ETag`; `PUT`, `PATCH` and "
        "`DELETE` must send it back in `If-Match` (428 without it) and are refused with 412 "
        "when the record changed since (nothing is written; read it again and reapply)."
    ),
    auth=request_user,
    urls_namespace="api",
)
api.add_router("/", registry_router)
api.add_router("/taxonomy", taxonomy_router)
api.add_router("/search", search_router)
api.add_router("/jobs", "caunoi.jobs.api.router")
api.add_router("/market", market_router)
api.add_router("/reporting", "caunoi.reporting.api.router")
api.add_router("/kb", "caunoi.kb.api.router")
api.add_router("/", ask_router)


def _error(
    request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, 400, exc.message, exc.errors)


@api.exception_handler(InvalidPayload)
def on_invalid_payload(request: HttpRequest, exc: InvalidPayload) -> HttpResponse:
    return _error(request, 422, exc.message, exc.errors)


@api.exception_handler(ConflictError)
def on_conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    return _error(request, 412, exc.message, exc.errors)


@api.exception_handler(PreconditionRequired)
def on_precondition_required(request: HttpRequest, exc: PreconditionRequired) -> HttpResponse:
    return _error(request, 428, exc.message, {"If-Match": [exc.message]})


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found."))


@api.exception_handler(PermissionDenied)
def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, _("You do not have permission to do this."))


@api.exception_handler(AuthenticationError)
def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, _("Authentication failed."))


@api.exception_handler(AuthorizationError)
def on_forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return _error(request, 403, _("You do not have permission to do this."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Raised by ninja itself, e.g. for a body that is not JSON.
    if exc.status_code == 400:
        return _error(request, 400, _("The request body is not valid JSON."))
    return _error(request, exc.status_code, _("The request is not valid."))


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    message = _("The request body is too large (at most %(size).1f MB).") % {"size": megabytes}
    return _error(request, 413, message)


@api.exception_handler(Exception)
def on_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """An unexpected error: logged and signalled as Django does for a page (so the error
    reaches the logs and the administrators' mail), answered in the API's error shape."""
    got_request_exception.send(sender=None, request=request)
    response = _error(request, 500, _("A server error occurred. It has been recorded."))
    log_response(
        "Internal Server Error: %s", request.path, response=response, request=request, exception=exc
    )
    return response


@api.exception_handler(NinjaValidationError)
def on_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(request, 422, _("The request is not valid."), schema_errors(exc.errors))


@csrf_exempt  # it changes nothing: a POST to an unknown path is a 404, not a CSRF 403
def api_not_found(request: HttpRequest) -> HttpResponse:
    """An unknown path under /api/: the one error shape, not the HTML 404 page."""
    return _error(request, 404, _("Not found."))
