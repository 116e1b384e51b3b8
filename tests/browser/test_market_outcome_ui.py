"""Correcting an agreement signed in a real headless Chromium: the officer opens "Sửa kết quả"
on the expression's page, finds the outcome as recorded, corrects its type, value and date;
the page shows the corrected agreement and when it was corrected, and the enterprise reads
the correction on its page and among its notifications. The enterprise has no such form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from support import outside_password, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_corrects_the_agreement_signed(
    browser: Any, live_server: Any, owner: Any, make_outside: Any, taxonomy: Any
) -> None:
    from caunoi.market import interests, services
    from caunoi.market.models import Interest, TechnologyOffer

    provider = make_outside("provider", "nhacungcap")
    enterprise = make_outside("enterprise", "doanhnghiep")
    offer = services.record_save(
        user=provider,
        instance=TechnologyOffer(),
        data={"title_vi": "Máy sấy cà phê bằng năng lượng mặt trời", "trl": 7},
        m2m={"fields": []},
    )
    services.transition(user=provider, record=offer, to="submitted")
    services.transition(user=owner, record=offer, to="published")
    i = interests.interest_create(user=enterprise, record=offer, message="Chúng tôi quan tâm.")
    Interest.objects.filter(pk=i.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    i.refresh_from_db()
    for user, stage in ((owner, "forwarded"), (provider, "accepted"), (enterprise, "negotiating")):
        i = interests.interest_transition(user=user, interest=i, to=stage)
    today = timezone.localdate()
    interests.interest_transition(
        user=owner,
        interest=i,
        to="signed",
        outcome={
            "agreement_type": "licence",
            "agreement_value": Decimal("350000000"),
            "agreement_currency": "VND",
            "signed_on": today,
        },
    )
    url = f"{live_server.url}{i.get_absolute_url()}"

    def new_page() -> Any:
        p = browser.new_context(locale="vi-VN").new_page()
        p.set_default_timeout(30_000)
        return p

    officer, ent = new_page(), new_page()
    sign_in(officer, live_server, "owner", "pw-owner-123")
    officer.goto(url)
    officer.click("#interest-outcome-correct summary")
    assert officer.locator("#interest-outcome-correct summary").inner_text() == "Sửa kết quả"
    assert officer.locator("#fix_agreement_type").input_value() == "licence"
    assert officer.locator("#fix_agreement_value").input_value() == "350000000.00"
    assert officer.locator("#fix_signed_on").input_value() == today.isoformat()
    # A date in the future is refused with the reason; nothing changes.
    officer.fill("#fix_signed_on", (today + dt.timedelta(days=2)).isoformat())
    officer.evaluate("document.getElementById('fix_signed_on').removeAttribute('max')")
    officer.click("#correct-outcome")
    assert "tương lai" in officer.locator("ul.messages").inner_text()
    assert Interest.objects.get(pk=i.pk).signed_on == today
    # The correction: technical cooperation of 420 million VND, signed 20 days ago.
    signed_on = today - dt.timedelta(days=20)
    officer.click("#interest-outcome-correct summary")
    officer.select_option("#fix_agreement_type", "technical")
    officer.fill("#fix_agreement_value", "420000000")
    officer.fill("#fix_signed_on", signed_on.isoformat())
    officer.click("#correct-outcome")
    assert "Đã sửa kết quả" in officer.locator("ul.messages").inner_text()
    assert officer.locator("#agreement-type").inner_text() == "Hợp tác kỹ thuật"
    value = officer.locator("#agreement-value").inner_text()
    assert value.replace(".", "").replace(",", "") == "420000000 VND"
    assert officer.locator("#agreement-date").inner_text() == signed_on.strftime("%d/%m/%Y")
    assert today.strftime("%d/%m/%Y") in officer.locator("#agreement-corrected").inner_text()
    # The enterprise is told, reads the corrected agreement, and cannot correct it.
    sign_in(ent, live_server, "doanhnghiep", outside_password("doanhnghiep"))
    ent.click("#notification-bell")
    assert "đã được sửa" in ent.locator("#notification-list").inner_text()
    ent.goto(url)
    assert ent.locator("#agreement-type").inner_text() == "Hợp tác kỹ thuật"
    assert ent.locator("#interest-outcome-correct").count() == 0
    saved = Interest.objects.get(pk=i.pk)
    assert (saved.agreement_type, saved.agreement_value, saved.signed_on) == (
        "technical",
        Decimal("420000000.00"),
        signed_on,
    )
