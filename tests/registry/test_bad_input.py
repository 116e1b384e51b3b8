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
