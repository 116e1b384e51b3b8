"""Every response carries the Content-Security-Policy: pages, the API, errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from caunoi.core.middleware import csp_header_value

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


def test_the_policy_in_settings_is_the_strict_one() -> None:
    assert csp_header_value(settings.CAUNOI_CSP) == POLICY


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/registry/agreements/", 200),
        ("/api/v1/agreements", 200),
        ("/api/v1/docs", 200),
        ("/registry/agreements/999999/", 404),
        ("/api/v1/agreements/999999", 404),
        ("/no-such-page/", 404),
    ],
)
def test_header_on_pages_api_and_errors(path: str, status: int) -> None:
    response = Client().get(path)
    assert response.status_code == status
    assert response["Content-Security-Policy"] == POLICY


def test_header_on_a_server_error(settings: Any) -> None:
    from django.urls import path

    def boom(request: Any) -> Any:
        raise RuntimeError("boom")

    import caunoi.urls

    settings.ROOT_URLCONF = type(
        "Urls", (), {"urlpatterns": [path("boom/", boom), *caunoi.urls.urlpatterns]}
    )
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert response["Content-Security-Policy"] == POLICY


def test_a_path_may_have_its_own_policy(settings: Any) -> None:
    from django.http import HttpRequest, HttpResponse

    from caunoi.core.middleware import ContentSecurityPolicyMiddleware

    settings.CAUNOI_CSP_PATHS = {"/api/v1/docs": "default-src 'self'; script-src 'self' 'x'"}
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())
    assert middleware.policy_for("/api/v1/docs") == "default-src 'self'; script-src 'self' 'x'"
    assert middleware.policy_for("/api/v1/agreements") == POLICY
    request = HttpRequest()
    request.path_info = "/api/v1/docs"
    assert middleware(request)["Content-Security-Policy"].endswith("'x'")
