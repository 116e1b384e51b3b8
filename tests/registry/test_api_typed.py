"""The typed API: payloads validated by explicit schemas and written by the services, not
parsed as spreadsheet cells; one error shape in the request's language; enums and summaries
in OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caunoi.accounts.models import AuditEvent
from caunoi.accounts.services import api_token_create
from caunoi.core.errors import DomainError
from caunoi.registry.models import Agreement, Membership, Organization, Project

pytestmark = pytest.mark.django_db

ALIAS = "Institute of Science, Technology and Innovation"


@pytest.fixture
def api(admin: Any) -> Any:
    """An administrator's client: JSON in, JSON out, a bearer token."""
    _, raw = api_token_create(user=admin, name="test")

    class Api:
        def __init__(self, **headers: str) -> None:
            self.client = Client(headers={"Authorization": f"Bearer {raw}", **headers})

        def send(self, method: str, path: str, payload: Any = None) -> Any:
            """As a client would: a change sends the ETag it has just read in If-Match."""
            call = getattr(self.client, method)
            url = f"/api/v1/{path}"
            headers = {}
            if method in ("put", "patch", "delete"):
                read = self.client.get(url)
                if read.status_code == 200:
                    headers["If-Match"] = read["ETag"]
            return call(url, payload, content_type="application/json", headers=headers)

    return Api


def agreement_payload(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "title_vi": "Hiệp định hợp tác khoa học và công nghệ",
        "kind": "intergovernmental",
        "level": "government",
        "parties": [{"side": "foreign", "country": "KR"}],
    }
    payload.update(changes)
    return payload


# --- values are kept as typed ---------------------------------------------------------------


def test_an_alias_with_commas_stays_one_alias(api: Any, taxonomy: Any) -> None:
    created = api().send(
        "post",
        "partners",
        {
            "name_vi": "Viện Khoa học, Công nghệ và Đổi mới",
            "kind": "research_institute",
            "aliases": [ALIAS, "  ", ALIAS],
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["aliases"] == [ALIAS]
    org = Organization.objects.get()
    assert org.aliases == [ALIAS]
    assert org.key.startswith("vien-khoa-hoc")  # made from the name by the service
    # A PATCH of another field leaves the aliases as they are.
    patched = api().send("patch", f"partners/{org.pk}", {"description": "Viện nghiên cứu"})
    assert patched.status_code == 200, patched.content
    org.refresh_from_db()
    assert org.aliases == [ALIAS] and org.description == "Viện nghiên cứu"


def test_patch_is_validated_like_post(api: Any, make_agreement: Any) -> None:
    agreement = make_agreement(auto_renew=True)
    for method, path, payload in (
        ("patch", f"agreements/{agreement.pk}", {"auto_renew": "maybe"}),
        ("post", "agreements", agreement_payload(auto_renew="maybe")),
    ):
        response = api().send(method, path, payload)
        assert response.status_code == 422, (method, response.content)
        assert list(response.json()["errors"]) == ["auto_renew"]
    agreement.refresh_from_db()
    assert agreement.auto_renew is True


def test_patch_writes_only_the_fields_sent(api: Any, make_org: Any, taxonomy: Any) -> None:
    org = make_org(aliases=[ALIAS], acronym="ISTI", website="https://isti.example.org")
    org.fields.add(taxonomy["fields"]["semis"])
    first = api().send("patch", f"partners/{org.pk}", {"description": "Mô tả"})
    second = api().send("patch", f"partners/{org.pk}", {"name_en": "ISTI Institute"})
    assert first.status_code == second.status_code == 200
    org.refresh_from_db()
    assert (org.description, org.name_en) == ("Mô tả", "ISTI Institute")
    assert org.aliases == [ALIAS] and org.acronym == "ISTI" and org.country_id == "KR"
    assert [f.slug for f in org.fields.all()] == ["semiconductors"]
    # The audit trail records exactly the field each PATCH sent.
    changes = [e.changes for e in AuditEvent.objects.filter(object_id=str(org.pk))]
    assert sorted(tuple(c) for c in changes) == [("description",), ("name_en",)]


def test_patch_null_clears_and_put_replaces(api: Any, make_agreement: Any, taxonomy: Any) -> None:
    agreement = make_agreement(summary="Tóm tắt", expires_on="2030-01-01")
    agreement.fields.add(taxonomy["fields"]["semis"])
    cleared = api().send("patch", f"agreements/{agreement.pk}", {"expires_on": None})
    assert cleared.status_code == 200 and cleared.json()["expires_on"] is None
    # null is not a value for a field that cannot be empty, on PATCH as on POST.
    refused = api().send("patch", f"agreements/{agreement.pk}", {"title_vi": None})
    assert refused.status_code == 422 and list(refused.json()["errors"]) == ["title_vi"]
    replaced = api().send(
        "put",
        f"agreements/{agreement.pk}",
        agreement_payload(status="in_force", parties=[{"side": "foreign", "country": "JP"}]),
    )
    assert replaced.status_code == 200, replaced.content
    agreement.refresh_from_db()
    assert agreement.summary == "" and list(agreement.fields.all()) == []
    assert [p.country_id for p in agreement.parties.all()] == ["JP"]
    assert agreement.is_public  # left out of the PUT: unchanged


# --- nested objects and references ----------------------------------------------------------


def test_nested_parties_are_created_as_sent(api: Any, make_org: Any, taxonomy: Any) -> None:
    kist = make_org(key="kist", country_id="KR")
    most = make_org(key="most", country_id="VN")
    response = api().send(
        "post",
        "agreements",
        agreement_payload(
            parties=[
                {"side": "foreign", "organization": "kist"},
                {"side": "foreign", "country": "JP"},
                {"side": "vn", "organization": most.pk},
                {"side": "vn", "country": "vn"},
            ]
        ),
    )
    assert response.status_code == 201, response.content
    agreement = Agreement.objects.get()
    assert sorted(
        (p.side, p.country_id or "", p.organization_id or 0) for p in agreement.parties.all()
    ) == sorted(
        [("foreign", "", kist.pk), ("foreign", "JP", 0), ("vn", "", most.pk), ("vn", "VN", 0)]
    )
    assert set(agreement.countries.values_list("iso2", flat=True)) == {"KR", "JP", "VN"}


def test_party_rules_name_each_bad_party(api: Any, make_org: Any, taxonomy: Any) -> None:
    make_org(key="kist", country_id="KR")
    response = api().send(
        "post",
        "agreements",
        agreement_payload(
            parties=[
                {"side": "vn", "country": "KR"},
                {"side": "vn", "organization": "kist"},
                {"side": "foreign"},
                {"side": "foreign", "country": "JP", "organization": "kist"},
            ]
        ),
    )
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert set(errors) == {
        "parties.0.country",
        "parties.1.organization",
        "parties.2",
        "parties.3",
    }
    assert Agreement.objects.count() == 0


def test_unknown_references_name_the_field(api: Any, make_org: Any, taxonomy: Any) -> None:
    response = api().send(
        "post",
        "agreements",
        agreement_payload(
            parties=[{"side": "foreign", "country": "KR"}, {"side": "vn", "organization": "nope"}],
            fields=["semiconductors", "no-such-field"],
            expires_on="2010-01-01",
            signed_on="2011-01-01",
        ),
    )
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    # Unknown references and broken rules are reported together.
    assert set(errors) == {"parties.1.organization", "fields.1", "expires_on"}
    assert "“nope”" in errors["parties.1.organization"][0]
    membership = api().send("post", "memberships", {"organization": "nope"})
    assert membership.status_code == 400
    assert set(membership.json()["errors"]) == {"organization"}
    project = api().send(
        "post", "projects", {"title_vi": "Dự án", "kind": "oda", "participants": ["x", "y"]}
    )
    assert set(project.json()["errors"]) == {"participants.0", "participants.1"}
    assert Membership.objects.count() == Project.objects.count() == 0


# --- one error shape, in the request's language ---------------------------------------------


def bad_agreement() -> dict[str, Any]:
    payload = agreement_payload(
        title_vi="x" * 501,
        kind="treaty",
        signed_on="2020-13-01",
        auto_renew="maybe",
        parties=[{"side": "foreign", "country": 5}, {"side": "both", "country": "KR"}],
        nonsense=1,
    )
    del payload["level"]
    return payload


BAD_FIELDS = {
    "title_vi",
    "kind",
    "level",
    "signed_on",
    "auto_renew",
    "parties.0.country",
    "parties.1.side",
    "nonsense",
}


def test_schema_errors_name_every_bad_field_in_vietnamese(api: Any, taxonomy: Any) -> None:
    response = api().send("post", "agreements", bad_agreement())
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert set(body["errors"]) == BAD_FIELDS
    assert body["detail"] == "Yêu cầu không hợp lệ."
    errors = {k: v[0] for k, v in body["errors"].items()}
    assert errors["title_vi"] == "Tối đa 500 ký tự."
    assert errors["kind"].startswith("“treaty” không được chấp nhận")
    assert "intergovernmental, ministry, mou" in errors["kind"]
    assert errors["signed_on"] == "Hãy nhập ngày hợp lệ (YYYY-MM-DD)."
    assert errors["auto_renew"] == "Hãy nhập true hoặc false."
    assert errors["nonsense"] == "Trường dữ liệu không tồn tại."
    missing = api().send("post", "agreements", {"kind": "mou"}).json()["errors"]
    assert missing == {
        "title_vi": ["Trường này là bắt buộc."],
        "level": ["Trường này là bắt buộc."],
    }


@pytest.mark.parametrize(
    "headers, cookies",
    [({"Accept-Language": "en"}, {}), ({}, {"django_language": "en"})],
    ids=["accept-language", "cookie"],
)
def test_errors_in_english_when_asked(
    api: Any, taxonomy: Any, headers: dict[str, str], cookies: dict[str, str]
) -> None:
    client = api(**headers)
    client.client.cookies.load(cookies)
    body = client.send("post", "agreements", bad_agreement()).json()
    assert set(body["errors"]) == BAD_FIELDS
    assert body["detail"] == "The request is not valid."
    errors = {k: v[0] for k, v in body["errors"].items()}
    assert errors["title_vi"] == "At most 500 characters."
    assert errors["kind"] == (
        "“treaty” is not allowed; choose one of: intergovernmental, ministry, mou, loi, "
        "minutes, protocol, contract, other."
    )
    assert errors["level"] == "This field is required."
    assert errors["parties.0.country"] == "Enter text."
    # Business errors from the services follow the same language.
    rule = client.send("post", "agreements", agreement_payload(parties=[])).json()
    assert rule["errors"] == {
        "parties": ["Name at least one foreign party (a state or an organisation)."]
    }


def test_pages_stay_vietnamese_whatever_the_browser_says(taxonomy: Any) -> None:
    page = Client(headers={"Accept-Language": "en"}).get("/countries/")
    assert page["Content-Language"] == "vi"
    api_call = Client(headers={"Accept-Language": "en"}).get("/api/v1/agreements/999")
    assert api_call.status_code == 404 and api_call.json()["detail"] == "Not found."


def test_query_and_body_errors_have_the_shape(api: Any) -> None:
    listed = api().client.get("/api/v1/agreements?status=bogus&year=10000&page=0")
    assert listed.status_code == 422
    assert set(listed.json()["errors"]) == {"status", "year", "page"}
    broken = api().client.post("/api/v1/agreements", "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json() == {"detail": "Nội dung yêu cầu không phải JSON hợp lệ.", "errors": {}}


# --- rules hold for every caller ------------------------------------------------------------


def test_service_refuses_a_foreign_state_on_the_vietnamese_side(admin: Any, taxonomy: Any) -> None:
    from caunoi.registry.services import agreement_save

    with pytest.raises(DomainError) as refused:
        agreement_save(
            user=admin,
            agreement=Agreement(),
            data={"title_vi": "Thỏa thuận", "kind": "mou", "level": "ministry"},
            parties=[("vn", taxonomy["countries"]["KR"], None)],
        )
    assert set(refused.value.errors) == {"parties.0.country", "parties"}
    assert Agreement.objects.count() == 0


def test_agreement_status_rules_through_the_api(api: Any, make_agreement: Any) -> None:
    unsigned = api().send("post", "agreements", agreement_payload(status="in_force"))
    assert unsigned.status_code == 400 and set(unsigned.json()["errors"]) == {"signed_on"}
    agreement = make_agreement(status="in_force")
    same = api().send("patch", f"agreements/{agreement.pk}", {"status": "in_force"})
    assert same.status_code == 200
    moved = api().send("patch", f"agreements/{agreement.pk}", {"status": "expired"})
    assert moved.status_code == 400 and set(moved.json()["errors"]) == {"status"}
    agreement.refresh_from_db()
    assert agreement.status == "in_force"


# --- OpenAPI --------------------------------------------------------------------------------


def test_openapi_lists_enums_and_describes_every_operation() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]

    def enum(prop: dict[str, Any]) -> list[str]:
        for option in [prop, *prop.get("anyOf", [])]:
            if "enum" in option:
                return list(option["enum"])
        return []

    assert enum(components["AgreementIn"]["properties"]["kind"]) == list(Agreement.Kind.values)
    assert enum(components["AgreementPatch"]["properties"]["status"]) == list(
        Agreement.Status.values
    )
    assert enum(components["AgreementOut"]["properties"]["status"]) == list(Agreement.Status.values)
    assert enum(components["PartyIn"]["properties"]["side"]) == ["vn", "foreign"]
    assert enum(components["OrganizationIn"]["properties"]["kind"]) == list(
        Organization.Kind.values
    )
    assert components["AgreementIn"]["properties"]["title_vi"]["maxLength"] == 500
    assert components["AgreementIn"]["properties"]["parties"]["items"] == {
        "$ref": "#/components/schemas/PartyIn"
    }
    params = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/agreements"]["get"]["parameters"]
    }
    assert enum(params["status"]) == list(Agreement.Status.values)
    assert "integer" in str(params["year"])
    operations = [
        (path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()
    ]
    summaries = [op.get("summary") for _p, _m, op in operations]
    assert all(summaries) and len(set(summaries)) == len(summaries)
    assert all(op.get("description") for _p, _m, op in operations)
    ids = {op["operationId"] for _p, _m, op in operations}
    assert {
        "agreement_list",
        "agreement_patch",
        "organization_create",
        "agreement_transition",
    } <= ids
    assert schema["paths"]["/api/v1/partners"]["get"]["tags"] == ["partners"]


def test_bounds_and_money_rules(api: Any, make_org: Any) -> None:
    make_org(key="iaea", kind="international", country_id=None)
    make_org(key="kist", kind="research_institute")
    negative = api().send(
        "post", "memberships", {"organization": "iaea", "annual_fee": "-1", "currency": "EUR"}
    )
    assert negative.status_code == 422 and set(negative.json()["errors"]) == {"annual_fee"}
    not_international = api().send(
        "post", "memberships", {"organization": "kist", "annual_fee": "10"}
    )
    assert not_international.status_code == 400
    assert set(not_international.json()["errors"]) == {"organization", "currency"}
    budget = api().send("post", "projects", {"title_vi": "Dự án", "kind": "oda", "budget": 5})
    assert budget.status_code == 400 and set(budget.json()["errors"]) == {"currency"}
    assert Membership.objects.count() == Project.objects.count() == 0
