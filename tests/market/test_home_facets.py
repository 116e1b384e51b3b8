"""The marketplace home's facets: every link keeps the other filters and the search text, the
applied filters show with a way to remove each, and every count — offers and requests apart —
equals what its link lists, for each reader (an officers-only request counted for staff only)."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qsl

import pytest
from django.test import Client

from support import login

pytestmark = pytest.mark.django_db

FACET_LINK = re.compile(
    r'<a href="\?(?P<query>[^"]*)" data-facet="(?P<facet>\w+)" data-value="(?P<value>[^"]*)"'
    r"[^>]*>.*?</a>(?:\s*<span class=\"badge\">[^<]*</span>)?\s*"
    r'<span class="count" data-offers="(?P<offers>\d+)"(?: data-requests="(?P<requests>\d+)")?>',
    re.S,
)


def _counts(page: str) -> tuple[int, int]:
    offers = re.search(r'id="offer-count">(\d+)<', page)
    requests = re.search(r'id="request-count">(\d+)<', page)
    assert offers is not None and requests is not None
    return int(offers.group(1)), int(requests.group(1))


def _links(page: str) -> list[dict[str, Any]]:
    out = []
    for m in FACET_LINK.finditer(page):
        out.append(
            {
                "facet": m["facet"],
                "value": html.unescape(m["value"]),
                "params": dict(parse_qsl(html.unescape(m["query"]))),
                "offers": int(m["offers"]),
                "requests": None if m["requests"] is None else int(m["requests"]),
            }
        )
    return out


@pytest.fixture
def market(
    provider: Any,
    enterprise: Any,
    make_offer: Any,
    make_request: Any,
    publish: Any,
    taxonomy: Any,
) -> dict[str, Any]:
    fields = taxonomy["fields"]
    made = []
    for title, country, trl, coop, field in (
        ("Chip Kelvora one", "KR", 4, ["licence"], "semis"),
        ("Chip Kelvora two", "KR", 7, ["licence", "technical"], "semis"),
        ("Laser Kelvora", "JP", 6, ["technical"], "physics"),
        ("Sensor plain", "US", 9, ["joint_venture"], "natural"),
    ):
        offer = make_offer(provider, title_en=title, country_id=country, trl=trl, cooperation=coop)
        offer.fields.set([fields[field]])
        made.append(publish(offer))
    # A draft is never counted.
    make_offer(provider, title_en="Draft Kelvora", country_id="KR", cooperation=["licence"])
    requests = {}
    for title, level, countries, coop, field in (
        ("Đặt hàng Kelvora công khai", "public", ["KR"], ["licence"], "semis"),
        ("Đặt hàng Kelvora ẩn danh", "anonymous", ["KR", "JP"], ["technical"], "physics"),
        ("Đặt hàng Kelvora nội bộ", "officers", ["KR"], ["licence"], "semis"),
    ):
        record = make_request(
            enterprise,
            title_vi=title,
            confidentiality=level,
            preferred_countries=countries,
            cooperation=coop,
        )
        record.fields.set([fields[field]])
        requests[level] = publish(record)
    return {"offers": made, "requests": requests}


def _check_every_link(client: Client, query: dict[str, str]) -> list[dict[str, Any]]:
    """Each facet link of the page for ``query`` keeps every other filter applied, and its
    counts equal the lists it leads to."""
    page = client.get("/market/", query).content.decode()
    links = _links(page)
    assert links, query
    for link in links:
        expected = {k: v for k, v in query.items() if k != link["facet"]}
        selected = query.get(link["facet"]) == link["value"]
        if selected:
            # The applied value's link removes it; its counts are those of this page.
            offers, requests = _counts(page)
        else:
            expected[link["facet"]] = link["value"]
            offers, requests = _counts(client.get("/market/", expected).content.decode())
        assert link["params"] == expected, (query, link)
        assert link["offers"] == offers, (query, link)
        if link["requests"] is not None:
            assert link["requests"] == requests, (query, link)
        else:
            assert link["facet"] == "trl"
    return links


def test_every_facet_link_keeps_the_other_filters_and_counts_what_it_lists(
    market: Any, provider: Any, viewer: Any, taxonomy: Any
) -> None:
    queries: list[dict[str, str]] = [
        {},
        {"field": "semiconductors"},
        {"country": "KR"},
        {"country": "KR", "cooperation": "licence"},
        {"trl": "6", "field": "natural-sciences"},
        {"q": "Kelvora"},
        {"q": "Kelvora", "country": "KR", "field": "semiconductors"},
    ]
    for client in (Client(), login(provider), login(viewer)):
        for query in queries:
            _check_every_link(client, query)


def test_requests_are_counted_with_their_confidentiality(
    market: Any, provider: Any, viewer: Any, enterprise: Any
) -> None:
    def by_value(client: Client, facet: str, query: dict[str, str] | None = None) -> dict:
        page = client.get("/market/", query or {}).content.decode()
        return {
            link["value"]: (link["offers"], link["requests"])
            for link in _links(page)
            if link["facet"] == facet
        }

    # The public and the anonymous request count for everybody, the officers-only one for
    # staff alone; offers are the four published ones, the draft nowhere.
    for client in (Client(), login(provider)):
        assert by_value(client, "country")["KR"] == (2, 2)
        assert by_value(client, "cooperation")["licence"] == (2, 1)
        assert by_value(client, "field")["semiconductors"] == (2, 1)
        page = client.get("/market/", {"country": "KR"}).content.decode()
        assert _counts(page) == (2, 2)
        assert "Đặt hàng Kelvora nội bộ" not in page and "Draft Kelvora" not in page
    staff = login(viewer)
    assert by_value(staff, "country")["KR"] == (2, 3)
    assert by_value(staff, "field")["semiconductors"] == (2, 2)
    # The anonymous request counts without its requester's name.
    anonymous = market["requests"]["anonymous"]
    page = Client().get("/market/", {"country": "JP"}).content.decode()
    assert anonymous.title_vi in page and _counts(page) == (1, 1)
    assert enterprise.get_full_name() not in page or not enterprise.get_full_name()
    # A parent field's link lists its children's records: counted the same way.
    assert by_value(Client(), "field")["natural-sciences"] == (2, 1)
    # TRL at least: cumulative, offers only.
    trl = by_value(Client(), "trl")
    assert trl == {"4": (4, None), "6": (3, None), "7": (2, None), "9": (1, None)}


def test_applied_filters_show_and_each_can_be_removed(market: Any, taxonomy: Any) -> None:
    query = {"q": "Kelvora", "country": "KR", "cooperation": "licence"}
    page = Client().get("/market/", query).content.decode()
    chips = dict(
        (name, dict(parse_qsl(html.unescape(remove))))
        for remove, name in re.findall(
            r'<a href="\?([^"]*)" class="remove" data-remove="(\w+)"', page
        )
    )
    assert set(chips) == {"q", "country", "cooperation"}
    for name, rest in chips.items():
        assert rest == {k: v for k, v in query.items() if k != name}
    assert "Hàn Quốc" in page and "Kelvora" in page  # the country by name, the search text
    # The applied value is marked, and its link removes it (keeping the others).
    links = [link for link in _links(page) if link["facet"] == "country"]
    kr = next(link for link in links if link["value"] == "KR")
    assert kr["params"] == {"q": "Kelvora", "cooperation": "licence"}
    assert 'aria-current="true"' in page
    # In Vietnamese: the counts and the removal.
    assert re.search(r"\d+ chào bán · \d+ đặt hàng", page)
    assert 'aria-label="Bỏ bộ lọc Hàn Quốc"' in page
    # The search box keeps the facets as hidden fields.
    start = page.index('id="market-search"')
    form = page[start : page.index("</form>", start)]
    assert 'name="country" value="KR"' in form and 'name="cooperation" value="licence"' in form


def test_a_requests_country_is_its_preferred_source_not_the_requesters_own(
    org_member: Any, make_request: Any, publish: Any, taxonomy: Any
) -> None:
    """A Vietnamese requester (its organisation in Việt Nam) wanting a technology from Japan
    or Korea counts under Japan and Korea, never Việt Nam; each count is what its link lists,
    and the hint says which country it is, in both languages."""
    from caunoi.market.models import TechnologyRequest

    user, org = org_member
    org.country_id = "VN"
    org.save()
    request = publish(
        make_request(
            user,
            title_vi="Đặt hàng Zorvat sấy lạnh",
            owner_organization=org,
            preferred_countries=["JP", "KR"],
        )
    )
    assert request.owner_organization.country_id == "VN"
    assert TechnologyRequest.objects.filter(status="published").count() == 1
    client = Client()
    page = client.get("/market/").content.decode()
    counted = {
        link["value"]: link["requests"] for link in _links(page) if link["facet"] == "country"
    }
    assert counted == {"JP": 1, "KR": 1}
    for value in ("JP", "KR", "VN"):
        listed = client.get("/market/", {"country": value}).content.decode()
        assert _counts(listed) == (0, counted.get(value, 0)), value
        assert (request.title_vi in listed) == (value in counted), value
    _check_every_link(client, {})
    _check_every_link(client, {"country": "JP"})
    hint = re.search(r'data-hint="country"><small>([^<]*)<', page)
    assert hint is not None and "quốc gia nguồn công nghệ ưu tiên" in html.unescape(hint[1])
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the pages' choice of language
    english = client.get("/market/").content.decode()
    hint = re.search(r'data-hint="country"><small>([^<]*)<', english)
    assert hint is not None and "preferred source country" in html.unescape(hint[1])
    assert "not the requester" in html.unescape(hint[1])
