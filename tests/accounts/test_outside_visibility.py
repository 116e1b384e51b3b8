"""Outside users sign in but are not network staff: they see only what is public, in every
place that shows records."""

from __future__ import annotations

from typing import Any

import pytest

from support import login

pytestmark = pytest.mark.django_db

KINDS = ["enterprise", "research", "provider", "intermediary", "expert"]


@pytest.fixture
def records(make_agreement: Any) -> dict[str, Any]:
    return {
        "public": make_agreement(title_vi="Hiệp định công khai về hạt nhân", is_public=True),
        "internal": make_agreement(title_vi="Hiệp định nội bộ về hạt nhân", is_public=False),
    }


@pytest.mark.parametrize("kind", KINDS)
def test_pages_and_api_show_no_internal_record(
    kind: str, records: dict[str, Any], make_outside: Any
) -> None:
    user = make_outside(kind)
    assert not user.is_network_staff
    client = login(user)
    listing = client.get("/registry/agreements/").content.decode()
    assert records["public"].title_vi in listing
    assert records["internal"].title_vi not in listing
    assert client.get(records["internal"].get_absolute_url()).status_code == 404
    assert client.get(records["public"].get_absolute_url()).status_code == 200
    export = client.get("/registry/agreements/", {"export": "csv"}).content.decode("utf-8-sig")
    assert "công khai" in export and "nội bộ" not in export
    api = client.get("/api/v1/agreements").json()
    assert [item["id"] for item in api["items"]] == [records["public"].pk]
    assert client.get(f"/api/v1/agreements/{records['internal'].pk}").status_code == 404


@pytest.mark.parametrize("persona", ["enterprise", "provider", "intermediary", "expert"])
def test_dashboard_counts_and_recent_changes_are_the_publics(
    persona: str, records: dict[str, Any], request: pytest.FixtureRequest, viewer: Any
) -> None:
    from caunoi.accounts.services import audit_record

    audit_record(actor=viewer, action="update", instance=records["internal"])
    title = records["internal"].title_vi
    staff = login(viewer).get("/")
    assert {e.key: n for e, n in staff.context["counts"]}["agreements"] == 2
    assert title in staff.content.decode()  # the recent-changes panel names it
    outside = login(request.getfixturevalue(persona)).get("/")
    assert {e.key: n for e, n in outside.context["counts"]}["agreements"] == 1
    assert title not in outside.content.decode()


def test_search_hits_and_counts_show_no_internal_record(
    records: dict[str, Any], enterprise: Any, viewer: Any
) -> None:
    client = login(enterprise)
    hits = client.get("/api/v1/search", {"q": "hat nhan", "mode": "lexical"}).json()
    assert [h["object_id"] for h in hits["items"]] == [records["public"].pk]
    assert hits["count"] == 1
    page = client.get("/search/", {"q": "hat nhan", "mode": "lexical"}).content.decode()
    assert "công khai" in page and "nội bộ" not in page
    # The same query shows staff both (so the assertions above could fail).
    staff = login(viewer).get("/api/v1/search", {"q": "hat nhan", "mode": "lexical"}).json()
    assert staff["count"] == 2


def test_no_writes_and_no_audit_trail(records: dict[str, Any], enterprise: Any) -> None:
    from django.test import Client

    from caunoi.accounts.services import api_token_create
    from caunoi.registry.models import Agreement

    client = login(enterprise)
    assert client.get("/registry/agreements/new/").status_code == 403
    assert client.get(f"/registry/agreements/{records['public'].pk}/edit/").status_code == 403
    _token, raw = api_token_create(user=enterprise, name="script")
    deleted = Client().delete(
        f"/api/v1/agreements/{records['public'].pk}", headers={"Authorization": f"Bearer {raw}"}
    )
    assert deleted.status_code == 403
    assert Agreement.objects.filter(pk=records["public"].pk).exists()
    detail = client.get(records["public"].get_absolute_url()).content.decode()
    assert 'id="history"' not in detail
