""" "My matches" (/market/mine/matches/): a requester's best matches per published request,
a provider's matching requests per published offer, with the record pages' audience rules;
pagination, the empty state, both languages. And the officers' way into their pages from
the main menu and the marketplace home."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from caunoi.market.models import Match
from support import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    org_member: tuple[Any, Any],
    provider: Any,
    make_offer: Any,
    make_request: Any,
    publish: Any,
) -> dict[str, Any]:
    user, org = org_member
    user.first_name, user.last_name = "Lan", "Nguyễn"
    user.save()
    offer = publish(make_offer(provider, title_en="Solar dryer for coffee beans"))
    other = publish(make_offer(provider, title_en="Heat pump dryer"))
    anon = publish(
        make_request(
            user,
            title_vi="Cần máy sấy cà phê",
            confidentiality="anonymous",
            owner_organization=org,
        )
    )
    secret = publish(make_request(user, title_vi="Dây chuyền kín", confidentiality="officers"))
    draft = make_request(user, title_vi="Bản nháp chưa gửi")
    # Stored matches as a recompute leaves them (the ranking itself is tested elsewhere).
    Match.objects.filter(request__in=[anon, secret]).delete()
    Match.objects.create(request=anon, offer=offer, score=0.8, explanation={})
    Match.objects.create(request=anon, offer=other, score=0.4, explanation={})
    Match.objects.create(request=secret, offer=offer, score=0.7, explanation={})
    return {
        "user": user,
        "org": org,
        "offer": offer,
        "other": other,
        "anon": anon,
        "secret": secret,
        "draft": draft,
    }


def test_the_requester_sees_each_published_requests_matches(world: dict[str, Any]) -> None:
    client = login(world["user"])
    mine = client.get("/market/mine/").content.decode()
    assert 'href="/market/mine/matches/"' in mine and "Kết quả ghép nối của tôi" in mine
    page = client.get("/market/mine/matches/").content.decode()
    anon = page.split(f'id="my-matches-requests-{world["anon"].pk}"')[1].split("</section>")[0]
    # Best first, with the score and the explanation block of the record page.
    assert anon.index("Solar dryer for coffee beans") < anon.index("Heat pump dryer")
    assert "0,80" in anon and "Vì sao phù hợp" in anon  # a Vietnamese decimal comma
    assert f'id="my-matches-requests-{world["secret"].pk}"' in page  # their own: listed
    assert "Bản nháp chưa gửi" not in page  # not published: no matches to show


def test_the_provider_sees_matching_requests_without_the_anonymous_requester(
    world: dict[str, Any], provider: Any
) -> None:
    page = login(provider).get("/market/mine/matches/").content.decode()
    offer = page.split(f'id="my-matches-offers-{world["offer"].pk}"')[1].split("</section>")[0]
    assert "Cần máy sấy cà phê" in offer
    assert "Bên đặt hàng không công khai" in offer
    for name in (world["org"].name_vi, "Nguyễn"):
        assert name not in page
    assert "Dây chuyền kín" not in page  # officers-only: never to a provider


def test_pagination_empty_state_english_and_sign_in(
    world: dict[str, Any], provider: Any, make_outside: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(settings, "CAUNOI_PAGE_SIZE", 1)
    client = login(provider)
    first = client.get("/market/mine/matches/").content.decode()
    second = client.get("/market/mine/matches/?page=2").content.decode()
    assert "1 / 2" in first and "2 / 2" in second
    titles = ("Solar dryer for coffee beans", "Heat pump dryer")
    assert sum(t in first for t in titles) == 1 and sum(t in second for t in titles) == 1
    newcomer = login(make_outside("enterprise", "newcomer"))
    empty = newcomer.get("/market/mine/matches/").content.decode()
    assert 'id="my-matches-empty"' in empty and "Bạn chưa có bản ghi nào được công bố" in empty
    newcomer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert (
        "You have no published records yet"
        in newcomer.get("/market/mine/matches/").content.decode()
    )
    anonymous = Client().get("/market/mine/matches/")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_officers_reach_their_pages_from_the_menu_and_the_market_home(
    owner: Any, provider: Any, make_request: Any, enterprise: Any
) -> None:
    from caunoi.market import services

    waiting = make_request(enterprise, title_vi="Chờ duyệt")
    services.transition(user=enterprise, record=waiting, to="submitted")
    officer = login(owner)
    front = officer.get("/").content.decode()
    assert (
        'id="menu-market" href="/market/"' in front or 'href="/market/" id="menu-market"' in front
    )
    home = officer.get("/market/").content.decode()
    assert 'id="officer-links"' in home
    assert 'id="officer-review-count">1<' in home  # the queue, with its count
    for url in (
        "/market/review/",
        "/market/offers/import/",
        "/market/requests/import/",
        "/market/targets/",
        "/market/review/#interests-stalled-head",
    ):
        assert f'href="{url}"' in home
        assert officer.get(url.split("#")[0]).status_code == 200
    assert 'id="interests-stalled-head"' in officer.get("/market/review/").content.decode()
    # Outside users and visitors see the menu entry, not the officers' links.
    for client in (login(provider), Client()):
        page = client.get("/market/").content.decode()
        assert 'id="officer-links"' not in page and "/market/review/" not in page
        assert 'id="menu-market"' in client.get("/").content.decode()
