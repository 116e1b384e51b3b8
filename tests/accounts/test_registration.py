"""Sign-up of outside users: the form, the confirmation e-mail, the link, then signing in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "enterprise",
    "full_name": "Nguyễn Văn An",
    "email": "An.Nguyen@SongHau.vn",
    "password": "Lua-gao-Song-Hau-2026",
    "password_confirm": "Lua-gao-Song-Hau-2026",
    "organization": "Công ty Cổ phần Nông sản Sông Hậu",
    "country": "VN",
}


def _register(client: Client, capture: Any, **changes: str) -> Any:
    with capture(execute=True):
        return client.post("/accounts/register/", {**FORM, **changes})


def _link(message: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/verify/[^\s]+/)", message.body)
    assert found is not None, message.body
    return found.group(1)


def _sign_in(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_register_confirm_by_mail_then_sign_in(django_capture_on_commit_callbacks: Any) -> None:
    from caunoi.accounts.models import AuditEvent, User

    client = Client()
    response = _register(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == "/accounts/register/sent/"
    sent = client.get(response["Location"]).content.decode()
    assert "an.nguyen@songhau.vn" in sent
    user = User.objects.get(email="an.nguyen@songhau.vn")
    assert user.username == "an.nguyen@songhau.vn"
    assert (user.role, user.outside_kind) == ("external", "enterprise")
    assert (user.last_name, user.first_name) == ("Nguyễn Văn", "An")
    assert user.claimed_organization == FORM["organization"] and user.claimed_country == "VN"
    assert not user.is_active and user.email_verified_at is None
    assert not user.is_network_staff and user.is_outside

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an.nguyen@songhau.vn"]
    assert "Xác nhận" in message.subject or "xác nhận" in message.subject

    # Not confirmed yet: the right password is refused, with a message that says why.
    refused = _sign_in(Client(), "an.nguyen@songhau.vn", FORM["password"])
    assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session
    assert "chưa được xác nhận" in refused.content.decode()
    # A wrong password says nothing about the account.
    wrong = _sign_in(Client(), "an.nguyen@songhau.vn", "not-the-password")
    assert "chưa được xác nhận" not in wrong.content.decode()

    confirmed = client.get(_link(message))
    assert confirmed.status_code == 302 and confirmed["Location"] == "/accounts/login/"
    user.refresh_from_db()
    assert user.is_active and user.email_verified_at is not None
    assert AuditEvent.objects.filter(model="accounts.user", object_id=str(user.pk)).count() == 2
    again = client.get(_link(message), follow=True)
    assert "đã được xác nhận trước đó" in again.content.decode()

    # The e-mail address signs in, whatever its case.
    signed_in = _sign_in(client, "AN.NGUYEN@songhau.vn", FORM["password"])
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    page = client.get("/accounts/me/").content.decode()
    assert "Doanh nghiệp" in page and FORM["organization"] in page


def test_form_shows_every_error_and_creates_nothing(
    django_capture_on_commit_callbacks: Any, make_outside: Any
) -> None:
    from caunoi.accounts.models import User

    make_outside("expert", "an.nguyen")
    User.objects.filter(username="an.nguyen").update(email="an.nguyen@songhau.vn")
    response = _register(
        Client(),
        django_capture_on_commit_callbacks,
        email="AN.NGUYEN@songhau.VN",
        password="12345678",
        password_confirm="12345678",
        organization="",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-field="email"' in body and "Đã có tài khoản" in body
    assert 'data-field="organization"' in body
    # Django's password validators, in Vietnamese.
    assert 'data-field="password"' in body and "quá phổ biến" in body
    mismatch = _register(Client(), django_capture_on_commit_callbacks, password_confirm="other")
    assert 'data-field="password_confirm"' in mismatch.content.decode()
    assert User.objects.filter(role="external").count() == 1
    assert mail.outbox == []


def test_bad_and_expired_links_are_refused(django_capture_on_commit_callbacks: Any) -> None:
    from caunoi.accounts.models import User

    _register(Client(), django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    tampered = Client().get(link.replace("/verify/", "/verify/x"))
    assert tampered.status_code == 400 and "không hợp lệ" in tampered.content.decode()
    with override_settings(CAUNOI_EMAIL_VERIFY_DAYS=-1):
        expired = Client().get(link)
    assert expired.status_code == 400 and "hết hạn" in expired.content.decode()
    assert not User.objects.get(role="external").is_active


def test_confirmation_link_sent_again_once(django_capture_on_commit_callbacks: Any) -> None:
    _register(Client(), django_capture_on_commit_callbacks)
    client = Client()
    for email in ("an.nguyen@songhau.vn", "an.nguyen@songhau.vn", "nobody@example.vn"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/verify/resend/", {"email": email})
        assert response.status_code == 302
    # One sign-up mail and one resend; the repeat and the unknown address send nothing.
    assert len(mail.outbox) == 2
    assert Client().get(_link(mail.outbox[1])).status_code == 302


def test_confirmation_opens_a_link_request_for_the_named_organisation(
    django_capture_on_commit_callbacks: Any, make_org: Any
) -> None:
    from caunoi.registry.models import Affiliation

    physics = make_org(name_vi="Viện Vật lý", name_en="Institute of Physics", acronym="IOP")
    make_org(name_vi="Viện Hóa học")
    _register(Client(), django_capture_on_commit_callbacks, organization="vien  vat LY")
    _register(
        Client(),
        django_capture_on_commit_callbacks,
        email="binh@example.vn",
        organization="Công ty chưa có trong danh mục",
    )
    assert not Affiliation.objects.exists()  # nothing before the address is confirmed
    for message in mail.outbox:
        Client().get(_link(message))
    matched = Affiliation.objects.get(user__email="an.nguyen@songhau.vn")
    assert (matched.state, matched.organization) == ("pending", physics)
    unmatched = Affiliation.objects.get(user__email="binh@example.vn")
    assert (unmatched.state, unmatched.organization) == ("pending", None)
    # Confirming again opens no second request.
    Client().get(_link(mail.outbox[0]))
    assert Affiliation.objects.count() == 2


def test_signed_in_people_are_sent_to_their_page(viewer: Any) -> None:
    from support import login

    response = login(viewer).get("/accounts/register/")
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"
