"""Typing in the header search box of any page shows results grouped by type, as you type."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_header_search_as_you_type(
    page: Any, live_server: Any, make_agreement: Any, make_org: Any
) -> None:
    make_agreement(title_vi="Hiệp định hợp tác khoa học với Hàn Quốc", country="KR")
    make_org(name_vi="Viện Khoa học và Công nghệ Hàn Quốc", acronym="KIST")
    make_agreement(title_vi="Hiệp định về năng lượng hạt nhân", country="US")
    page.goto(f"{live_server.url}/registry/agreements/")
    page.fill("#header-q", "han quoc")  # no diacritics
    page.wait_for_selector("#results .hit-group[data-kind='partners']")
    groups = page.locator("#results .hit-group")
    kinds = {groups.nth(i).get_attribute("data-kind") for i in range(groups.count())}
    assert kinds == {"agreements", "partners"}
    text = page.locator("#results").inner_text()
    assert "Hàn Quốc" in text and "hạt nhân" not in text
    assert page.locator("#results mark").count() >= 2
    assert "/search/?q=han" in page.url  # the results have their own address
    # Refine with the type facet: htmx swaps only the results.
    page.click("#facet-kind a:has-text('đối tác')")
    page.wait_for_function("() => document.querySelectorAll('#results .hit-group').length === 1")
    assert page.locator("#results .hit-group").get_attribute("data-kind") == "partners"
    assert "kind=partners" in page.url
