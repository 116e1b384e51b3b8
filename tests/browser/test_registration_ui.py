"""An enterprise signs up, confirms its e-mail address from the mail, signs in and sees its
own page, in a real headless Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_confirm_sign_in_and_account_page(
    page: Any, live_server: Any, make_org: Any
) -> None:
    from django.core import mail

    make_org(name_vi="Công ty Cổ phần Nông sản Sông Hậu", kind="company", country_id="VN")
    page.goto(f"{live_server.url}/accounts/login/")
    page.click("#register-link")
    page.select_option("#id_kind", "enterprise")
    page.fill("#id_full_name", "Võ Thị Mai")
    page.fill("#id_email", "mai.vo@songhau.vn")
    page.fill("#id_password", "ngan")
    page.fill("#id_password_confirm", "ngan")
    page.fill("#id_organization", "Công ty Cổ phần Nông sản Sông Hậu")
    page.select_option("#id_country", "VN")
    page.click("#register-submit")
    # Too short a password: the form says so, in Vietnamese, and keeps what was typed.
    assert "quá ngắn" in page.locator('.field-error[data-field="password"]').inner_text()
    assert page.input_value("#id_email") == "mai.vo@songhau.vn"
    page.fill("#id_password", "Gao-thom-Song-Hau-2026")
    page.fill("#id_password_confirm", "Gao-thom-Song-Hau-2026")
    page.click("#register-submit")
    page.wait_for_url(f"{live_server.url}/accounts/register/sent/")
    assert "mai.vo@songhau.vn" in page.locator("#register-sent").inner_text()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/verify/\S+/", mail.outbox[0].body)
    assert link is not None and link.group(0).startswith(live_server.url)
    page.goto(link.group(0))
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert "đã được xác nhận" in page.locator(".messages").inner_text()

    page.fill("#id_username", "Mai.Vo@songhau.vn")
    page.fill("#id_password", "Gao-thom-Song-Hau-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.click(".who")
    page.wait_for_url(f"{live_server.url}/accounts/me/")
    assert page.locator("#account-kind").inner_text() == "Doanh nghiệp"
    assert page.locator("#account-role").inner_text() == "Người dùng bên ngoài"
    pending = page.locator('#affiliations li[data-state="pending"]').inner_text()
    assert "Chờ duyệt" in pending and "Nông sản Sông Hậu" in pending
