"""The marketplace API: typed input, audiences, ETag/If-Match, the workflow, confidentiality."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from support import login

pytestmark = pytest.mark.django_db


def _json(client: Client, method: str, path: str, body: Any = None, **headers: str) -> Any:
    return client.generic(
        method,
        path,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers=headers,
    )


def test_an_outside_user_writes_an_offer_an_officer_publishes_it(
    provider: Any, owner: Any, taxonomy: Any
) -> None:
    me = login(provider)
    created = _json(
        me,
        "POST",
        "/api/v1/market/offers",
        {
            "title_en": "GaN power transistor process",
            "trl": 5,
            "cooperation": ["licence", "technical"],
            "country": "KR",
            "fields": ["semiconductors"],
            "keywords": ["GaN", "power electronics"],
        },
    )
    assert created.status_code == 201, created.content
    offer = created.json()
    assert offer["status"] == "draft" and offer["fields"] == ["semiconductors"]
    assert Client().get(f"/api/v1/market/offers/{offer['id']}").status_code == 404
    path = f"/api/v1/market/offers/{offer['id']}"
    tag = me.get(path)["ETag"]
    # PATCH without If-Match: 428; with a stale tag: 412; with the tag: 200.
    assert _json(me, "PATCH", path, {"trl": 6}).status_code == 428
    assert (
        _json(me, "PATCH", path, {"trl": 6}, **{"If-Match": f'"{offer["id"]}-99"'}).status_code
        == 412
    )
    changed = _json(me, "PATCH", path, {"trl": 6}, **{"If-Match": tag})
    assert changed.status_code == 200 and changed.json()["trl"] == 6
    tag = changed["ETag"]
    # The writer cannot publish; submitting works.
    refused = _json(me, "POST", f"{path}/transition", {"status": "published"}, **{"If-Match": tag})
    assert refused.status_code == 400
    sent = _json(me, "POST", f"{path}/transition", {"status": "submitted"}, **{"If-Match": tag})
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    officer = login(owner)
    tag = officer.get(path)["ETag"]
    done = _json(
        officer, "POST", f"{path}/transition", {"status": "published"}, **{"If-Match": tag}
    )
    assert done.status_code == 200
    listed = Client().get("/api/v1/market/offers", {"cooperation": "licence"}).json()
    assert [o["id"] for o in listed["items"]] == [offer["id"]]
    assert Client().get("/api/v1/market/offers", {"trl": 7}).json()["count"] == 0


def test_every_bad_field_is_named(provider: Any, taxonomy: Any) -> None:
    response = _json(
        login(provider),
        "POST",
        "/api/v1/market/offers",
        {"title_en": "x", "trl": 10, "cooperation": ["bribery"], "country": "ZZ"},
    )
    # The schema's errors and the unknown country in the same answer.
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"trl", "cooperation.0", "country"}
    unknown = _json(
        login(provider),
        "POST",
        "/api/v1/market/offers",
        {"title_en": "x", "country": "ZZ", "fields": ["nope"]},
    )
    assert unknown.status_code == 422
    assert set(unknown.json()["errors"]) == {"country", "fields.0"}


def test_viewers_and_anonymous_cannot_create(viewer: Any, taxonomy: Any) -> None:
    body = {"title_en": "x"}
    assert _json(login(viewer), "POST", "/api/v1/market/offers", body).status_code == 403
    assert _json(Client(), "POST", "/api/v1/market/offers", body).status_code in (401, 403)


def test_anonymous_requester_is_null_for_providers(
    make_org: Any,
    make_outside: Any,
    admin: Any,
    owner: Any,
    provider: Any,
    make_request: Any,
    publish: Any,
) -> None:
    from caunoi.registry.affiliations import affiliation_decide, affiliation_request

    org = make_org(name_vi="Công ty Kín Danh", is_public=True)
    requester = make_outside("enterprise", "requester")
    affiliation_decide(
        user=admin, affiliation=affiliation_request(user=requester, organization=org), approve=True
    )
    record = publish(make_request(requester, owner_organization=org, confidentiality="anonymous"))
    path = f"/api/v1/market/requests/{record.pk}"
    for client in (login(provider), Client()):
        body = client.get(path).json()
        assert body["owner_organization"] is None
        assert "Kín Danh" not in client.get("/api/v1/market/requests").content.decode()
    assert login(owner).get(path).json()["owner_organization"]["id"] == org.pk
    assert login(requester).get(path).json()["owner_organization"]["id"] == org.pk
