"""Officers link outside users to registry organisations; nobody else can."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from support import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(make_outside: Any) -> Any:
    """An outside user who named an organisation the registry does not have yet."""
    from caunoi.registry.affiliations import request_for_claim

    user = make_outside("provider", "tung")
    user.claimed_organization = "Công ty TNHH Công nghệ Cảm biến Hòa Lạc"
    user.claimed_country = "VN"
    user.save()
    request = request_for_claim(user=user)
    assert request is not None and request.organization is None
    return request


@pytest.fixture
def matched(make_outside: Any, make_org: Any) -> Any:
    """A request whose named organisation matched one in the registry."""
    from caunoi.registry.affiliations import affiliation_request

    user = make_outside("research", "huy")
    return affiliation_request(user=user, organization=make_org(name_vi="Viện Vật lý"))


def test_officer_approves_the_matched_organisation(matched: Any, owner: Any) -> None:
    from caunoi.accounts.models import AuditEvent
    from caunoi.registry.affiliations import approved_organization_ids

    client = login(owner)
    queue = client.get("/registry/affiliations/").content.decode()
    assert "huy@example.vn" in queue and "Viện Vật lý" in queue
    assert approved_organization_ids(matched.user) == set()
    response = client.post(
        f"/registry/affiliations/{matched.pk}/",
        {"decision": "approve", "organization": matched.organization_id, "note": ""},
    )
    assert response.status_code == 302
    matched.refresh_from_db()
    assert (matched.state, matched.decided_by) == ("approved", owner)
    assert matched.decided_at is not None
    assert approved_organization_ids(matched.user) == {matched.organization_id}
    event = AuditEvent.objects.get(model="registry.affiliation", action="transition")
    assert event.actor == owner and event.changes["state"] == ["pending", "approved"]
    # The person's own page says so.
    page = login(matched.user).get("/accounts/me/").content.decode()
    assert 'data-state="approved"' in page and "Viện Vật lý" in page
    # Deciding twice is refused.
    again = client.post(
        f"/registry/affiliations/{matched.pk}/", {"decision": "reject"}, follow=True
    )
    assert "Yêu cầu này đã được xử lý." in again.content.decode()
    matched.refresh_from_db()
    assert matched.state == "approved"


def test_officer_creates_the_organisation_from_the_claim(
    claim: Any, owner: Any, taxonomy: Any
) -> None:
    from caunoi.registry.models import Organization

    page = login(owner).get(f"/registry/affiliations/{claim.pk}/").content.decode()
    assert "Cảm biến Hòa Lạc" in page
    login(owner).post(
        f"/registry/affiliations/{claim.pk}/", {"decision": "approve", "organization": ""}
    )
    claim.refresh_from_db()
    org = Organization.objects.get(name_vi="Công ty TNHH Công nghệ Cảm biến Hòa Lạc")
    assert claim.state == "approved" and claim.organization == org
    assert (org.kind, org.country_id, org.is_public) == ("company", "VN", False)
    assert org.owner_unit == owner.unit and org.key == "cong-ty-tnhh-cong-nghe-cam-bien-hoa-lac"


def test_officer_links_another_organisation_or_rejects(
    matched: Any, claim: Any, other: Any, make_org: Any
) -> None:
    from caunoi.registry.models import Affiliation

    better = make_org(name_vi="Viện Vật lý Kỹ thuật")
    client = login(other)
    client.post(
        f"/registry/affiliations/{matched.pk}/", {"decision": "approve", "organization": better.pk}
    )
    matched.refresh_from_db()
    assert matched.organization == better
    client.post(
        f"/registry/affiliations/{claim.pk}/",
        {"decision": "reject", "note": "Không xác minh được."},
    )
    claim.refresh_from_db()
    assert claim.state == "rejected" and claim.organization is None
    page = login(claim.user).get("/accounts/me/").content.decode()
    assert 'data-state="rejected"' in page and "Không xác minh được." in page
    assert Affiliation.objects.filter(state="pending").count() == 0


def test_one_live_link_per_person_and_organisation(matched: Any, admin: Any) -> None:
    from caunoi.core.errors import DomainError
    from caunoi.registry.affiliations import affiliation_decide, affiliation_request
    from caunoi.registry.models import Affiliation

    affiliation_decide(user=admin, affiliation=matched, approve=True)
    second = Affiliation.objects.create(user=matched.user)
    with pytest.raises(DomainError):
        affiliation_decide(
            user=admin, affiliation=second, approve=True, organization=matched.organization
        )
    assert affiliation_request(user=matched.user, organization=matched.organization) == matched


@pytest.mark.parametrize("persona", ["viewer", "enterprise"])
def test_viewers_and_outside_users_cannot_decide(
    persona: str, matched: Any, request: pytest.FixtureRequest
) -> None:
    from django.core.exceptions import PermissionDenied

    from caunoi.registry.affiliations import affiliation_decide

    client = login(request.getfixturevalue(persona))
    assert client.get("/registry/affiliations/").status_code == 403
    response = client.post(f"/registry/affiliations/{matched.pk}/", {"decision": "approve"})
    assert response.status_code in (403, 404)
    matched.refresh_from_db()
    assert matched.state == "pending"
    with pytest.raises(PermissionDenied):
        affiliation_decide(user=request.getfixturevalue(persona), affiliation=matched, approve=True)


def test_the_requester_sees_only_their_own_request(matched: Any, claim: Any) -> None:
    client = login(matched.user)
    assert (
        client.post(f"/registry/affiliations/{matched.pk}/", {"decision": "approve"}).status_code
        == 403
    )
    assert client.get(f"/registry/affiliations/{claim.pk}/").status_code == 404
    assert Client().get("/registry/affiliations/").status_code == 302


def test_officers_see_the_queue_on_their_page(matched: Any, owner: Any) -> None:
    page = login(owner).get("/accounts/me/").content.decode()
    assert 'href="/registry/affiliations/"' in page and "1 yêu cầu" in page
