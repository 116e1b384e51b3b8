"""Type-ahead pickers in a real headless Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_typing_han_picks_han_quoc_and_a_chip_removes_it(
    page: Any, live_server: Any, owner: Any, taxonomy: Any
) -> None:
    from caunoi.registry.models import Agreement

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", "pw-owner-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/registry/agreements/new/")
    # With JavaScript the plain select gives way to the search box.
    assert not page.locator("select#id_foreign_countries").is_visible()
    page.fill("#id_title_vi", "Thỏa thuận hợp tác với Hàn Quốc và Nhật Bản")
    page.select_option("#id_kind", "intergovernmental")
    page.select_option("#id_level", "government")
    page.select_option("#id_status", "negotiating")
    page.fill("#id_foreign_countries_search", "han")
    suggestion = page.locator("#id_foreign_countries_suggestions button").first
    assert suggestion.inner_text().startswith("Hàn Quốc")
    suggestion.click()
    chips = page.locator("#id_foreign_countries_search").locator("xpath=..").locator(".chip")
    assert chips.count() == 1
    assert "Hàn Quốc" in chips.first.inner_text()
    page.fill("#id_foreign_countries_search", "nhat")
    page.wait_for_selector("#id_foreign_countries_suggestions button[data-value=JP]")
    page.keyboard.press("Enter")  # the first suggestion, not a form submission
    page.wait_for_function(
        "() => document.querySelectorAll('#id_foreign_countries option:checked').length === 2"
    )
    # Remove Japan again by its chip.
    page.click(".chip-remove[data-value=JP]")
    assert chips.count() == 1
    with page.expect_navigation(timeout=60_000):  # the first save also loads the search models
        page.click("#save-record", no_wait_after=True)
    page.wait_for_url(re.compile(r"/registry/agreements/\d+/$"))
    agreement = Agreement.objects.get()
    assert [p.country_id for p in agreement.parties.all()] == ["KR"]


def test_list_filter_country_picker_refreshes_the_results(
    page: Any, live_server: Any, make_agreement: Any
) -> None:
    make_agreement(title_vi="Hiệp định với Hàn Quốc", country="KR")
    make_agreement(title_vi="Hiệp định với Nhật Bản", country="JP")
    page.goto(f"{live_server.url}/registry/agreements/")
    assert page.locator("#results tbody tr").count() == 2
    page.fill("#filter-country_search", "han")
    page.click("#filter-country_suggestions button[data-value=KR]")
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length === 1")
    assert "Hàn Quốc" in page.locator("#results").inner_text()
    assert "country=KR" in page.url
    assert "term=" not in page.url  # the picker's search box is not part of the filters
