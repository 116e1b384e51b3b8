"""Reminders: the stage of each day, each stage once per unit, only units that have not sent,
in-app notifications e-mailed as each recipient chose, the campaign's officers told on
escalation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from caunoi.accounts.models import Notification
from caunoi.accounts.notifications import send_digests, set_email_choice
from caunoi.reporting import services
from caunoi.reporting.reminders import send_reminders, stage_due

D = dt.date


def test_the_stage_of_each_day() -> None:
    deadline, window = D(2030, 12, 15), D(2030, 12, 20)
    assert stage_due(D(2030, 12, 1), deadline, window) is None
    assert stage_due(D(2030, 12, 8), deadline, window) == "week_before"
    assert stage_due(D(2030, 12, 14), deadline, window) == "day_before"
    assert stage_due(D(2030, 12, 15), deadline, window) == "day_before"
    assert stage_due(D(2030, 12, 18), deadline, window) == "overdue"
    assert stage_due(D(2030, 12, 21), deadline, window) == "escalation"


@pytest.fixture
def bo(ministry: Any) -> Any:
    from caunoi.accounts.services import user_create

    return user_create(
        username="bo",
        password="Bo-y-te-2026-x",
        role="officer",
        unit=ministry,
        email="bo@example.vn",
    )


def _kinds(user: Any) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.mark.django_db
def test_units_that_have_not_sent_are_reminded_in_app_once_per_stage(
    campaign: Any,
    other: Any,
    owner: Any,
    bo: Any,
    admin: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    other.email, owner.email = "hanoi@example.vn", "htqt@example.vn"
    other.save()
    owner.save()
    set_email_choice(owner, "none")
    sub = campaign.units.get(code=bo.unit.code).submissions.get(kind="report")
    services.submission_save(
        user=admin, submission=sub, answers={"tom-tat": "x"}, expected_version=1, submit=True
    )
    week = D(2030, 12, 9)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(week) == {"units": 2, "notifications": 2}
        assert send_reminders(week) == {"units": 0, "notifications": 0}  # once per stage
    assert _kinds(other) == ["reporting.reminder_week_before"]
    assert _kinds(bo) == ["reporting.reminder_week_before"]
    assert _kinds(owner) == [] and _kinds(admin) == []  # HTQT hears only on escalation
    hanoi = Notification.objects.get(recipient=other)
    assert "Sở KH&CN Hà Nội" in hanoi.text and "15/12/2030" in hanoi.text
    assert hanoi.params["missing"] == "kế hoạch triển khai, báo cáo"
    bo_note = Notification.objects.get(recipient=bo)
    assert bo_note.params["missing"] == "kế hoạch triển khai"
    # The link opens the submission still missing (Bộ's plan: its report was sent).
    plan = campaign.units.get(code=bo.unit.code).submissions.get(kind="plan")
    assert bo_note.link == f"/reporting/submissions/{plan.pk}/"
    # E-mailed at once (the default choice), one e-mail per notification.
    assert sorted(m.to[0] for m in mail.outbox) == ["bo@example.vn", "hanoi@example.vn"]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(D(2030, 12, 14))  # the day before
        send_reminders(D(2030, 12, 18))  # after the deadline, within the window
        assert send_reminders(D(2030, 12, 25)) == {"units": 2, "notifications": 6}
        assert send_reminders(D(2030, 12, 26)) == {"units": 0, "notifications": 0}
    assert _kinds(other) == [
        "reporting.reminder_day_before",
        "reporting.reminder_escalation",
        "reporting.reminder_overdue",
        "reporting.reminder_week_before",
    ]
    # Escalation: the HTQT officer and administrator are told of each unit, once.
    assert _kinds(owner) == ["reporting.reminder_escalation"] * 2
    assert _kinds(admin) == ["reporting.reminder_escalation"] * 2
    # The HTQT officer chose no e-mail: in the application only.
    assert not any("htqt@example.vn" in m.to for m in mail.outbox)
    assert send_reminders(D(2031, 2, 1)) == {"units": 0, "notifications": 0}  # locked


@pytest.mark.django_db
def test_daily_digest_and_units_that_sent_everything(
    campaign: Any, other: Any, admin: Any, bo: Any, django_capture_on_commit_callbacks: Any
) -> None:
    other.email = "hanoi@example.vn"
    other.save()
    set_email_choice(other, "daily")
    for sub in campaign.units.get(code=bo.unit.code).submissions.all():
        services.submission_save(
            user=admin,
            submission=sub,
            answers={"tom-tat": "x"},
            expected_version=sub.version,
            submit=True,
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(D(2030, 12, 14)) == {"units": 1, "notifications": 1}
    assert _kinds(bo) == []  # it sent everything asked
    assert mail.outbox == []  # Hà Nội's officer chose the digest
    assert send_digests() == 1
    assert mail.outbox[0].to == ["hanoi@example.vn"]
    assert "Báo cáo thử năm 2030" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_removed_unit_and_a_closed_unit_are_not_reminded(
    campaign: Any, other: Any, admin: Any
) -> None:
    cu = campaign.units.get(code="ha-noi")
    services.campaign_unit_remove(user=admin, campaign_unit=cu, removed_on=D(2030, 11, 20))
    send_reminders(D(2030, 12, 9))
    assert _kinds(other) == []
