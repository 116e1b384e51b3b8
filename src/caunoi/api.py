"""The REST API (/api/v1/): one router per app, one error shape, OpenAPI at /api/v1/docs.

Every 4xx is `{"detail": str, "errors": {field: [messages]}}` in the request's language,
schema errors included (our own messages, not pydantic's), naming every bad field at once.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.log import log_response
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationErrorContext
from ninja.errors import ValidationError as NinjaValidationError

from caunoi.accounts.api_auth import request_user
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
        "it. Messages are Vietnamese unless the request asks for English (the "
        "`django_language` cookie, or `Accept-Language: en`).\n\n"
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
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        path = error_path(item.get("loc", ()))
        message = error_message(item)
        bucket = errors.setdefault(path, [])
        if message not in bucket:
            bucket.append(message)
    return _error(request, 422, _("The request is not valid."), errors)


# Where a parameter comes from, and the name of the argument holding it: not part of the path.
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def error_path(loc: Any) -> str:
    """`("body", "payload", "parties", 0, "country")` → `parties.0.country`."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
        if parts and parts[0] == "payload":
            parts = parts[1:]
    return ".".join(parts) or "__all__"


def _allowed(expected: str) -> str:
    """pydantic's `'a', 'b' or 'c'` as `a, b, c`."""
    values = re.findall(r"'((?:[^'\\]|\\.)*)'", expected)
    return ", ".join(v or '""' for v in values) if values else expected


def error_message(item: dict[str, Any]) -> str:
    """Our message, in the active language, for one pydantic error."""
    kind = str(item.get("type", ""))
    ctx = item.get("ctx") or {}
    value = item.get("input")
    if kind == "missing":
        return _("This field is required.")
    if value is None:
        return _("This field cannot be null.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind in ("literal_error", "enum"):
        shown = str(value) if isinstance(value, str | int | float) else "…"
        return _("“%(value)s” is not allowed; choose one of: %(allowed)s.") % {
            "value": shown if len(shown) <= 60 else shown[:59] + "…",
            "allowed": _allowed(str(ctx.get("expected", ""))),
        }
    if kind == "string_too_long":
        limit = int(ctx.get("max_length", 0))
        return ngettext("At most %(limit)d character.", "At most %(limit)d characters.", limit) % {
            "limit": limit
        }
    if kind == "string_too_short":
        limit = int(ctx.get("min_length", 0))
        if limit <= 1:
            return _("This field cannot be empty.")
        return ngettext(
            "At least %(limit)d character.", "At least %(limit)d characters.", limit
        ) % {"limit": limit}
    if kind == "too_long":
        limit = int(ctx.get("max_length", 0))
        return ngettext("At most %(limit)d item.", "At most %(limit)d items.", limit) % {
            "limit": limit
        }
    if kind == "too_short":
        limit = int(ctx.get("min_length", 0))
        return ngettext("At least %(limit)d item.", "At least %(limit)d items.", limit) % {
            "limit": limit
        }
    bounds = {
        "greater_than_equal": (_("At least %(limit)s."), "ge"),
        "greater_than": (_("More than %(limit)s."), "gt"),
        "less_than_equal": (_("At most %(limit)s."), "le"),
        "less_than": (_("Less than %(limit)s."), "lt"),
    }
    if kind in bounds:
        template, key = bounds[kind]
        return template % {"limit": ctx.get(key)}
    if kind == "decimal_max_digits":
        return _("At most %(limit)s digits.") % {"limit": ctx.get("max_digits")}
    if kind == "decimal_max_places":
        return _("At most %(limit)s digits after the decimal point.") % {
            "limit": ctx.get("decimal_places")
        }
    if kind == "decimal_whole_digits":
        return _("At most %(limit)s digits before the decimal point.") % {
            "limit": ctx.get("whole_digits")
        }
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a valid date (YYYY-MM-DD).")
    simple = {
        "string_type": _("Enter text."),
        "bool_type": _("Enter true or false."),
        "bool_parsing": _("Enter true or false."),
        "int_type": _("Enter a whole number."),
        "int_parsing": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "decimal_type": _("Enter a number."),
        "decimal_parsing": _("Enter a number."),
        "float_type": _("Enter a number."),
        "float_parsing": _("Enter a number."),
        "finite_number": _("Enter a number."),
        "list_type": _("Enter a list."),
        "dict_type": _("Enter an object."),
        "model_type": _("Enter an object."),
        "model_attributes_type": _("Enter an object."),
        "key_or_id": _("Enter a key (text) or an id (number)."),
        "country_code": _("Enter a two-letter ISO country code."),
        "nul_character": _("The text contains a NUL character, which cannot be stored."),
        "json_invalid": _("The request body is not valid JSON."),
    }
    return simple.get(kind, _("This value is not valid."))


@csrf_exempt  # it changes nothing: a POST to an unknown path is a 404, not a CSRF 403
def api_not_found(request: HttpRequest) -> HttpResponse:
    """An unknown path under /api/: the one error shape, not the HTML 404 page."""
    return _error(request, 404, _("Not found."))
