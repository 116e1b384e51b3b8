"""The API's one error shape, declared on every operation so that OpenAPI lists the error
statuses it can answer (the handlers that produce it are in ``caunoi.api``)."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """Every error: a sentence for people and, per field (dotted path, `__all__` for the
    whole record), every message."""

    detail: str
    errors: dict[str, list[str]]


# Any operation: a NUL byte in the address (400), a bad token (401), not allowed (403), a body
# over the size limit (413), a bad query or body (422) and an unexpected error (500).
COMMON = (400, 401, 403, 413, 422, 500)


def errors(*codes: int) -> dict[int, Any]:
    """``response={200: Out, **errors(404)}``: the common error statuses plus ``codes``."""
    return {code: ErrorOut for code in sorted({*COMMON, *codes})}
