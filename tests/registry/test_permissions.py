"""Every permission rule, for every persona: admin, owner officer, other-unit officer,
viewer and the anonymous public; in the UI and in the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from support import etag_of, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(make_agreement: Any) -> dict[str, Any]:
    return {
        "public": make_agreement(is_public=True),
        "internal": make_agreement(is_public=False),
    }


def test_anonymous_sees_only_public_records(records: dict[str, Any]) -> None:
    client = Client()
    assert client.get(records["public"].get_absolute_url()).status_code == 200
    assert client.get(records["internal"].get_absolute_url()).status_code == 404
    listing = client.get("/registry/agreements/").content.decode()
    assert records["public"].title_vi in listing
    assert records["internal"].title_vi not in listing


def test_anonymous_api_sees_only_public(records: dict[str, Any]) -> None:
    client = Client()
    data = client.get("/api/v1/agreements").json()
    ids = {item["id"] for item in data["items"]}
    assert ids == {records["public"].pk}
    assert data["count"] == 1
    assert client.get(f"/api/v1/agreements/{records['internal'].pk}").status_code == 404


@pytest.mark.parametrize("persona", ["admin", "owner", "other", "viewer"])
def test_signed_in_personas_read_internal_records(
    persona: str, records: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    client = login(request.getfixturevalue(persona))
    assert client.get(records["internal"].get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("admin", 200), ("owner", 200), ("other", 403), ("viewer", 403)],
)
def test_edit_page_by_persona(
    persona: str, expected: int, records: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    client = login(request.getfixturevalue(persona))
    url = f"/registry/agreements/{records['public'].pk}/edit/"
    assert client.get(url).status_code == expected


def test_anonymous_edit_redirects_to_login(records: dict[str, Any]) -> None:
    response = Client().get(f"/registry/agreements/{records['public'].pk}/edit/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "expected"), [("admin", 200), ("owner", 200), ("other", 403), ("viewer", 403)]
)
def test_api_update_by_persona(
    persona: str, expected: int, records: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    from caunoi.accounts.services import api_token_create

    _, raw = api_token_create(user=request.getfixturevalue(persona), name="t")
    agreement = records["public"]
    url = f"/api/v1/agreements/{agreement.pk}"
    response = Client().patch(
        url,
        data={"title_vi": "Tên mới"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}", "If-Match": etag_of(Client(), url)},
    )
    assert response.status_code == expected, response.content
    agreement.refresh_from_db()
    assert (agreement.title_vi == "Tên mới") == (expected == 200)


def test_api_anonymous_cannot_write(records: dict[str, Any]) -> None:
    response = Client().delete(f"/api/v1/agreements/{records['public'].pk}")
    assert response.status_code == 403
    response = Client().post("/api/v1/agreements", data={}, content_type="application/json")
    assert response.status_code in (403, 422)


def test_bad_token_is_refused_not_anonymous(records: dict[str, Any]) -> None:
    response = Client().get(
        "/api/v1/agreements", headers={"Authorization": "Bearer cn_not-a-token"}
    )
    assert response.status_code == 401
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("persona", "can"), [("admin", True), ("owner", True), ("other", False), ("viewer", False)]
)
def test_delete_by_persona(
    persona: str, can: bool, records: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    from caunoi.registry.models import Agreement

    agreement = records["internal"]
    client = login(request.getfixturevalue(persona))
    response = client.post(f"/registry/agreements/{agreement.pk}/delete/")
    assert Agreement.objects.filter(pk=agreement.pk).exists() is not can
    assert response.status_code == (302 if can else 403)


def test_officer_cannot_publish_or_change_owner(
    owner: Any, units: dict[str, Any], records: dict[str, Any]
) -> None:
    from caunoi.registry import services

    agreement = records["internal"]
    services.record_save(
        user=owner,
        instance=agreement,
        data={"is_public": True, "owner_unit": units["hanoi"], "title_vi": "Đổi tên"},
    )
    agreement.refresh_from_db()
    assert agreement.title_vi == "Đổi tên"
    assert agreement.is_public is False
    assert agreement.owner_unit == units["htqt"]


def test_officer_creates_records_owned_by_their_unit(other: Any, taxonomy: Any) -> None:
    from caunoi.registry.models import Agreement

    client = login(other)
    response = client.post(
        "/registry/agreements/new/",
        {
            "title_vi": "Biên bản ghi nhớ với Đại học Seoul",
            "kind": "mou",
            "level": "province",
            "status": "negotiating",
            "foreign_countries": ["KR"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = Agreement.objects.get(title_vi="Biên bản ghi nhớ với Đại học Seoul")
    assert agreement.owner_unit == other.unit
    assert agreement.is_public is False
    assert agreement.created_by == other


def test_viewer_cannot_create(viewer: Any, taxonomy: Any) -> None:
    client = login(viewer)
    assert client.get("/registry/agreements/new/").status_code == 403
    response = client.post("/registry/agreements/new/", {"title_vi": "x"})
    assert response.status_code == 403


def test_access_record_helper_matrix(
    admin: Any, owner: Any, other: Any, viewer: Any, records: dict[str, Any]
) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from caunoi.accounts.permissions import access_record
    from caunoi.registry.models import Agreement

    qs = Agreement.objects.all()
    internal = records["internal"]
    for user in (admin, owner):
        assert access_record(user, qs, internal.pk, write=True) == internal
    for user in (other, viewer):
        assert access_record(user, qs, internal.pk) == internal
        with pytest.raises(PermissionDenied):
            access_record(user, qs, internal.pk, write=True)
    with pytest.raises(Http404):
        access_record(AnonymousUser(), qs, internal.pk)
    with pytest.raises(Http404):
        access_record(admin, qs, "not-a-number")
    owner.is_active = False  # a deactivated account is treated as the public
    with pytest.raises(Http404):
        access_record(owner, qs, internal.pk, write=True)
    assert access_record(owner, qs, records["public"].pk) == records["public"]
    with pytest.raises(PermissionDenied):
        access_record(owner, qs, records["public"].pk, write=True)
