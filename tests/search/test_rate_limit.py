"""Searches per minute per client (CAUNOI_SEARCH_RATE): the search page, GET /api/v1/search
and lists filtered by q count together; past the limit the answer is 429, on the API in the
JSON error shape; another client, a signed-in user or a token has its own count."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from caunoi.accounts.services import api_token_create
from support import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limit() -> Iterator[None]:
    cache.clear()
    with override_settings(CAUNOI_SEARCH_RATE="3,5"):
        yield
    cache.clear()


def client(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def test_anonymous_fourth_search_is_refused_on_page_and_api() -> None:
    c = client("10.0.0.1")
    assert c.get("/search/", {"q": "hợp tác"}).status_code == 200
    assert c.get("/api/v1/search", {"q": "hợp tác"}).status_code == 200
    assert c.get("/registry/agreements/", {"q": "hợp tác"}).status_code == 200
    page = c.get("/search/", {"q": "hợp tác"})
    assert page.status_code == 429 and int(page["Retry-After"]) >= 1
    assert "Quá nhiều lượt tìm kiếm" in page.content.decode()
    api = c.get("/api/v1/search", {"q": "hợp tác"})
    assert api.status_code == 429
    assert api.json() == {
        "detail": "Quá nhiều lượt tìm kiếm trong thời gian ngắn. "
        "Vui lòng đợi một phút rồi thử lại.",
        "errors": {},
    }
    assert c.get("/registry/agreements/", {"q": "x"}).status_code == 429
    # pages without a query are not searches
    assert c.get("/search/").status_code == 200
    assert c.get("/registry/agreements/").status_code == 200
    # another address is not affected
    assert client("10.0.0.2").get("/api/v1/search", {"q": "hợp tác"}).status_code == 200


def test_signed_in_users_and_tokens_count_on_their_own(viewer: Any) -> None:
    c = login(viewer)
    codes = [c.get("/search/", {"q": "hiệp định"}).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    _, raw = api_token_create(user=viewer, name="test")
    token = Client(headers={"Authorization": f"Bearer {raw}"})
    codes = [token.get("/api/v1/search", {"q": "x"}).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    assert client("127.0.0.1").get("/search/", {"q": "x"}).status_code == 200


def test_the_limit_can_be_switched_off() -> None:
    c = client("10.0.0.3")
    with override_settings(CAUNOI_SEARCH_RATE="off"):
        assert {c.get("/api/v1/search", {"q": "x"}).status_code for _ in range(5)} == {200}
