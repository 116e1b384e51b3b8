"""The register of target foreign companies through the API: officers read and write it
(audited, ETag/If-Match, every bad field at once); for anyone else, viewers included, it
does not exist."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from support import login

pytestmark = pytest.mark.django_db

BASE = "/api/v1/market/targets"


def _send(client: Client, method: str, path: str, body: Any, **headers: str) -> Any:
    return client.generic(
        method, path, json.dumps(body), content_type="application/json", headers=headers
    )


def _company(officer: Any, taxonomy: Any, fields: Any = None, **data: Any) -> Any:
    from caunoi.market import services
    from caunoi.market.models import TargetCompany

    values = {"name": "Hanbit Power Semi", "country_id": "KR", "technologies": "GaN HEMT"}
    values.update(data)
    return services.record_save(
        user=officer,
        instance=TargetCompany(),
        data=values,
        m2m={"fields": [taxonomy["fields"]["semis"]] if fields is None else fields},
    )


def test_an_officer_creates_lists_and_changes_a_company(owner: Any, taxonomy: Any) -> None:
    from caunoi.accounts.models import AuditEvent
    from caunoi.market.models import TargetCompany

    me = login(owner)
    made = _send(
        me,
        "POST",
        BASE,
        {
            "name": "Kyoto Photonics KK",
            "country": "jp",
            "technologies": "Silicon photonics transceivers; 14 patents",
            "fields": ["semiconductors"],
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["country"] == "JP" and body["fields"] == ["semiconductors"]
    assert body["created_by"] == owner.pk
    company = TargetCompany.objects.get(pk=body["id"])
    assert AuditEvent.objects.filter(
        model="market.targetcompany", object_id=str(company.pk), action="create"
    ).exists()
    _company(owner, taxonomy, [], name="Seoul Battery Co", technologies="Solid-state cells")

    listed = me.get(BASE).json()
    assert listed["count"] == 2
    assert [c["name"] for c in listed["items"]] == ["Kyoto Photonics KK", "Seoul Battery Co"]
    assert [c["name"] for c in me.get(BASE, {"country": "KR"}).json()["items"]] == [
        "Seoul Battery Co"
    ]
    assert [c["name"] for c in me.get(BASE, {"q": "photonics"}).json()["items"]] == [
        "Kyoto Photonics KK"
    ]
    assert me.get(BASE, {"field": "semiconductors"}).json()["count"] == 1

    path = f"{BASE}/{company.pk}"
    assert _send(me, "PATCH", path, {"notes": "Liên hệ qua KOTRA"}).status_code == 428
    tag = me.get(path)["ETag"]
    changed = _send(me, "PATCH", path, {"notes": "Liên hệ qua KOTRA"}, **{"If-Match": tag})
    assert changed.status_code == 200 and changed.json()["notes"] == "Liên hệ qua KOTRA"
    assert changed["ETag"] != tag
    stale = _send(me, "PATCH", path, {"notes": "Khác"}, **{"If-Match": tag})
    assert stale.status_code == 412
    assert AuditEvent.objects.filter(
        model="market.targetcompany", object_id=str(company.pk), action="update"
    ).exists()


def test_every_bad_field_of_a_company_at_once(owner: Any, taxonomy: Any) -> None:
    from caunoi.market.models import TargetCompany

    answer = _send(
        login(owner),
        "POST",
        BASE,
        {"name": "", "country": "QQ", "fields": ["nope"], "website": "x"},
    )
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {
        "name",
        "country",
        "fields.0",
        "technologies",
        "website",
    }
    assert not TargetCompany.objects.exists()


def test_the_register_is_unseen_by_anyone_but_officers(
    owner: Any, viewer: Any, provider: Any, make_outside: Any, taxonomy: Any
) -> None:
    from caunoi.market.models import TargetCompany

    company = _company(owner, taxonomy)
    path = f"{BASE}/{company.pk}"
    body = {"name": "Công ty mới", "country": "KR", "technologies": "Pin"}
    # Viewers are network staff, but the register is the officers' alone.
    outsiders = (Client(), login(provider), login(make_outside("enterprise", "dn")), login(viewer))
    for client in outsiders:
        assert client.get(BASE).status_code == 404
        assert client.get(BASE, {"q": "Hanbit"}).status_code == 404
        assert client.get(path).status_code == 404
        assert _send(client, "POST", BASE, body).status_code == 404
        assert _send(client, "PATCH", path, {"notes": "x"}, **{"If-Match": "*"}).status_code == 404
        assert "Hanbit" not in client.get("/api/v1/market/offers").content.decode()
    # The officer who wrote it reads it, and a viewer with a valid version still gets 404.
    officer = login(owner)
    assert officer.get(BASE, {"q": "Hanbit"}).json()["count"] == 1
    tag = officer.get(path)["ETag"]
    reader = login(viewer)
    assert _send(reader, "PATCH", path, {"notes": "x"}, **{"If-Match": tag}).status_code == 404
    assert TargetCompany.objects.count() == 1
    assert TargetCompany.objects.get().notes == ""


def test_the_register_is_in_the_openapi_docs() -> None:
    from caunoi.api import api

    paths = api.get_openapi_schema()["paths"]
    assert set(paths[BASE]) == {"get", "post"}
    assert set(paths[BASE + "/{pk}"]) == {"get", "patch"}
