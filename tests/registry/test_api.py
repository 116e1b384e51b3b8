"""The REST API: filters, pagination, create/update/delete with the UI's validation, one error
shape, token and session authentication, OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caunoi.accounts.services import api_token_create
from caunoi.registry.models import Agreement, Delegation, Organization
from support import etag_of

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


def test_list_filters_and_pages(make_agreement: Any, taxonomy: Any) -> None:
    for _ in range(30):
        make_agreement(country="KR", status="in_force")
    make_agreement(country="US", status="expired", title_vi="Hiệp định 123 về năng lượng hạt nhân")
    client = Client()
    page1 = client.get("/api/v1/agreements?page_size=10").json()
    assert page1["count"] == 31 and len(page1["items"]) == 10
    page4 = client.get("/api/v1/agreements?page_size=10&page=4").json()
    assert len(page4["items"]) == 1
    assert client.get("/api/v1/agreements?country=US").json()["count"] == 1
    assert client.get("/api/v1/agreements?status=expired").json()["count"] == 1
    found = client.get("/api/v1/agreements", {"q": "năng lượng hạt nhân"}).json()
    assert [i["title_vi"] for i in found["items"]] == ["Hiệp định 123 về năng lượng hạt nhân"]
    titles = [
        i["signed_on"] for i in client.get("/api/v1/agreements?sort=signed_on").json()["items"]
    ]
    assert titles == sorted(titles)


def test_expiry_year_and_signed_filters_as_on_the_list_page(make_agreement: Any) -> None:
    import datetime as dt

    make_agreement(expires_on=dt.date(2027, 3, 1))
    make_agreement(expires_on=dt.date(2028, 3, 1))
    unsigned = make_agreement(status="negotiating")
    Agreement.objects.filter(pk=unsigned.pk).update(signed_on=None)
    client = Client()
    assert client.get("/api/v1/agreements?expires=2027").json()["count"] == 1
    assert client.get("/api/v1/agreements?signed=1").json()["count"] == 2
    assert client.get("/api/v1/agreements").json()["count"] == 3
    assert client.get("/api/v1/agreements?signed=2").status_code == 422


def test_create_agreement_with_parties(admin: Any, taxonomy: Any) -> None:
    payload = {
        "title_vi": "Hiệp định hợp tác về sử dụng năng lượng hạt nhân vì mục đích hòa bình",
        "title_en": "Agreement for cooperation concerning peaceful uses of nuclear energy",
        "kind": "intergovernmental",
        "level": "government",
        "status": "in_force",
        "signed_on": "2014-05-06",
        "effective_on": "2014-10-03",
        "expires_on": "2044-10-03",
        "parties": [{"side": "foreign", "country": "US"}, {"side": "vn", "country": "VN"}],
        "fields": ["physical-sciences"],
        "is_public": True,
    }
    response = Client().post(
        "/api/v1/agreements", payload, content_type="application/json", headers=bearer(admin)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "in_force" and body["is_public"] is True
    assert {(p["side"], p["country"]["iso2"]) for p in body["parties"]} == {
        ("foreign", "US"),
        ("vn", "VN"),
    }
    assert body["owner_unit"]["code"] == "htqt"
    assert Agreement.objects.get(pk=body["id"]).fields.get().slug == "physical-sciences"


def test_validation_errors_have_one_shape(admin: Any, taxonomy: Any) -> None:
    payload = {
        "title_vi": "Thiếu bên",
        "kind": "mou",
        "level": "ministry",
        "signed_on": "2020-01-01",
        "expires_on": "2019-01-01",
        "parties": [],
    }
    response = Client().post(
        "/api/v1/agreements", payload, content_type="application/json", headers=bearer(admin)
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert {"expires_on", "parties"} <= set(body["errors"])
    assert Agreement.objects.count() == 0
    # A payload of the wrong type is refused in the same shape.
    response = Client().post(
        "/api/v1/agreements",
        {"title_vi": 5},
        content_type="application/json",
        headers=bearer(admin),
    )
    assert response.status_code == 422
    assert set(response.json()) == {"detail", "errors"}


def test_patch_keeps_other_fields_and_delete(
    admin: Any, make_agreement: Any, taxonomy: Any
) -> None:
    agreement = make_agreement(country="KR", is_public=True)
    agreement.fields.add(taxonomy["fields"]["semis"])
    headers = bearer(admin)
    url = f"/api/v1/agreements/{agreement.pk}"
    response = Client().patch(
        url,
        {"summary": "Tóm tắt"},
        content_type="application/json",
        headers={**headers, "If-Match": etag_of(Client(), url, headers=headers)},
    )
    assert response.status_code == 200, response.content
    agreement.refresh_from_db()
    assert agreement.summary == "Tóm tắt" and agreement.is_public
    assert [p.country_id for p in agreement.parties.all()] == ["KR"]
    assert [f.slug for f in agreement.fields.all()] == ["semiconductors"]
    response = Client().patch(
        url,
        {"nonsense": 1},
        content_type="application/json",
        headers={**headers, "If-Match": etag_of(Client(), url, headers=headers)},
    )
    # An unknown key is a schema error (422), like on POST.
    assert response.status_code == 422 and "nonsense" in response.json()["errors"]
    response = Client().delete(
        url, headers={**headers, "If-Match": etag_of(Client(), url, headers=headers)}
    )
    assert response.status_code == 204
    assert not Agreement.objects.filter(pk=agreement.pk).exists()


def test_delete_protected_partner_is_refused(
    admin: Any, make_org: Any, make_agreement: Any
) -> None:
    from caunoi.registry.models import AgreementParty

    org = make_org()
    agreement = make_agreement()
    AgreementParty.objects.create(agreement=agreement, side="foreign", organization=org)
    url = f"/api/v1/partners/{org.pk}"
    headers = {**bearer(admin), "If-Match": etag_of(Client(), url, headers=bearer(admin))}
    response = Client().delete(url, headers=headers)
    assert response.status_code == 400
    assert Organization.objects.filter(pk=org.pk).exists()


def test_session_writes_need_csrf(admin: Any, make_agreement: Any) -> None:
    agreement = make_agreement()
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    response = client.delete(f"/api/v1/agreements/{agreement.pk}")
    assert response.status_code == 401
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_other_entities_round_trip(admin: Any, taxonomy: Any, make_org: Any) -> None:
    headers = bearer(admin)
    make_org(
        key="iaea",
        name_vi="Cơ quan Năng lượng nguyên tử quốc tế",
        acronym="IAEA",
        kind="international",
        country_id=None,
    )
    cases = {
        "partners": {
            "name_vi": "Viện KH&CN Hàn Quốc",
            "acronym": "KIST",
            "kind": "research_institute",
            "country": "KR",
        },
        "memberships": {
            "organization": "iaea",
            "since": "1978-09-24",
            "annual_fee": "250000",
            "currency": "EUR",
        },
        "projects": {
            "title_vi": "Dự án FIRST",
            "kind": "loan",
            "budget": "100000000",
            "currency": "USD",
        },
        "delegations": {
            "title_vi": "Đoàn công tác tại Hàn Quốc",
            "direction": "out",
            "start_on": "2024-05-01",
            "end_on": "2024-05-05",
            "countries": ["KR"],
        },
        "events": {
            "title_vi": "Techmart quốc tế",
            "kind": "techmart",
            "start_on": "2025-10-01",
            "end_on": "2025-10-03",
            "country": "VN",
            "city": "Hà Nội",
        },
        "representatives": {
            "post": "Đại sứ quán Việt Nam tại Hàn Quốc",
            "country": "KR",
            "coverage": ["KR", "JP"],
        },
    }
    for path, payload in cases.items():
        response = Client().post(
            f"/api/v1/{path}", payload, content_type="application/json", headers=headers
        )
        assert response.status_code == 201, (path, response.content)
        pk = response.json()["id"]
        detail = Client().get(f"/api/v1/{path}/{pk}", headers=headers)
        assert detail.status_code == 200
    delegation = Delegation.objects.get()
    assert [c.iso2 for c in delegation.countries.all()] == ["KR"]
    bad = Client().post(
        "/api/v1/delegations",
        dict(cases["delegations"], end_on="2024-04-01"),
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 400 and "end_on" in bad.json()["errors"]


def test_openapi_is_published() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/agreements" in schema["paths"]
    assert "/api/v1/agreements/{pk}/transition" in schema["paths"]
    assert Client().get("/api/v1/docs").status_code == 200


def test_project_partners_survive_patch_and_are_settable(admin: Any, make_org: Any) -> None:
    funder = make_org(key="koica", kind="fund")
    partner = make_org(key="kist")
    headers = bearer(admin)
    created = Client().post(
        "/api/v1/projects",
        {"title_vi": "Dự án V-KIST", "kind": "oda", "funder": "koica", "participants": ["kist"]},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    roles = {(p["organization"]["key"], p["role"]) for p in created.json()["participants"]}
    assert roles == {(funder.key, "funding"), (partner.key, "implementing")}
    pk = created.json()["id"]
    url = f"/api/v1/projects/{pk}"
    patched = Client().patch(
        url,
        {"outputs": "Viện V-KIST"},
        content_type="application/json",
        headers={**headers, "If-Match": etag_of(Client(), url, headers=headers)},
    )
    assert patched.status_code == 200, patched.content
    assert {(p["organization"]["key"], p["role"]) for p in patched.json()["participants"]} == roles


def test_agreement_status_defaults_and_cannot_be_patched(admin: Any, taxonomy: Any) -> None:
    headers = bearer(admin)
    created = Client().post(
        "/api/v1/agreements",
        {
            "title_vi": "Dự thảo",
            "kind": "mou",
            "level": "ministry",
            "parties": [{"side": "foreign", "country": "JP"}],
        },
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "negotiating"
    pk = created.json()["id"]
    url = f"/api/v1/agreements/{pk}"
    refused = Client().patch(
        url,
        {"status": "in_force"},
        content_type="application/json",
        headers={**headers, "If-Match": etag_of(Client(), url, headers=headers)},
    )
    assert refused.status_code == 400 and "status" in refused.json()["errors"]
