"""The agreement status lifecycle: every allowed transition works, every other is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from caunoi.core.errors import DomainError
from caunoi.registry.models import AGREEMENT_TRANSITIONS, Agreement
from support import login

pytestmark = pytest.mark.django_db

ALL = [s.value for s in Agreement.Status]
PAIRS = [(a, b) for a in ALL for b in ALL if a != b]


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_every_transition(old: str, new: str, admin: Any, make_agreement: Any) -> None:
    from caunoi.registry.services import agreement_transition

    # Past its expiry date (so "expired" is allowed); renewing names a later date.
    agreement = make_agreement(status=old, expires_on=dt.date(2020, 1, 1))
    renew_to = dt.date.today() + dt.timedelta(days=3650)
    if new in AGREEMENT_TRANSITIONS[old]:
        agreement_transition(user=admin, agreement=agreement, to_status=new, expires_on=renew_to)
        agreement.refresh_from_db()
        assert agreement.status == new
    else:
        with pytest.raises(DomainError):
            agreement_transition(
                user=admin, agreement=agreement, to_status=new, expires_on=renew_to
            )
        agreement.refresh_from_db()
        assert agreement.status == old


def test_terminated_is_final_and_expired_can_only_be_renewed() -> None:
    assert AGREEMENT_TRANSITIONS[Agreement.Status.TERMINATED] == frozenset()
    assert AGREEMENT_TRANSITIONS[Agreement.Status.EXPIRED] == {Agreement.Status.RENEWED}


def test_signing_needs_a_date(admin: Any, make_agreement: Any) -> None:
    from caunoi.registry.services import agreement_transition

    agreement = make_agreement(status="negotiating", signed_on=None)
    with pytest.raises(DomainError) as info:
        agreement_transition(user=admin, agreement=agreement, to_status="signed")
    assert "signed_on" in info.value.errors


def test_transition_through_the_page_and_audit(owner: Any, make_agreement: Any) -> None:
    from caunoi.accounts.models import AuditEvent

    agreement = make_agreement(status="signed")
    client = login(owner)
    client.post(f"/registry/agreements/{agreement.pk}/transition/", {"status": "in_force"})
    agreement.refresh_from_db()
    assert agreement.status == "in_force"
    event = AuditEvent.objects.filter(object_id=str(agreement.pk), action="transition").get()
    assert event.changes == {"status": ["signed", "in_force"]}
    assert event.actor == owner
    # A refused transition changes nothing and says why.
    response = client.post(
        f"/registry/agreements/{agreement.pk}/transition/", {"status": "negotiating"}, follow=True
    )
    agreement.refresh_from_db()
    assert agreement.status == "in_force"
    assert "không thể chuyển từ “Có hiệu lực” sang “Đang đàm phán”" in response.content.decode()


def test_api_transition_refused_with_error_shape(admin: Any, make_agreement: Any) -> None:
    from caunoi.accounts.services import api_token_create

    agreement = make_agreement(status="terminated")
    _, raw = api_token_create(user=admin, name="t")
    from django.test import Client

    response = Client().post(
        f"/api/v1/agreements/{agreement.pk}/transition",
        data={"status": "in_force"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert "status" in body["errors"]


def test_status_cannot_be_changed_by_editing(admin: Any, make_agreement: Any) -> None:
    from caunoi.core.errors import DomainError
    from caunoi.registry.services import agreement_save

    agreement = make_agreement(status="in_force")
    agreement_save(user=admin, agreement=agreement, data={"status": "in_force", "summary": "x"})
    with pytest.raises(DomainError) as refused:
        agreement_save(user=admin, agreement=agreement, data={"status": "negotiating"})
    assert "status" in refused.value.errors
    agreement.refresh_from_db()
    assert agreement.status == "in_force"


def test_daily_refresh_flags_and_expires(make_agreement: Any) -> None:
    from caunoi.registry.services import agreements_refresh_statuses

    today = dt.date(2026, 6, 1)
    soon = make_agreement(status="in_force", expires_on=today + dt.timedelta(days=30))
    later = make_agreement(status="in_force", expires_on=today + dt.timedelta(days=400))
    past = make_agreement(status="expiring", expires_on=today - dt.timedelta(days=1))
    past_auto = make_agreement(
        status="in_force", expires_on=today - dt.timedelta(days=1), auto_renew=True
    )
    result = agreements_refresh_statuses(today=today, window_days=90)
    assert result == {"flagged": 1, "expired": 1, "renewed": 1}
    for record, status in [
        (soon, "expiring"),
        (later, "in_force"),
        (past, "expired"),
        (past_auto, "renewed"),
    ]:
        record.refresh_from_db()
        assert record.status == status
    # The automatic renewal extends by the agreement's own term, past today.
    assert past_auto.signed_on is not None
    term = (today - dt.timedelta(days=1)) - past_auto.signed_on
    assert past_auto.expires_on == today - dt.timedelta(days=1) + term
    # Running again the next year renews it again without a second status change.
    later_day = past_auto.expires_on + dt.timedelta(days=1)
    agreements_refresh_statuses(today=later_day, window_days=0)
    past_auto.refresh_from_db()
    assert past_auto.status == "renewed" and past_auto.expires_on > later_day


def test_digest_command_lists_expiring(make_agreement: Any, capsys: Any) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    today = timezone.localdate()
    inside = make_agreement(status="in_force", expires_on=today + dt.timedelta(days=10))
    outside = make_agreement(status="in_force", expires_on=today + dt.timedelta(days=300))
    call_command("agreements_digest", "--days", "60")
    out = capsys.readouterr().out
    assert inside.title_vi in out
    assert outside.title_vi not in out
    assert "1 agreement(s)" in out


def test_expired_is_refused_before_the_expiry_date(admin: Any, make_agreement: Any) -> None:
    from caunoi.registry.services import agreement_transition, allowed_transitions

    future = dt.date.today() + dt.timedelta(days=30)
    for expires_on in (future, None):
        agreement = make_agreement(status="in_force", expires_on=expires_on)
        assert "expired" not in allowed_transitions(agreement)
        with pytest.raises(DomainError) as exc:
            agreement_transition(user=admin, agreement=agreement, to_status="expired")
        assert "hết hạn" in exc.value.errors["expires_on"][0]
        agreement.refresh_from_db()
        assert agreement.status == "in_force"
    past = make_agreement(status="in_force", expires_on=dt.date.today() - dt.timedelta(days=1))
    assert "expired" in allowed_transitions(past)
    agreement_transition(user=admin, agreement=past, to_status="expired")


def test_renewed_needs_a_later_expiry_date(admin: Any, make_agreement: Any) -> None:
    from caunoi.accounts.models import AuditEvent
    from caunoi.registry.services import agreement_transition

    current = dt.date.today() + dt.timedelta(days=20)
    agreement = make_agreement(status="expiring", expires_on=current)
    for wrong in (None, current, current - dt.timedelta(days=5)):
        with pytest.raises(DomainError) as exc:
            agreement_transition(
                user=admin, agreement=agreement, to_status="renewed", expires_on=wrong
            )
        assert "ày hết hạn mới" in exc.value.errors["expires_on"][0]
    agreement.refresh_from_db()
    assert (agreement.status, agreement.expires_on) == ("expiring", current)
    later = current + dt.timedelta(days=1825)
    agreement_transition(user=admin, agreement=agreement, to_status="renewed", expires_on=later)
    agreement.refresh_from_db()
    assert (agreement.status, agreement.expires_on) == ("renewed", later)
    event = AuditEvent.objects.filter(action="transition").latest("pk")
    assert event.changes["expires_on"] == [current.isoformat(), later.isoformat()]


def test_renewing_through_the_page_takes_the_new_date(owner: Any, make_agreement: Any) -> None:
    current = dt.date.today() + dt.timedelta(days=20)
    agreement = make_agreement(status="expiring", expires_on=current)
    client = login(owner)
    url = f"/registry/agreements/{agreement.pk}/transition/"
    page = client.get(f"/registry/agreements/{agreement.pk}/").content.decode()
    assert 'id="transition-expires-on"' in page
    client.post(url, {"status": "renewed"})
    agreement.refresh_from_db()
    assert agreement.status == "expiring"
    client.post(url, {"status": "renewed", "expires_on": "2040-01-31"})
    agreement.refresh_from_db()
    assert (agreement.status, agreement.expires_on) == ("renewed", dt.date(2040, 1, 31))
