"""A reference never names what the reader may not read: public records that point to internal
ones show "(not public)" (no link, no name) on pages, lists, field pages, the API and search,
and staff still see the name."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from caunoi.accounts.services import api_token_create
from caunoi.registry.models import Delegation, Membership, Project, ProjectParticipant
from support import login

pytestmark = pytest.mark.django_db

SECRET_ORG = "Viện Quyxeta Nội Bộ"
SECRET_ACRONYM = "VQXNB"
SECRET_AGREEMENT = "Hiệp định Omicrona nội bộ"
SECRET_PROJECT = "Dự án Zetavora nội bộ"
HIDDEN_VI = "(không công khai)"


def bearer(user: Any) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def world(make_org: Any, make_agreement: Any, units: Any, taxonomy: Any) -> dict[str, Any]:
    """Public records, each pointing to internal ones."""
    secret = make_org(name_vi=SECRET_ORG, acronym=SECRET_ACRONYM, is_public=False)
    internal_agreement = make_agreement(title_vi=SECRET_AGREEMENT, is_public=False)
    internal_project = Project.objects.create(
        title_vi=SECRET_PROJECT, kind="bilateral", owner_unit=units["htqt"], is_public=False
    )
    agreement = make_agreement(title_vi="Hiệp định công khai Alpha")
    agreement.parties.create(side="foreign", organization=secret)
    project = Project.objects.create(
        title_vi="Dự án công khai Beta",
        kind="bilateral",
        owner_unit=units["htqt"],
        is_public=True,
        funder=secret,
        agreement=internal_agreement,
    )
    ProjectParticipant.objects.create(project=project, organization=secret, role="implementing")
    delegation = Delegation.objects.create(
        title_vi="Đoàn công khai Gamma",
        direction="out",
        start_on=dt.date(2024, 3, 1),
        end_on=dt.date(2024, 3, 5),
        owner_unit=units["htqt"],
        is_public=True,
        agreement=internal_agreement,
        project=internal_project,
    )
    membership = Membership.objects.create(
        organization=secret, owner_unit=units["htqt"], is_public=True
    )
    membership.fields.add(taxonomy["fields"]["semis"])
    child = make_org(name_vi="Phân viện công khai Delta", parent=secret)
    # Re-save so the search documents are built with every reference in place.
    for record in (agreement, project, delegation, membership, child):
        record.save()
    return {
        "secret": secret,
        "agreement": agreement,
        "project": project,
        "delegation": delegation,
        "membership": membership,
        "child": child,
        "internal_agreement": internal_agreement,
        "internal_project": internal_project,
    }


SECRETS = (SECRET_ORG, SECRET_ACRONYM, SECRET_AGREEMENT, SECRET_PROJECT)


def assert_hidden(body: Any) -> None:
    """No internal name in a page's text or an API response (JSON read back, not escaped)."""
    if not isinstance(body, str):
        body = json.dumps(body.json(), ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in body


def test_public_project_page_hides_internal_agreement_and_organisations(
    world: dict[str, Any], viewer: Any
) -> None:
    url = world["project"].get_absolute_url()
    body = Client().get(url).content.decode()
    assert "Dự án công khai Beta" in body
    assert_hidden(body)
    assert HIDDEN_VI in body
    assert world["internal_agreement"].get_absolute_url() not in body
    staff = login(viewer).get(url).content.decode()
    assert SECRET_AGREEMENT in staff and SECRET_ORG in staff


def test_public_delegation_page_hides_internal_agreement_and_project(
    world: dict[str, Any], viewer: Any
) -> None:
    url = world["delegation"].get_absolute_url()
    body = Client().get(url).content.decode()
    assert_hidden(body)
    assert world["internal_project"].get_absolute_url() not in body
    staff = login(viewer).get(url).content.decode()
    assert SECRET_AGREEMENT in staff and SECRET_PROJECT in staff


def test_public_agreement_party_hidden_on_page_and_api(world: dict[str, Any], viewer: Any) -> None:
    agreement = world["agreement"]
    client = Client()
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "Hiệp định công khai Alpha" in page and HIDDEN_VI in page
    assert_hidden(page)
    assert world["secret"].get_absolute_url() not in page
    listing = client.get("/registry/agreements/").content.decode()
    assert "Hiệp định công khai Alpha" in listing
    assert_hidden(listing)
    detail = client.get(f"/api/v1/agreements/{agreement.pk}")
    assert detail.status_code == 200
    assert_hidden(detail)
    orgs = [p["organization"] for p in detail.json()["parties"] if p["organization"]]
    assert orgs == [
        {
            "id": None,
            "key": "",
            "acronym": "",
            "name_vi": HIDDEN_VI,
            "name_en": "(not public)",
        }
    ]
    api_list = client.get("/api/v1/agreements")
    assert api_list.json()["items"][0]["title_vi"] == "Hiệp định công khai Alpha"
    assert_hidden(api_list)
    staff_page = login(viewer).get(agreement.get_absolute_url()).content.decode()
    assert SECRET_ORG in staff_page
    staff_api = client.get(f"/api/v1/agreements/{agreement.pk}", headers=bearer(viewer)).json()
    assert world["secret"].pk in [
        p["organization"]["id"] for p in staff_api["parties"] if p["organization"]
    ]


def test_public_project_api_hides_funder_participants_and_agreement(
    world: dict[str, Any], viewer: Any
) -> None:
    project = world["project"]
    got = Client().get(f"/api/v1/projects/{project.pk}").json()
    assert got["agreement_id"] is None
    assert got["funder"]["id"] is None and got["funder"]["name_en"] == "(not public)"
    assert all(p["organization"]["id"] is None for p in got["participants"])
    assert_hidden(Client().get("/api/v1/projects"))
    staff = Client().get(f"/api/v1/projects/{project.pk}", headers=bearer(viewer)).json()
    assert staff["agreement_id"] == world["internal_agreement"].pk
    assert staff["funder"]["name_vi"] == SECRET_ORG
    listing = Client().get("/registry/projects/").content.decode()
    assert "Dự án công khai Beta" in listing
    assert_hidden(listing)


def test_public_delegation_api_hides_internal_references(
    world: dict[str, Any], viewer: Any
) -> None:
    pk = world["delegation"].pk
    got = Client().get(f"/api/v1/delegations/{pk}").json()
    assert got["agreement_id"] is None and got["project_id"] is None
    staff = Client().get(f"/api/v1/delegations/{pk}", headers=bearer(viewer)).json()
    assert staff["project_id"] == world["internal_project"].pk


def test_public_membership_of_internal_organisation(world: dict[str, Any], viewer: Any) -> None:
    membership = world["membership"]
    client = Client()
    page = client.get(membership.get_absolute_url())
    assert page.status_code == 200
    assert_hidden(page.content.decode())
    assert HIDDEN_VI in page.content.decode()
    assert_hidden(client.get("/registry/memberships/").content.decode())
    assert_hidden(client.get("/fields/semiconductors/").content.decode())
    got = client.get(f"/api/v1/memberships/{membership.pk}").json()
    assert got["organization"]["id"] is None
    assert_hidden(client.get("/api/v1/memberships"))
    staff = login(viewer)
    assert SECRET_ORG in staff.get(membership.get_absolute_url()).content.decode()
    assert SECRET_ORG in staff.get("/registry/memberships/").content.decode()


def test_partner_whose_parent_is_internal(world: dict[str, Any], viewer: Any) -> None:
    child = world["child"]
    page = Client().get(child.get_absolute_url()).content.decode()
    assert "Phân viện công khai Delta" in page and HIDDEN_VI in page
    assert_hidden(page)
    assert Client().get(f"/api/v1/partners/{child.pk}").json()["parent_id"] is None
    staff = Client().get(f"/api/v1/partners/{child.pk}", headers=bearer(viewer)).json()
    assert staff["parent_id"] == world["secret"].pk
    assert SECRET_ORG in login(viewer).get(child.get_absolute_url()).content.decode()


def test_search_does_not_index_internal_names_in_public_documents(
    world: dict[str, Any], viewer: Any
) -> None:
    client = Client()
    for query in ("Quyxeta", SECRET_ACRONYM, "Omicrona", "Zetavora"):
        got = client.get("/api/v1/search", {"q": query, "mode": "lexical"})
        assert got.status_code == 200
        assert got.json()["count"] == 0, query
        page = client.get("/search/", {"q": query, "mode": "lexical"}).content.decode()
        for key in ("agreement", "project", "delegation", "membership", "child"):
            assert f'href="{world[key].get_absolute_url()}"' not in page, (query, key)
    # Public records found by their own words carry no internal name in their snippets.
    found = client.get("/api/v1/search", {"q": "công khai", "mode": "lexical"})
    assert found.json()["count"] >= 4
    assert_hidden(found)
    # Staff search the same words and find the public records that reference it.
    staff = client.get(
        "/api/v1/search", {"q": SECRET_ORG, "mode": "lexical"}, headers=bearer(viewer)
    ).json()
    urls = {hit["url"] for hit in staff["items"]}
    assert world["secret"].get_absolute_url() in urls


def test_search_document_follows_the_referenced_record(world: dict[str, Any]) -> None:
    """When the internal organisation is published, the public documents that reference it
    are rebuilt and name it (and are found by it)."""
    secret = world["secret"]
    secret.is_public = True
    secret.save()
    got = Client().get("/api/v1/search", {"q": SECRET_ACRONYM, "mode": "lexical"}).json()
    urls = {hit["url"] for hit in got["items"]}
    assert world["agreement"].get_absolute_url() in urls
    assert world["membership"].get_absolute_url() in urls
