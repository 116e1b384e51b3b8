"""The registry as a person uses it, in a real headless Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest

from support import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_and_create_agreement_with_vietnamese_errors(
    page: Any, live_server: Any, owner: Any, taxonomy: Any
) -> None:
    from caunoi.registry.models import Agreement

    sign_in(page, live_server, "owner")
    assert page.locator(".who").inner_text().startswith("owner")
    page.goto(f"{live_server.url}/registry/agreements/")
    page.click("#create-record")
    # Submitting an incomplete form shows the errors, in Vietnamese.
    page.fill("#id_title_vi", "Hiệp định hợp tác KH&CN Việt Nam – Hàn Quốc")
    page.select_option("#id_kind", "intergovernmental")
    page.select_option("#id_level", "government")
    page.select_option("#id_status", "in_force")
    page.fill("#id_signed_on", "2024-03-01")
    page.fill("#id_expires_on", "2020-01-01")
    page.click("#save-record")
    errors = page.locator(".field-error").all_inner_texts()
    assert any("không thể trước ngày ký" in e for e in errors), errors
    assert any("bên nước ngoài" in e for e in errors), errors
    assert page.locator("#form-errors").is_visible()
    assert Agreement.objects.count() == 0
    # Correct the form and save.
    page.fill("#id_expires_on", "2034-03-01")
    page.fill("#id_foreign_countries_search", "han")  # the type-ahead country picker
    page.click("#id_foreign_countries_suggestions button[data-value=KR]")
    page.click("#save-record")
    page.wait_for_url(re.compile(r"/registry/agreements/\d+/$"))
    agreement = Agreement.objects.get()
    assert agreement.title_vi == "Hiệp định hợp tác KH&CN Việt Nam – Hàn Quốc"
    assert agreement.owner_unit == owner.unit
    assert "Hàn Quốc" in page.locator("body").inner_text()


def test_filter_list_as_you_type_and_switch_to_english(
    page: Any, live_server: Any, make_agreement: Any
) -> None:
    make_agreement(title_vi="Hiệp định về năng lượng hạt nhân", country="US", status="in_force")
    make_agreement(title_vi="Thỏa thuận về bán dẫn", country="KR", status="expired")
    page.goto(f"{live_server.url}/registry/agreements/")
    rows = page.locator("#results tbody tr")
    assert rows.count() == 2
    page.fill("#q", "hạt nhân")
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length === 1")
    assert "năng lượng hạt nhân" in page.locator("#results").inner_text()
    assert "q=" in page.url  # the filtered list has its own address
    page.fill("#q", "")
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length === 2")
    page.select_option("#filter-status", "expired")
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length === 1")
    assert "bán dẫn" in page.locator("#results").inner_text()
    # Switch the interface to English.
    assert page.locator("html").get_attribute("lang") == "vi"
    page.click("#switch-language")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Agreements" in page.locator("header nav").inner_text()


def test_unit_officer_denied_editing_another_units_record(
    page: Any, live_server: Any, other: Any, make_agreement: Any
) -> None:
    agreement = make_agreement(title_vi="Hiệp định của Vụ HTQT")
    sign_in(page, live_server, "other")
    page.goto(f"{live_server.url}{agreement.get_absolute_url()}")
    assert page.locator("#edit-record").count() == 0  # no edit button offered
    response = page.goto(f"{live_server.url}/registry/agreements/{agreement.pk}/edit/")
    assert response.status == 403
    assert "không có quyền" in page.locator("#denied").inner_text()


def test_export_links_follow_the_filter_typed_in_the_browser(
    page: Any, live_server: Any, make_agreement: Any
) -> None:
    make_agreement(title_vi="Hiệp định về năng lượng hạt nhân", country="US")
    make_agreement(title_vi="Thỏa thuận về bán dẫn", country="KR")
    page.goto(f"{live_server.url}/registry/agreements/")
    page.fill("#q", "hạt nhân")
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length === 1")
    for fmt in ("csv", "xlsx"):
        href = page.locator(f"#export-{fmt}").get_attribute("href") or ""
        assert "q=h%E1%BA%A1t+nh%C3%A2n" in href, href
        assert f"export={fmt}" in href
    page.select_option("#filter-status", "in_force")
    page.wait_for_function(
        "() => (document.querySelector('#export-csv').getAttribute('href') || '')"
        ".includes('status=')"
    )
