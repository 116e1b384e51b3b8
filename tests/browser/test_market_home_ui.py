"""The marketplace home's facets in a real headless Chromium: a visitor narrows by country,
then by cooperation type (the first filter kept), each count matching the lists it opens, and
removes one filter, the other staying."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _records(owner: Any, provider: Any, enterprise: Any, taxonomy: Any) -> None:
    from caunoi.market import services
    from caunoi.market.models import TechnologyOffer, TechnologyRequest

    def publish(record: Any) -> None:
        services.transition(user=record.owner_user, record=record, to="submitted")
        services.transition(user=owner, record=record, to="published")

    for title, country, coop in (
        ("Chip đóng gói Hàn Quốc", "KR", ["licence"]),
        ("Chip cảm biến Hàn Quốc", "KR", ["technical"]),
        ("Laser Nhật Bản", "JP", ["licence"]),
    ):
        publish(
            services.record_save(
                user=provider,
                instance=TechnologyOffer(),
                data={"title_vi": title, "trl": 6, "country_id": country, "cooperation": coop},
                m2m={"fields": [taxonomy["fields"]["semis"]]},
            )
        )
    publish(
        services.record_save(
            user=enterprise,
            instance=TechnologyRequest(),
            data={
                "title_vi": "Cần công nghệ đóng gói chip",
                "need": "Đóng gói cấp wafer",
                "preferred_countries": ["KR"],
                "cooperation": ["licence"],
                "confidentiality": "anonymous",
            },
            m2m={"fields": []},
        )
    )


def _shown(page: Any) -> tuple[int, int]:
    return int(page.locator("#offer-count").inner_text()), int(
        page.locator("#request-count").inner_text()
    )


def _click_facet(page: Any, facet: str, value: str) -> tuple[int, int]:
    link = page.locator(f'#facets a[data-facet="{facet}"][data-value="{value}"]')
    count = link.locator("xpath=following-sibling::span[@class='count']")
    offers, requests = int(count.get_attribute("data-offers")), count.get_attribute("data-requests")
    link.click()
    page.wait_for_load_state()
    return offers, int(requests) if requests is not None else -1


def test_facets_combine_count_what_they_list_and_each_filter_is_removable(
    page: Any, live_server: Any, owner: Any, provider: Any, enterprise: Any, taxonomy: Any
) -> None:
    page.set_default_timeout(30_000)  # the first page of a live server, on a busy machine
    _records(owner, provider, enterprise, taxonomy)
    page.goto(f"{live_server.url}/market/")
    assert _shown(page) == (3, 1)
    assert _click_facet(page, "country", "KR") == (2, 1)
    assert _shown(page) == (2, 1)
    assert _click_facet(page, "cooperation", "licence") == (1, 1)
    query = parse_qs(urlparse(page.url).query)
    assert query == {"country": ["KR"], "cooperation": ["licence"]}
    assert _shown(page) == (1, 1)
    results = page.locator("ul.results").first.inner_text()
    assert "Chip đóng gói Hàn Quốc" in results and "Laser Nhật Bản" not in results
    chips = page.locator("#applied-filters li")
    assert chips.count() == 2
    assert "Hàn Quốc" in page.locator('#applied-filters li[data-applied="country"]').inner_text()
    # Removing the country keeps the cooperation type.
    page.click('#applied-filters a[data-remove="country"]')
    page.wait_for_url(re.compile(r"cooperation=licence"))
    assert parse_qs(urlparse(page.url).query) == {"cooperation": ["licence"]}
    assert _shown(page) == (2, 1)
    assert page.locator("#applied-filters li").count() == 1
