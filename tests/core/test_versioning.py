"""The shared optimistic-concurrency helpers (`caunoi.core.versioning`): the version claim and
its refusal, audit snapshots and diffs, `ETag` / `If-Match`, and the 412/428/409 answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation

from caunoi.accounts.services import api_token_create
from caunoi.core.errors import ConflictError
from caunoi.core.versioning import (
    PreconditionRequired,
    claim_version,
    diff,
    etag,
    if_match_version,
    plain,
    snapshot,
)
from caunoi.registry.models import Organization
from support import login, opened_form


def _request(if_match: str | None = None) -> Any:
    headers = {} if if_match is None else {"If-Match": if_match}
    return RequestFactory().patch("/", headers=headers)


def test_diff_names_only_the_fields_that_changed() -> None:
    before = {"name": "A", "kind": "x", "fields": ["1"]}
    after = {"name": "B", "kind": "x", "fields": ["1", "2"], "note": None}
    assert diff(before, after) == {"name": ["A", "B"], "fields": [["1"], ["1", "2"]]}
    assert diff({}, {"name": "A"}) == {"name": [None, "A"]}


def test_plain_makes_values_json_safe() -> None:
    assert plain(dt.date(2026, 1, 2)) == "2026-01-02"
    assert plain(Decimal("1.50")) == "1.50"
    assert plain({"b", "a"}) == ["a", "b"]
    assert plain(3) == 3


def test_snapshot_leaves_out_system_fields_and_lists_many_to_many(
    make_org: Any, taxonomy: dict[str, Any]
) -> None:
    org = make_org(description="Mô tả")
    org.fields.set([taxonomy["fields"]["physics"]])
    data = snapshot(org, ["fields"])
    assert data["description"] == "Mô tả" and data["country"] == str(org.country)
    assert data["fields"] == [str(taxonomy["fields"]["physics"])]
    assert not {"id", "version", "created_at", "updated_at", "sort_name"} & set(data)


def test_claim_version_raises_the_version_once(make_org: Any) -> None:
    org = make_org()
    claim_version(org, 1)
    assert org.version == 2 and Organization.objects.get(pk=org.pk).version == 2
    claim_version(org, None)  # no check, still raised
    assert Organization.objects.get(pk=org.pk).version == 3


def test_a_stale_claim_is_refused_with_what_was_saved_meanwhile(
    make_org: Any, taxonomy: dict[str, Any]
) -> None:
    org = make_org(description="Đã lưu")
    org.fields.set([taxonomy["fields"]["natural"]])
    claim_version(org, 1)
    stale = Organization.objects.get(pk=org.pk)
    with translation.override("vi"), pytest.raises(ConflictError) as refused:
        claim_version(
            stale,
            1,
            {"description": "Của tôi", "name_vi": stale.name_vi, "owner_unit": None},
            {"fields": [taxonomy["fields"]["semis"]]},
        )
    exc = refused.value
    assert exc.version == 2
    assert exc.current == {
        "description": "Đã lưu",
        "fields": [str(taxonomy["fields"]["natural"])],
    }
    assert exc.yours == {"description": "Của tôi", "fields": [str(taxonomy["fields"]["semis"])]}
    assert exc.message.startswith("Bản ghi đã được người khác thay đổi")
    assert exc.errors["description"] == ["Người khác đã lưu: Đã lưu"]
    assert Organization.objects.get(pk=org.pk).version == 2


def test_a_claim_on_a_deleted_record_says_so_and_an_app_may_word_its_own(make_org: Any) -> None:
    org = make_org()
    gone = Organization.objects.get(pk=org.pk)
    Organization.objects.filter(pk=org.pk).delete()
    with translation.override("en"), pytest.raises(ConflictError) as refused:
        claim_version(gone, 1)
    assert refused.value.message == "The record has been deleted by someone else."
    assert refused.value.version is None

    other = make_org()
    Organization.objects.filter(pk=other.pk).update(version=5)
    own = ConflictError("Own wording", version=5)
    with pytest.raises(ConflictError) as refused:
        claim_version(other, 1, conflict=lambda: own)
    assert refused.value is own


def test_if_match_names_the_version_of_this_record(make_org: Any) -> None:
    org = make_org()
    assert etag(org) == f'"{org.pk}-1"'
    assert if_match_version(_request(f'"{org.pk}-7"'), org, required=True) == 7
    assert if_match_version(_request(f'W/"{org.pk}-4"'), org, required=True) == 4
    assert if_match_version(_request(f'"999999-2", "{org.pk}-3"'), org, required=True) == 3
    assert if_match_version(_request("*"), org, required=True) is None
    assert if_match_version(_request(), org, required=False) is None
    with pytest.raises(PreconditionRequired):
        if_match_version(_request(), org, required=True)
    with translation.override("en"), pytest.raises(ConflictError) as refused:
        if_match_version(_request('"999999-1"'), org, required=False)
    assert refused.value.errors == {"If-Match": [f'Expected "{org.pk}-1".']}
    assert refused.value.version == 1


def test_api_answers_428_without_if_match_and_412_when_stale(admin: Any, make_org: Any) -> None:
    org = make_org()
    _, raw = api_token_create(user=admin, name="test")
    url, auth = f"/api/v1/partners/{org.pk}", {"Authorization": f"Bearer {raw}"}
    body = {"description": "Mới"}

    missing = Client().patch(url, body, content_type="application/json", headers=auth)
    assert missing.status_code == 428
    message = "Hãy gửi ETag của bản ghi trong tiêu đề If-Match (đọc nó bằng GET)."
    assert missing.json() == {"detail": message, "errors": {"If-Match": [message]}}

    ok = Client().patch(
        url, body, content_type="application/json", headers={**auth, "If-Match": etag(org)}
    )
    assert ok.status_code == 200 and ok["ETag"] == f'"{org.pk}-2"'

    stale = Client().patch(
        url,
        {"description": "Cũ"},
        content_type="application/json",
        headers={**auth, "If-Match": etag(org), "Accept-Language": "en"},
    )
    assert stale.status_code == 412
    assert stale.json()["errors"] == {"description": ["Saved meanwhile: Mới"]}
    org.refresh_from_db()
    assert (org.description, org.version) == ("Mới", 2)


def test_stale_form_page_is_409_with_the_shared_conflict_block(admin: Any, make_org: Any) -> None:
    org = make_org(description="Cũ")
    client = login(admin)
    data = opened_form(client, "partners", org, admin)
    Organization.objects.filter(pk=org.pk).update(version=2, description="Người khác sửa")
    data |= {"description": "Của tôi"}
    refused = client.post(f"/registry/partners/{org.pk}/edit/", data)
    assert refused.status_code == 409
    html = refused.content.decode()
    assert 'id="form-conflict"' in html and '<tr data-field="description">' in html
    assert "Người khác sửa" in html and "Của tôi" in html


def test_conflict_block_without_rows_shows_only_the_message() -> None:
    with translation.override("vi"):
        html = render_to_string(
            "core/_conflict.html",
            {
                "message": "Đã đổi",
                "rows": [{"name": "x", "label": "tên", "theirs": "", "yours": "B"}],
            },
        )
        bare = render_to_string("core/_conflict.html", {"message": "Đã đổi"})
    assert '<th scope="row">Tên</th><td class="theirs">—</td><td class="yours">B</td>' in html
    assert "Người khác đã lưu" in html and "Bạn đã nhập" in html
    assert "Đã đổi" in bare and "<table" not in bare
