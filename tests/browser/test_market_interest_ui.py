"""The marketplace journey in a real headless Chromium: an enterprise signs up (its e-mail
address confirmed from the mail, its link to its organisation approved by an officer), posts
an anonymous request on behalf of that organisation, the officer approves it, matching offers
appear with their explanation, the enterprise expresses interest in one (anonymous, as its
request), the provider sees the interest without the enterprise's or its organisation's name
and replies through the platform, the officer records the agreement signed with its outcome
(type, value, date), which the expression's page shows, and the dashboard counts the
transfer."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from support import outside_password, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


ENTERPRISE_EMAIL = "mai.vo@songhau.vn"
ENTERPRISE_PASSWORD = "Gao-thom-Song-Hau-2026"
ENTERPRISE_ORG = "Công ty Cổ phần Nông sản Sông Hậu"


def _sign_up(page: Any, live_server: Any) -> None:
    """The enterprise signs up through the sign-up page and confirms its address from the
    mail (the steps of the registration journey)."""
    from django.core import mail

    page.goto(f"{live_server.url}/accounts/login/")
    page.click("#register-link")
    page.select_option("#id_kind", "enterprise")
    page.fill("#id_full_name", "Võ Thị Mai")
    page.fill("#id_email", ENTERPRISE_EMAIL)
    page.fill("#id_password", ENTERPRISE_PASSWORD)
    page.fill("#id_password_confirm", ENTERPRISE_PASSWORD)
    page.fill("#id_organization", ENTERPRISE_ORG)
    page.select_option("#id_country", "VN")
    page.click("#register-submit")
    page.wait_for_url(f"{live_server.url}/accounts/register/sent/")
    sent = [m for m in mail.outbox if ENTERPRISE_EMAIL in m.to]
    assert len(sent) == 1
    link = re.search(r"https?://\S+/accounts/verify/\S+/", sent[0].body)
    assert link is not None and link.group(0).startswith(live_server.url)
    page.goto(link.group(0))
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert "đã được xác nhận" in page.locator(".messages").inner_text()


def test_request_to_signed_transfer(
    browser: Any,
    live_server: Any,
    owner: Any,
    make_outside: Any,
    make_org: Any,
    taxonomy: Any,
) -> None:
    from caunoi.accounts.models import User
    from caunoi.market import services
    from caunoi.market.models import Interest, TechnologyOffer, TechnologyRequest

    org = make_org(name_vi=ENTERPRISE_ORG, kind="company", country_id="VN")
    provider = make_outside("provider", "nhacungcap")
    provider.first_name, provider.last_name, provider.email = "Hùng", "Phạm", "hung@pv.vn"
    provider.save()
    offer = services.record_save(
        user=provider,
        instance=TechnologyOffer(),
        data={
            "title_vi": "Máy sấy cà phê bằng năng lượng mặt trời",
            "summary_vi": "Máy sấy nông sản dùng năng lượng mặt trời, tiết kiệm điện.",
            "trl": 7,
        },
        m2m={"fields": [taxonomy["fields"]["semis"]]},
    )
    services.transition(user=provider, record=offer, to="submitted")
    services.transition(user=owner, record=offer, to="published")

    def new_page() -> Any:
        p = browser.new_context(locale="vi-VN").new_page()
        p.set_default_timeout(20_000)
        return p

    ent, officer, prov = new_page(), new_page(), new_page()
    # The enterprise signs up and confirms its address; its organisation link waits.
    _sign_up(ent, live_server)
    enterprise = User.objects.get(email=ENTERPRISE_EMAIL)
    assert enterprise.is_active and enterprise.outside_kind == "enterprise"
    sign_in(ent, live_server, ENTERPRISE_EMAIL, ENTERPRISE_PASSWORD)
    ent.goto(f"{live_server.url}/market/requests/new/")
    # Not yet a confirmed member: it cannot post on behalf of the organisation.
    assert ENTERPRISE_ORG not in ent.locator("#id_owner_organization").inner_text()
    # The officer approves the link to the registry organisation the claim matches.
    sign_in(officer, live_server, "owner", "pw-owner-123")
    officer.goto(f"{live_server.url}/registry/affiliations/")
    row = officer.locator("#pending-affiliations tr", has_text=ENTERPRISE_EMAIL)
    assert ENTERPRISE_ORG in row.inner_text()
    row.locator("a.button").click()
    officer.wait_for_url(re.compile(r"/registry/affiliations/\d+/$"))
    officer.click("#approve")
    officer.wait_for_url(f"{live_server.url}/registry/affiliations/")
    assert enterprise.affiliations.get().state == "approved"
    # The enterprise writes a request for its organisation and submits it.
    ent.goto(f"{live_server.url}/market/requests/new/")
    ent.select_option("#id_owner_organization", str(org.pk))
    ent.fill("#id_title_vi", "Cần máy sấy cà phê năng lượng mặt trời")
    ent.fill("#id_need", "Máy sấy cà phê dùng năng lượng mặt trời cho hợp tác xã.")
    ent.select_option("#id_confidentiality", "anonymous")
    ent.click("#save-record")
    ent.wait_for_url(re.compile(r"/market/requests/\d+/$"))
    request_url = ent.url
    ent.select_option("#transition-status", "submitted")
    ent.click("#transition-form button")
    assert ent.locator("#record-status").inner_text() == "Đã gửi"
    # The officer approves it.
    officer.goto(request_url)
    officer.select_option("#transition-status", "published")
    officer.click("#transition-form button")
    assert officer.locator("#record-status").inner_text() == "Đã công bố"
    # The enterprise hears of it, and sees the matching offer with its explanation.
    ent.goto(f"{live_server.url}/")
    assert ent.locator("#notification-count").inner_text() == "2"  # approved, new matches
    ent.goto(request_url)
    match = ent.locator("#matches-offer li.match").first
    assert "Máy sấy cà phê bằng năng lượng mặt trời" in match.inner_text()
    match.locator("summary").click()
    assert match.locator(".explanation").inner_text().strip()
    # It expresses interest in the offer, on behalf of its request.
    match.locator("a.express-from-match").click()
    ent.fill("#id_interest_message", "Hợp tác xã chúng tôi muốn nhận chuyển giao máy sấy.")
    assert ent.locator("#id_from_request").input_value() == request_url.rstrip("/").split("/")[-1]
    ent.click("#express-interest")
    ent.wait_for_url(re.compile(r"/market/interests/\d+/$"))
    interest_url = ent.url
    assert ent.locator("#interest-status").inner_text() == "Đã gửi"
    # The request is anonymous: the officer mediates it, then forwards it to the provider.
    officer.goto(interest_url)
    officer.select_option("#id_mediator", str(owner.pk))
    officer.click("#set-mediator")
    officer.select_option("#interest-next", "forwarded")
    officer.click("#interest-transition")
    assert officer.locator("#interest-status").inner_text() == "Đã chuyển tới chủ sở hữu"
    # The provider finds it among its notifications and answers with a message.
    sign_in(prov, live_server, "nhacungcap", outside_password("nhacungcap"))
    prov.click("#notification-bell")
    prov.click("#notification-list a >> nth=0")
    prov.wait_for_url(interest_url)
    assert "Hợp tác xã chúng tôi muốn nhận chuyển giao" in prov.locator("body").inner_text()
    # The interest is anonymous: the provider reads it without the enterprise's name.
    assert prov.locator("#interest-sender").inner_text().startswith("Bên quan tâm (không công khai")
    read = prov.locator("body").inner_text()
    assert "Võ Thị Mai" not in read and enterprise.get_full_name() not in read
    assert enterprise.get_username() not in read and ENTERPRISE_ORG not in read
    prov.fill("#id_body", "Chúng tôi có thể lắp đặt thử trong ba tháng.")
    prov.click("#send-message")
    prov.select_option("#interest-next", "accepted")
    prov.click("#interest-transition")
    body = prov.locator("body").inner_text()
    assert ENTERPRISE_EMAIL not in body and "hung@pv.vn" not in body  # addresses never shown
    assert enterprise.get_full_name() not in body and ENTERPRISE_ORG not in body
    # The mediator relays the provider's message to the anonymous enterprise.
    officer.goto(interest_url)
    with officer.expect_navigation():
        officer.locator("#interest-messages li", has_text="lắp đặt thử").locator(
            "button.relay"
        ).click()
    # The enterprise reads the answer, signed by the mediator, and starts negotiating.
    ent.goto(interest_url)
    assert "Chúng tôi có thể lắp đặt thử trong ba tháng." in ent.locator("#messages").inner_text()
    assert "Bên trung gian" in ent.locator("#messages").inner_text()
    ent.select_option("#interest-next", "negotiating")
    ent.click("#interest-transition")
    # The officer records the agreement signed with its outcome; the page shows it.
    officer.goto(interest_url)
    officer.select_option("#interest-next", "signed")
    officer.fill("#interest-note", "Hợp đồng chuyển giao ký ngày 01/12")
    officer.click("#interest-transition")  # without the outcome: refused, naming it
    assert officer.locator("#interest-status").inner_text() == "Đang đàm phán"
    refused = officer.locator("ul.messages").inner_text()
    assert "Hãy chọn loại thỏa thuận đã ký" in refused and "Hãy ghi ngày ký" in refused
    today = timezone.localdate()
    officer.select_option("#interest-next", "signed")
    officer.fill("#interest-note", "Hợp đồng chuyển giao ký ngày 01/12")
    officer.select_option("#id_agreement_type", "licence")
    officer.fill("#id_agreement_value", "350000000")
    officer.select_option("#id_agreement_currency", "VND")
    officer.fill("#id_signed_on", today.isoformat())
    officer.click("#interest-transition")
    assert officer.locator("#interest-status").inner_text() == "Đã ký thỏa thuận"
    assert "Hợp đồng chuyển giao" in officer.locator("#interest-outcome").inner_text()
    assert officer.locator("#agreement-type").inner_text() == "Hợp đồng li-xăng"
    value = officer.locator("#agreement-value").inner_text()
    assert value.replace(".", "").replace(",", "") == "350000000 VND"
    assert officer.locator("#agreement-date").inner_text() == today.strftime("%d/%m/%Y")
    # The enterprise reads the outcome on its page too.
    ent.goto(interest_url)
    assert ent.locator("#agreement-type").inner_text() == "Hợp đồng li-xăng"
    officer.goto(f"{live_server.url}/")
    assert officer.locator("#market-signed").inner_text() == "1"
    saved = Interest.objects.get()
    assert saved.status == "signed" and saved.anonymous
    assert (saved.agreement_type, saved.agreement_currency) == ("licence", "VND")
    posted = TechnologyRequest.objects.get()
    assert posted.status == "published" and posted.owner_user == enterprise
    assert posted.owner_organization == org
