"""Property-based tests of the whole API from its published OpenAPI: generated requests to every
operation, anonymous and as an administrator, must never get a 5xx nor a response that breaks
the schema (status, content type, body, headers). A fixed seed and a small number of examples
per operation here; `bench/api_fuzz.py` runs the same checks at a larger size."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks

from caunoi.accounts.services import api_token_create

EXAMPLES = int(os.environ.get("CAUNOI_FUZZ_EXAMPLES", "6"))

CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """Requests go straight to the WSGI application, so its end-of-request handler would close
    the test's database connection (inside the test's transaction); Django's test client
    disconnects it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(admin: Any) -> str:
    _, raw = api_token_create(user=admin, name="fuzz")
    return raw


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "admin"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_5xx_or_breaks_its_schema(
    case: Any, who: str, request: pytest.FixtureRequest, taxonomy: Any, make_agreement: Any
) -> None:
    headers = {}
    if who == "admin":
        headers["Authorization"] = f"Bearer {request.getfixturevalue('admin_token')}"
    case.call_and_validate(checks=CHECKS, headers=headers)
