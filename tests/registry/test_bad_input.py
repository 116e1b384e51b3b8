"""Bad input is refused with a 4xx in the one error shape, never a 500 (issue: money beyond
what both databases store exactly, out-of-range years, NUL bytes, lone surrogates, a
missing owning unit, oversized bodies)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caunoi.accounts.services import api_token_create
from caunoi.registry.models import Membership, Project

pytestmark = pytest.mark.django_db

HUGE = "9999999999999999.99"  # valid for decimal(18,2); SQLite would keep only a float


@pytest.fixture
def api(admin: Any) -> Client:
    _, raw = api_token_create(user=admin, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.parametrize("amount", [HUGE, "10000000000000", "-10000000000000.00"])
def test_a_budget_beyond_the_money_range_is_refused(api: Client, amount: str) -> None:
    payload = {"title_vi": "Dự án lớn", "kind": "bilateral", "budget": amount, "currency": "USD"}
    response = api.post("/api/v1/projects", payload, content_type="application/json")
    assert response.status_code in (400, 422), response.content
    assert "budget" in response.json()["errors"]
    assert not Project.objects.exists()
    assert api.get("/api/v1/projects").status_code == 200


def test_an_annual_fee_beyond_the_money_range_is_refused(api: Client, make_org: Any) -> None:
    org = make_org(kind="international")
    payload = {"organization": org.key, "annual_fee": "99999999999999.99", "currency": "USD"}
    response = api.post("/api/v1/memberships", payload, content_type="application/json")
    assert response.status_code in (400, 422), response.content
    assert "annual_fee" in response.json()["errors"]
    assert not Membership.objects.exists()


def test_the_largest_allowed_budget_is_stored_exactly(api: Client) -> None:
    payload = {
        "title_vi": "Dự án lớn",
        "kind": "bilateral",
        "budget": "9999999999999.99",
        "currency": "USD",
    }
    response = api.post("/api/v1/projects", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert str(Project.objects.get().budget) == "9999999999999.99"
    assert api.get("/api/v1/projects").status_code == 200


def test_the_form_refuses_a_huge_budget_in_vietnamese(admin: Any) -> None:
    from caunoi.registry.forms import ProjectForm

    form = ProjectForm(data={"title_vi": "Dự án", "kind": "bilateral", "budget": HUGE})
    assert not form.is_valid()
    assert "10.000 tỷ" in form.errors["budget"][0]


@pytest.mark.parametrize("year", ["10000", "18446744073709551616", "0"])
@pytest.mark.parametrize("slug", ["agreements", "projects", "delegations", "events"])
def test_an_out_of_range_year_is_not_a_server_error(
    admin: Any, api: Client, slug: str, year: str
) -> None:
    from support import login

    assert login(admin).get(f"/registry/{slug}/?year={year}").status_code == 200
    assert api.get(f"/api/v1/{slug}?year={year}").status_code == 422


@pytest.mark.parametrize(
    "url",
    [
        "/registry/agreements/?field=%00",
        "/countries/%00/",
        "/search/?q=x&field=%00",
        "/api/v1/agreements?field=%00",
        "/api/v1/search?q=x%00",
    ],
)
def test_a_nul_byte_in_the_url_is_a_400(admin: Any, url: str) -> None:
    from support import login

    assert login(admin).get(url).status_code == 400


def test_a_lone_surrogate_in_json_is_refused_naming_the_field(api: Client) -> None:
    body = b'{"title_vi": "\\ud800x", "kind": "mou", "level": "ministry", "parties": []}'
    response = api.post("/api/v1/agreements", body, content_type="application/json")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["title_vi"]


def test_a_missing_or_null_owner_unit_keeps_the_unit(api: Client, make_agreement: Any) -> None:
    agreement = make_agreement()
    unit = agreement.owner_unit_id
    url = f"/api/v1/agreements/{agreement.pk}"
    read = api.get(url)
    patched = api.patch(
        url,
        {"owner_unit": None},
        content_type="application/json",
        headers={"If-Match": read["ETag"]},
    )
    assert patched.status_code == 200
    read = api.get(url)
    put = {
        name: value
        for name, value in read.json().items()
        if name in ("title_vi", "kind", "level", "parties", "summary")
    }
    put["parties"] = [{"side": "foreign", "country": "KR"}]
    replaced = api.put(
        url, put, content_type="application/json", headers={"If-Match": read["ETag"]}
    )
    assert replaced.status_code == 200, replaced.content
    agreement.refresh_from_db()
    assert agreement.owner_unit_id == unit


def test_the_form_with_the_unit_cleared_keeps_the_unit(
    admin: Any, make_agreement: Any, units: dict[str, Any]
) -> None:
    from support import login, opened_form

    agreement = make_agreement(owner_unit=units["hanoi"])  # not the administrator's unit
    client = login(admin)
    data = opened_form(client, "agreements", agreement, admin)
    data.pop("owner_unit")
    response = client.post(f"/registry/agreements/{agreement.pk}/edit/", data)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.owner_unit == units["hanoi"]


@pytest.mark.parametrize("path", ["agreements", "partners"])
def test_a_body_over_the_limit_is_a_413_in_the_error_shape(
    api: Client, path: str, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = api.post(
        f"/api/v1/{path}", b"[" + b"0," * 2000 + b"0]", content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "1024" not in response.json()["detail"] and "MB" in response.json()["detail"]


def test_an_unexpected_api_error_is_a_500_in_the_error_shape(
    admin: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from caunoi.registry import services

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "agreement_save", broken)
    _, raw = api_token_create(user=admin, name="test")
    client = Client(headers={"Authorization": f"Bearer {raw}"}, raise_request_exception=False)
    payload = {"title_vi": "Thỏa thuận", "kind": "mou", "level": "ministry", "parties": []}
    response = client.post("/api/v1/agreements", payload, content_type="application/json")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Đã xảy ra lỗi máy chủ. Lỗi đã được ghi lại.",
        "errors": {},
    }
    assert "disk on fire" in caplog.text  # logged with its traceback, as for a page


def test_an_oversized_form_post_is_a_400_page(admin: Any, settings: Any) -> None:
    from support import login

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = login(admin)
    client.raise_request_exception = False
    response = client.post("/registry/agreements/new/", {"title_vi": "x" * 4000})
    assert response.status_code == 400
    assert "Không thể hiểu yêu cầu" in response.content.decode()


def test_a_partner_cannot_be_its_own_parent_or_below_itself(api: Client, make_org: Any) -> None:
    top, middle = make_org(), make_org()
    middle.parent = top
    middle.save()
    for child, parent in ((top, top), (top, middle)):
        url = f"/api/v1/partners/{child.pk}"
        read = api.get(url)
        response = api.patch(
            url,
            {"parent": parent.pk},
            content_type="application/json",
            headers={"If-Match": read["ETag"]},
        )
        assert response.status_code == 400, (child, parent)
        assert list(response.json()["errors"]) == ["parent"]
    top.refresh_from_db()
    assert top.parent_id is None
    # The key works as well as the id, and a proper parent is taken.
    other = make_org()
    url = f"/api/v1/partners/{other.pk}"
    read = api.get(url)
    ok = api.patch(
        url,
        {"parent": middle.key},
        content_type="application/json",
        headers={"If-Match": read["ETag"]},
    )
    assert ok.status_code == 200 and ok.json()["parent_id"] == middle.pk


@pytest.mark.parametrize(
    "changes",
    [
        {"title_vi": "Thỏa\x00thuận"},
        {"fields": ["semi\x00conductors"]},
        {"parties": [{"side": "foreign", "organization": "kist\x00"}]},
    ],
)
def test_a_nul_character_in_json_text_is_refused_naming_the_field(
    api: Client, taxonomy: Any, changes: dict[str, Any]
) -> None:
    payload = {"title_vi": "Thỏa thuận", "kind": "mou", "level": "ministry", **changes}
    payload.setdefault("parties", [{"side": "foreign", "country": "KR"}])
    response = api.post("/api/v1/agreements", payload, content_type="application/json")
    assert response.status_code == 422, response.content
    (path,) = response.json()["errors"]
    assert path.split(".")[0] == next(iter(changes))
    assert "NUL" in response.json()["errors"][path][0]


@pytest.mark.parametrize("path", ["agreements", "partners", "jobs"])
@pytest.mark.parametrize(
    "query", ["page=649348003503875532259328", "page_size=649348003503875532259328", "page=0"]
)
def test_page_numbers_out_of_range_are_a_422(api: Client, path: str, query: str) -> None:
    response = api.get(f"/api/v1/{path}?{query}")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [query.split("=")[0]]


def test_a_page_past_the_end_is_empty(api: Client) -> None:
    response = api.get("/api/v1/agreements?page=1000000&page_size=100")
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize(
    "url",
    [
        "/registry/agreements/?year=%C2%B2",  # "²": str.isdigit() says yes, int() says no
        "/search/?q=han&year=%C2%B2",
        "/registry/agreements/import/?job=%C2%B2",
    ],
)
def test_a_unicode_digit_in_a_query_is_not_a_server_error(admin: Any, url: str) -> None:
    from support import login

    assert login(admin).get(url).status_code in (200, 400)


def test_a_unicode_digit_in_an_import_id_is_named(admin: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from support import login

    body = "id,title_vi\n²,Hiệp định thử\n".encode()
    response = login(admin).post(
        "/registry/agreements/import/",
        {"file": SimpleUploadedFile("a.csv", body, "text/csv")},
    )
    assert response.status_code == 400
    assert "²" in response.content.decode()
