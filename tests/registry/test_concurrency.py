"""Optimistic concurrency: a write based on an older version of a record is refused and
changes nothing, in the edit form, the API and imports (issue: silent lost updates)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from caunoi.accounts.services import api_token_create
from caunoi.core.errors import ConflictError
from caunoi.registry import imports, services
from caunoi.registry.entities import ENTITIES
from caunoi.registry.models import Agreement, Organization
from support import etag_of, login, opened_form


def bearer(user: Any) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


def test_second_of_two_open_edit_forms_is_refused_and_the_first_change_survives(
    admin: Any, make_agreement: Any
) -> None:
    agreement = make_agreement(country="KR", summary="Tóm tắt cũ")
    client = login(admin)
    first = opened_form(client, "agreements", agreement, admin)
    second = opened_form(client, "agreements", agreement, admin)
    url = f"/registry/agreements/{agreement.pk}/edit/"

    saved = client.post(url, {**first, "title_vi": "Tiêu đề mới"})
    assert saved.status_code == 302
    refused = client.post(url, {**second, "summary": "Tóm tắt mới"})

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Bản ghi đã được người khác thay đổi" in page
    # Field by field: what the other person saved next to what this one typed.
    row = re.search(r'<tr data-field="title_vi">(.*?)</tr>', page, re.S)
    assert row and "Tiêu đề mới" in row[1] and agreement.title_vi in row[1]
    agreement.refresh_from_db()
    assert agreement.title_vi == "Tiêu đề mới" and agreement.summary == "Tóm tắt cũ"
    assert agreement.version == 2
    # The re-rendered form keeps what was typed and now carries the current version.
    assert 'name="version" value="2"' in page and "Tóm tắt mới" in page


def test_service_refuses_a_stale_expected_version(admin: Any, make_org: Any) -> None:
    org = make_org()
    services.record_save(user=admin, instance=org, data={"description": "A"}, expected_version=1)
    stale = Organization.objects.get(pk=org.pk)
    stale.version = 1
    try:
        services.record_save(
            user=admin, instance=stale, data={"description": "B"}, expected_version=1
        )
    except ConflictError as exc:
        assert exc.current == {"description": "A"} and exc.yours == {"description": "B"}
        assert exc.version == 2
    else:
        raise AssertionError("a stale save went through")
    org.refresh_from_db()
    assert org.description == "A" and org.version == 2


def test_api_get_returns_etag_and_version(admin: Any, make_agreement: Any) -> None:
    agreement = make_agreement(is_public=True)
    response = Client().get(f"/api/v1/agreements/{agreement.pk}")
    assert response["ETag"] == f'"{agreement.pk}-1"'
    assert response.json()["version"] == 1


def test_api_put_with_a_stale_etag_is_412_and_nothing_is_lost(
    admin: Any, make_agreement: Any
) -> None:
    agreement = make_agreement(country="KR")
    url, headers = f"/api/v1/agreements/{agreement.pk}", bearer(admin)
    read = Client().get(url, headers=headers)
    stale = read["ETag"]
    fresh = Client().patch(
        url,
        {"title_vi": "Tiêu đề của người thứ nhất"},
        content_type="application/json",
        headers={**headers, "If-Match": stale},
    )
    assert fresh.status_code == 200 and fresh["ETag"] != stale
    body = {k: read.json()[k] for k in ("title_vi", "kind", "level")}
    body |= {"summary": "Ghi đè", "parties": [{"side": "foreign", "country": "KR"}]}
    refused = Client().put(
        url, body, content_type="application/json", headers={**headers, "If-Match": stale}
    )
    assert refused.status_code == 412, refused.content
    assert set(refused.json()) == {"detail", "errors"} and "title_vi" in refused.json()["errors"]
    agreement.refresh_from_db()
    assert agreement.title_vi == "Tiêu đề của người thứ nhất" and agreement.summary == ""


def test_api_writes_without_if_match_are_428(admin: Any, make_agreement: Any) -> None:
    agreement = make_agreement()
    url, headers = f"/api/v1/agreements/{agreement.pk}", bearer(admin)
    valid = {
        "title_vi": "Tên mới",
        "kind": "mou",
        "level": "ministry",
        "parties": [{"side": "foreign", "country": "KR"}],
    }
    for method in ("put", "patch", "delete"):
        response = getattr(Client(), method)(
            url, valid, content_type="application/json", headers=headers
        )
        assert response.status_code == 428, (method, response.content)
        assert "If-Match" in response.json()["errors"]
    assert Agreement.objects.filter(pk=agreement.pk, version=1).exclude(title_vi="Tên mới").exists()


def test_two_patches_each_with_the_etag_it_read(admin: Any, make_org: Any) -> None:
    org = make_org()
    url, headers = f"/api/v1/partners/{org.pk}", bearer(admin)
    etag_a = etag_of(Client(), url, headers=headers)
    etag_b = etag_of(Client(), url, headers=headers)
    first = Client().patch(
        url,
        {"description": "Mô tả"},
        content_type="application/json",
        headers={**headers, "If-Match": etag_a},
    )
    assert first.status_code == 200
    second = Client().patch(
        url,
        {"name_en": "New name"},
        content_type="application/json",
        headers={**headers, "If-Match": etag_b},
    )
    assert second.status_code == 412
    retried = Client().patch(
        url,
        {"name_en": "New name"},
        content_type="application/json",
        headers={**headers, "If-Match": etag_of(Client(), url, headers=headers)},
    )
    assert retried.status_code == 200
    org.refresh_from_db()
    assert (org.description, org.name_en, org.version) == ("Mô tả", "New name", 3)


def test_delete_and_transition_honour_if_match(admin: Any, make_agreement: Any) -> None:
    agreement = make_agreement()
    url, headers = f"/api/v1/agreements/{agreement.pk}", bearer(admin)
    stale = etag_of(Client(), url, headers=headers)
    moved = Client().post(
        f"{url}/transition",
        {"status": "terminated"},
        content_type="application/json",
        headers={**headers, "If-Match": stale},
    )
    assert moved.status_code == 200, moved.content
    refused = Client().delete(url, headers={**headers, "If-Match": stale})
    assert refused.status_code == 412
    assert Agreement.objects.filter(pk=agreement.pk, version=2).exists()


def _import(user: Any, csv: str) -> Any:
    return imports.import_file(
        user=user, entity=ENTITIES["partners"], name="p.csv", content=csv.encode()
    )


def test_import_with_a_stale_version_column_is_a_row_error(admin: Any, make_org: Any) -> None:
    org = make_org()
    services.record_save(user=admin, instance=org, data={"description": "Đã sửa"})
    org.refresh_from_db()
    assert org.version == 2
    report = _import(admin, f"key,name_vi,description,version\n{org.key},{org.name_vi},Cũ,1\n")
    assert [e.field for e in report.errors] == ["version"]
    org.refresh_from_db()
    assert org.description == "Đã sửa"
    report = _import(admin, f"key,name_vi,description,version\n{org.key},{org.name_vi},Mới,2\n")
    assert report.ok and report.updated == 1
    report = _import(admin, f"key,name_vi,description\n{org.key},{org.name_vi},Không cột\n")
    assert report.ok and report.updated == 1
    org.refresh_from_db()
    assert org.description == "Không cột" and org.version == 4
