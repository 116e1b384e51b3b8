"""The layout at a phone's width and on a laptop screen, in a real headless Chromium."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def test_phone_width_nothing_overflows_and_the_menu_folds(
    browser: Any, live_server: Any, make_agreement: Any
) -> None:
    agreement = make_agreement(
        title_vi="Hiệp định hợp tác nghiên cứu và chuyển giao công nghệ bán dẫn thế hệ mới",
        signed_place="Thành phố Hồ Chí Minh",
        legal_basis="https://example.org/" + "van-ban-phap-ly-" * 8,
    )
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        for path in ("/", "/registry/agreements/", f"/registry/agreements/{agreement.pk}/"):
            page.goto(f"{live_server.url}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert page.evaluate(FITS), (path, width)
        # The menu is folded behind its button, which opens it.
        link = page.locator("header nav a").first
        assert not link.is_visible()
        assert page.locator("#menu-button").inner_text().strip() == "☰ Trình đơn"
        page.click("#menu-button")
        assert link.is_visible()
        assert page.locator("header nav a").last.is_visible()
        assert page.evaluate(FITS)
        page.click("#menu-button")
        assert not link.is_visible()
        # The list's table scrolls inside its own box.
        page.goto(f"{live_server.url}/registry/agreements/")
        overflow = page.eval_on_selector(".table-wrap", "e => getComputedStyle(e).overflowX")
        assert overflow == "auto"
    finally:
        context.close()


def test_laptop_width_the_menu_is_one_line(browser: Any, live_server: Any, owner: Any) -> None:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        # Signed in, the header also carries the person's name and role.
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "owner")
        page.fill("#id_password", "pw-owner-123")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        assert not page.locator("#menu-button").is_visible()
        tops = page.eval_on_selector_all("header nav a", "els => els.map(e => e.offsetTop)")
        assert len(tops) == 10  # the registry, the marketplace, fields and countries
        assert len(set(tops)) == 1, tops
        assert page.evaluate(FITS)
    finally:
        context.close()
