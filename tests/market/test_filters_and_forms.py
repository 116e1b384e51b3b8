"""The marketplace pages' edges: a filter value the page cannot use is ignored and named, the
refusal of an interest in one's own record says why, the review queue pages each section, the
record form's bounds and the budget's currency, and the note on an empty organisation list."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from urllib.parse import parse_qsl

import pytest
from django.test import Client, override_settings

from support import login

pytestmark = pytest.mark.django_db


def _ignored(page: str) -> set[str]:
    """The filters the page's messages say were ignored, as ``name=value``."""
    return set(re.findall(r"Bộ lọc (\w+=“[^”]*”) không hợp lệ ở đây nên đã bị bỏ qua", page))


def _offer_count(page: str) -> int:
    found = re.search(r'id="offer-count">(\d+)<', page)
    assert found is not None
    return int(found.group(1))


@pytest.fixture
def listed(provider: Any, make_offer: Any, publish: Any, taxonomy: Any) -> list[Any]:
    offers = []
    for title, country in (("Chip Kelvora KR", "KR"), ("Chip Kelvora JP", "JP")):
        offers.append(publish(make_offer(provider, title_en=title, country_id=country, trl=6)))
    return offers


def test_unknown_values_on_the_home_are_ignored_named_and_not_shown_as_applied(
    listed: list[Any],
) -> None:
    bad = {"field": "nope", "country": "ZZ", "trl": "12", "cooperation": "xx"}
    page = Client().get("/market/", bad).content.decode()
    assert _ignored(page) == {"field=“nope”", "country=“ZZ”", "trl=“12”", "cooperation=“xx”"}
    assert 'class="remove"' not in page  # no chip: nothing applied
    assert 'id="clear-filters"' not in page
    assert _offer_count(page) == 2  # the lists are those without the ignored filters
    # A known value beside an unknown one is applied, and only the unknown one is named.
    page = Client().get("/market/", {"country": "KR", "field": "nope"}).content.decode()
    assert _ignored(page) == {"field=“nope”"}
    chips = re.findall(r'class="remove" data-remove="(\w+)"', page)
    assert chips == ["country"] and _offer_count(page) == 1
    # Every facet link carries only applied values.
    for query in re.findall(r'<a href="\?([^"]*)" data-facet=', page):
        params = dict(parse_qsl(html.unescape(query)))
        assert "field" not in params or params["field"] != "nope"


def test_unknown_values_on_a_list_are_ignored_and_named(listed: list[Any], taxonomy: Any) -> None:
    page = Client().get("/market/offers/", {"country": "ZZ"}).content.decode()
    assert _ignored(page) == {"country=“ZZ”"}
    assert "2 bản ghi" in page
    page = Client().get("/market/offers/", {"field": "nope", "trl": "12"}).content.decode()
    assert _ignored(page) == {"field=“nope”", "trl=“12”"}
    assert "2 bản ghi" in page
    # Known values filter and are not reported.
    page = Client().get("/market/offers/", {"country": "KR", "field": "semiconductors"})
    text = page.content.decode()
    assert _ignored(text) == set() and "1 bản ghi" in text
    # A filter the kind does not have is named too (a request has no TRL, an expert no
    # cooperation).
    page = Client().get("/market/requests/", {"trl": "5"}).content.decode()
    assert _ignored(page) == {"trl=“5”"}
    page = Client().get("/market/experts/", {"cooperation": "licence"}).content.decode()
    assert _ignored(page) == {"cooperation=“licence”"}


def test_an_interest_in_ones_own_offer_is_refused_with_the_apis_reason(
    listed: list[Any], provider: Any
) -> None:
    from caunoi.market.models import Interest

    mine = login(provider)
    url = f"/market/offers/{listed[0].pk}/interest/"
    answer = mine.post(url, {"message": "Tôi quan tâm"})
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "Đây là bản ghi của chính bạn." in page and "Cán bộ đơn vị" not in page
    mine.cookies["django_language"] = "en"
    page = mine.post(url, {"message": "Interested"}).content.decode()
    assert "This is your own record." in page
    assert not Interest.objects.exists()
    # Anyone else refused for another reason still sees the general page.
    assert login_viewer_denied(url)


def login_viewer_denied(url: str) -> bool:
    from caunoi.accounts.services import user_create

    user_create(username="xem-thu", password="xem-thu-Pass-2026!", role="viewer")
    client = Client()
    assert client.login(username="xem-thu", password="xem-thu-Pass-2026!")
    answer = client.post(url, {"message": "x"})
    text = answer.content.decode()
    return answer.status_code == 403 and "chính bạn" not in text


def test_the_review_queue_pages_each_section_and_keeps_the_others(
    provider: Any, enterprise: Any, owner: Any, make_offer: Any, publish: Any
) -> None:
    from caunoi.market import interests, services
    from caunoi.market.models import Interest

    published = [publish(make_offer(provider, title_en=f"Kelvora {n}")) for n in range(3)]
    for n in range(3):
        draft = make_offer(provider, title_en=f"Waiting {n}")
        services.transition(user=provider, record=draft, to="submitted")
    for offer in published:
        interests.interest_create(user=enterprise, record=offer, message="Chúng tôi quan tâm")
    Interest.objects.update(answer_due=dt.date.today() - dt.timedelta(days=2))
    client = login(owner)

    def section(page: str, head: str) -> str:
        start = page.index(f'id="{head}"')
        rest = page[start + 1 :]
        ends = [
            rest.find(f'id="{h}"') for h in ("interests-to-forward-head", "interests-stalled-head")
        ]
        ends = [e for e in ends if e > 0]
        return rest[: min(ends)] if ends else rest

    with override_settings(CAUNOI_PAGE_SIZE=2):
        page = client.get("/market/review/", {"forward_page": "2"}).content.decode()
        stalled = section(page, "interests-stalled-head")
        assert stalled.count("<li>") == 2
        nxt = re.search(r'data-pager="stalled_page">[^<]*<a href="\?([^"]*)" rel="next"', stalled)
        assert nxt is not None
        params = dict(parse_qsl(html.unescape(nxt.group(1))))
        assert params == {"forward_page": "2", "stalled_page": "2"}
        forward = section(page, "interests-to-forward-head")
        assert forward.count("<li>") == 1  # page 2 of 3
        records = page[page.index('id="review-queue"') : page.index("interests-to-forward-head")]
        assert records.count("<tr>") == 2 + 1  # the head row and two records
        second = client.get("/market/review/", params).content.decode()
        assert section(second, "interests-stalled-head").count("<li>") == 1
    titles = re.findall(r"Waiting \d", client.get("/market/review/").content.decode())
    assert sorted(titles) == ["Waiting 0", "Waiting 1", "Waiting 2"]  # one page by default


def test_the_request_form_asks_what_the_server_accepts(enterprise: Any, taxonomy: Any) -> None:
    client = login(enterprise)
    page = client.get("/market/requests/new/").content.decode()
    assert re.search(r'<input type="number" name="min_trl" min="1" max="9"', page)
    assert re.search(r'<input type="number" name="staff_count" min="0"', page)
    body = {
        "title_vi": "Cần công nghệ xử lý nước thải",
        "need": "Hệ thống 150 m³ mỗi ngày",
        "confidentiality": "public",
        "budget_min": "1000000",
        "currency": "",
    }
    answer = client.post("/market/requests/new/", body)
    assert answer.status_code == 200
    errors = re.findall(
        r'<p class="field-error" data-field="(\w+)">([^<]*)<', answer.content.decode()
    )
    assert ("currency", "Hãy chọn đơn vị tiền tệ của ngân sách.") in errors
    from caunoi.market.models import TechnologyRequest

    assert not TechnologyRequest.objects.exists()
    assert client.post("/market/requests/new/", dict(body, currency="VND")).status_code == 302
    assert TechnologyRequest.objects.count() == 1


def test_a_budget_without_currency_is_refused_by_the_api_and_the_services(
    enterprise: Any, taxonomy: Any
) -> None:
    from caunoi.core.errors import DomainError
    from caunoi.market import services
    from caunoi.market.models import TechnologyRequest

    values = {"title_vi": "Cần máy sấy", "need": "Máy sấy", "budget_max": 5, "currency": ""}
    errors = services.record_errors(user=enterprise, instance=TechnologyRequest(), data=values)
    assert list(errors) == ["currency"]
    with pytest.raises(DomainError) as caught:
        services.record_save(user=enterprise, instance=TechnologyRequest(), data=values)
    assert "currency" in caught.value.errors
    # Without an amount no currency is needed.
    values = {"title_vi": "Cần máy sấy", "need": "Máy sấy", "currency": ""}
    assert services.record_errors(user=enterprise, instance=TechnologyRequest(), data=values) == {}
    answer = login(enterprise).post(
        "/api/v1/market/requests",
        {"title_vi": "Cần máy sấy", "need": "Máy sấy", "budget_min": "10", "currency": ""},
        content_type="application/json",
    )
    assert answer.status_code == 422, answer.content
    assert "currency" in answer.json()["errors"]
    assert not TechnologyRequest.objects.exists()


def test_an_offer_price_without_currency_is_refused_everywhere(
    provider: Any, owner: Any, taxonomy: Any
) -> None:
    from caunoi.core.errors import DomainError
    from caunoi.market import services
    from caunoi.market.imports import import_offers
    from caunoi.market.models import TechnologyOffer

    values = {"title_vi": "Máy sấy lạnh", "summary_vi": "Máy sấy", "price_min": 5}
    values["price_currency"] = ""
    errors = services.record_errors(user=provider, instance=TechnologyOffer(), data=values)
    assert errors == {"price_currency": ["Hãy chọn đơn vị tiền tệ của giá."]}
    with pytest.raises(DomainError):
        services.record_save(user=provider, instance=TechnologyOffer(), data=values)
    # a price needs no currency when there is no amount; with one, the default (VND) is kept
    del values["price_min"]
    assert services.record_errors(user=provider, instance=TechnologyOffer(), data=values) == {}
    answer = login(provider).post(
        "/api/v1/market/offers",
        {"title_vi": "Máy sấy", "summary_vi": "Máy sấy", "price_max": "10", "price_currency": ""},
        content_type="application/json",
    )
    assert answer.status_code == 422, answer.content
    assert "price_currency" in answer.json()["errors"]
    assert not TechnologyOffer.objects.exists()
    # in an import file an empty cell takes the default currency (as a request's budget does)
    report = import_offers(
        user=owner, rows=[{"title_vi": "Máy sấy", "price_min": "10", "price_currency": ""}]
    )
    assert report.ok, report.errors
    assert TechnologyOffer.objects.get().price_currency == "VND"


def test_an_empty_organisation_list_says_why(
    make_outside: Any, make_org: Any, org_member: Any, taxonomy: Any
) -> None:
    from caunoi.registry.affiliations import affiliation_request

    pending = make_outside("enterprise", "moi-dang-ky")
    affiliation_request(user=pending, organization=make_org(name_vi="Công ty Mới"))
    client = login(pending)
    page = client.get("/market/requests/new/").content.decode()
    assert "Tổ chức của bạn sẽ hiện ở đây khi cán bộ xác nhận bạn thuộc tổ chức đó" in page
    client.cookies["django_language"] = "en"
    page = client.get("/market/requests/new/").content.decode()
    assert "Your organisation appears here once an officer confirms that you belong to it" in page
    # Without any link request: the rule, said once.
    page = login(make_outside("enterprise", "chua-lien-ket")).get("/market/requests/new/")
    assert "Chỉ những tổ chức mà cán bộ đã xác nhận bạn là thành viên" in page.content.decode()
    # A confirmed member sees their organisation and no note.
    member, org = org_member
    page = login(member).get("/market/requests/new/").content.decode()
    assert org.name_vi in page and "Tổ chức của bạn sẽ hiện" not in page
    assert "Chỉ những tổ chức" not in page
