"""Who reads what: one rule per record type for lists, pages, search and counts; an
anonymous request's requester never reaches anyone but staff and the requester."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caunoi.market import services
from caunoi.market.models import TechnologyOffer, TechnologyRequest
from support import login

pytestmark = pytest.mark.django_db

REQUESTER = "Lumenvo"  # in the requester organisation's name: must not reach providers
SEEK = "Hoptacxanh"  # also in that name: what searches ask for (a query is echoed back)


@pytest.fixture
def anonymous_request(
    make_org: Any, make_outside: Any, admin: Any, make_request: Any, publish: Any
) -> Any:
    from caunoi.registry.affiliations import affiliation_decide, affiliation_request

    org = make_org(name_vi=f"Hợp tác xã {SEEK} {REQUESTER}", is_public=True)
    requester = make_outside("enterprise", "requester")
    claim = affiliation_request(user=requester, organization=org)
    affiliation_decide(user=admin, affiliation=claim, approve=True)
    record = make_request(
        requester,
        owner_organization=org,
        confidentiality="anonymous",
        title_vi="Dây chuyền sấy cà phê Quasarthanh",
    )
    return publish(record)


def test_drafts_are_for_their_writer_and_staff(
    provider: Any, make_outside: Any, viewer: Any, make_offer: Any
) -> None:
    offer = make_offer(provider)
    stranger = make_outside("enterprise", "stranger")
    assert list(services.readable(provider, TechnologyOffer)) == [offer]
    assert list(services.readable(viewer, TechnologyOffer)) == [offer]
    assert not services.readable(stranger, TechnologyOffer).exists()
    assert not services.readable(None, TechnologyOffer).exists()
    assert Client().get(offer.get_absolute_url()).status_code == 404
    assert login(stranger).get(offer.get_absolute_url()).status_code == 404
    assert login(provider).get(offer.get_absolute_url()).status_code == 200


def test_published_offers_are_public(provider: Any, make_offer: Any, publish: Any) -> None:
    offer = publish(make_offer(provider, title_en="Solar drying kiln"))
    page = Client().get(offer.get_absolute_url())
    assert page.status_code == 200 and "Solar drying kiln" in page.content.decode()
    home = Client().get("/market/").content.decode()
    assert "Solar drying kiln" in home


def test_officers_only_request_is_never_public(
    enterprise: Any, provider: Any, viewer: Any, make_request: Any, publish: Any
) -> None:
    record = publish(
        make_request(enterprise, confidentiality="officers", title_vi="Kín Zetaword Omegamark")
    )
    assert not services.readable(provider, TechnologyRequest).exists()
    assert not services.readable(None, TechnologyRequest).exists()
    assert services.readable(enterprise, TechnologyRequest).get() == record
    assert services.readable(viewer, TechnologyRequest).get() == record
    for client in (Client(), login(provider)):
        assert client.get(record.get_absolute_url()).status_code == 404
        assert "Omegamark" not in client.get("/market/requests/").content.decode()
        assert "Omegamark" not in client.get("/market/?q=Zetaword").content.decode()
        assert "Omegamark" not in client.get("/search/?q=Zetaword").content.decode()
    assert "Omegamark" in login(viewer).get("/market/requests/").content.decode()
    assert "Omegamark" in login(viewer).get("/search/?q=Zetaword").content.decode()


def test_anonymous_requester_is_hidden_from_providers(
    anonymous_request: Any, provider: Any, owner: Any
) -> None:
    record = anonymous_request
    provider_client = login(provider)
    # The request itself is public...
    page = provider_client.get(record.get_absolute_url()).content.decode()
    assert "Quasarthanh" in page
    # ...its requester is not, on any path.
    paths = [
        record.get_absolute_url(),
        "/market/",
        "/market/requests/",
        "/market/requests/?q=Quasarthanh",
        "/search/?q=Quasarthanh",
        "/api/v1/search?q=Quasarthanh",
    ]
    for client in (provider_client, Client()):
        for path in paths:
            body = client.get(path).content.decode()
            assert REQUESTER not in body, path
    # Searching for the requester's name (a public organisation) finds the organisation,
    # never the request.
    hits = provider_client.get("/api/v1/search", {"q": SEEK}).json()["items"]
    assert all(h["url"] != record.get_absolute_url() for h in hits)
    # Officers and the requester see who it is.
    assert REQUESTER in login(owner).get(record.get_absolute_url()).content.decode()
    assert REQUESTER in login(record.owner_user).get(record.get_absolute_url()).content.decode()


def test_target_companies_are_officers_only(
    owner: Any, other: Any, admin: Any, viewer: Any, provider: Any, taxonomy: Any
) -> None:
    """One rule (``audience.TARGET_AUDIENCE``) for the register's pages, API and search:
    officers and administrators; viewers, though network staff, see it no more than
    outside users and anonymous visitors do."""
    from caunoi.market.audience import reads_targets
    from caunoi.market.models import TargetCompany
    from caunoi.search.indexing import reindex

    target = services.record_save(
        user=owner,
        instance=TargetCompany(),
        data={
            "name": "Nanoquill GmbH",
            "country": taxonomy["countries"]["JP"],
            "technologies": "EUV",
        },
    )
    reindex()
    api = "/api/v1/market/targets"
    for person in (owner, other, admin):
        client = login(person)
        assert reads_targets(person)
        assert "Nanoquill" in client.get("/market/targets/", {"q": "Nanoquill"}).content.decode()
        assert client.get(target.get_absolute_url()).status_code == 200
        assert client.get(api, {"q": "Nanoquill"}).json()["count"] == 1
        assert client.get(f"{api}/{target.pk}").status_code == 200
    assert not reads_targets(viewer)
    assert not services.readable(viewer, TargetCompany).exists()
    for client in (login(viewer), Client(), login(provider)):
        assert client.get("/market/targets/").status_code == 404
        assert client.get("/market/targets/", {"q": "Nanoquill"}).status_code == 404
        assert client.get(target.get_absolute_url()).status_code == 404
        assert client.get(f"/market/targets/{target.pk}/edit/").status_code in (302, 404)
        assert client.get(api).status_code == 404
        assert client.get(api, {"q": "Nanoquill"}).status_code == 404
        assert client.get(f"{api}/{target.pk}").status_code == 404
        # The site search (page and API) and the marketplace's never lead to it either (the
        # query itself is echoed back: look for the company's address and its technologies).
        for path in ("/search/", "/api/v1/search", "/market/"):
            body = client.get(path, {"q": "Nanoquill"}).content.decode()
            assert target.get_absolute_url() not in body, path
            assert "EUV" not in body, path


def test_officers_only_requests_reach_no_count_nor_facet(
    enterprise: Any,
    provider: Any,
    viewer: Any,
    make_request: Any,
    publish: Any,
    taxonomy: Any,
) -> None:
    """Counts and facets for an anonymous visitor and a provider leave out an officers-only
    request (the market home's request count, its field facet, the API's count and the
    search facets); staff count it."""
    import re

    from caunoi.market import selectors

    semis = taxonomy["fields"]["semis"]
    for title, level in (("Đóng gói chip Zetaword", "public"), ("Kín Zetaword", "officers")):
        record = make_request(enterprise, title_vi=title, confidentiality=level)
        record.fields.set([semis])
        publish(record)

    def home_count(client: Client, query: str = "") -> int:
        page = client.get(f"/market/{query}").content.decode()
        found = re.search(r'id="request-count">(\d+)<', page)
        assert found is not None
        return int(found.group(1))

    def search_facets(client: Client) -> dict[tuple[str, str], int]:
        body = client.get("/api/v1/search", {"q": "Zetaword"}).json()
        return {(f["name"], v["value"]): v["count"] for f in body["facets"] for v in f["values"]}

    for client, user in ((Client(), None), (login(provider), provider)):
        assert home_count(client) == 1
        assert home_count(client, f"?field={semis.slug}") == 1
        assert home_count(client, "?q=Zetaword") == 1
        assert client.get("/api/v1/market/requests").json()["count"] == 1
        assert client.get("/api/v1/search", {"q": "Zetaword"}).json()["count"] == 1
        assert 2 not in search_facets(client).values()
        readable = services.readable(user, TechnologyRequest).filter(status="published")
        field_facet = selectors.facets(readable, TechnologyRequest)["field"]
        assert field_facet == [(semis.slug, str(semis), 1)]
    staff = login(viewer)
    assert home_count(staff) == 2
    assert staff.get("/api/v1/market/requests").json()["count"] == 2
    assert staff.get("/api/v1/search", {"q": "Zetaword"}).json()["count"] == 2
    assert 2 in search_facets(staff).values()  # the same facets count both for staff
