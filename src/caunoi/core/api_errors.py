"""The API's one error shape, declared on every operation so that OpenAPI lists the error
statuses it can answer (the handlers that produce it are in ``caunoi.api``), and our messages
for schema errors (used by those handlers and by endpoints that report schema and rule errors
together, such as the marketplace's writes)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Schema


class ErrorOut(Schema):
    """Every error: a sentence for people and, per field (dotted path, `__all__` for the
    whole record), every message."""

    detail: str
    errors: dict[str, list[str]]


class InvalidPayload(Exception):
    """Every bad field of a write's payload, schema and rule errors alike: answered 422 in
    the one error shape (``caunoi.api``), nothing written."""

    def __init__(self, message: str, *, errors: dict[str, list[str]]) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors


# Any operation: a NUL byte in the address (400), a bad token (401), not allowed (403), a body
# over the size limit (413), a bad query or body (422) and an unexpected error (500).
COMMON = (400, 401, 403, 413, 422, 500)


def errors(*codes: int) -> dict[int, Any]:
    """``response={200: Out, **errors(404)}``: the common error statuses plus ``codes``."""
    return {code: ErrorOut for code in sorted({*COMMON, *codes})}


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


def schema_errors(items: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """pydantic's errors (``errors(include_url=False)``, each with its ``input``) as the
    error body's ``errors``: our message per dotted path, each message once."""
    found: dict[str, list[str]] = {}
    for item in items:
        bucket = found.setdefault(error_path(item.get("loc", ())), [])
        message = error_message(item)
        if message not in bucket:
            bucket.append(message)
    return found
