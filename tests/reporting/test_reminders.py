"""Reminders: the stage of each day, each stage once per unit, only units that have not sent,
the campaign's officers copied on escalation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

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


@pytest.mark.django_db
def test_units_that_have_not_sent_are_reminded_once_per_stage(
    campaign: Any, other: Any, owner: Any, ministry: Any, admin: Any
) -> None:
    from caunoi.accounts.services import user_create

    other.email, owner.email = "hanoi@example.vn", "htqt@example.vn"
    other.save()
    owner.save()
    bo = user_create(
        username="bo",
        password="Bo-y-te-2026-x",
        role="officer",
        unit=ministry,
        email="bo@example.vn",
    )
    sub = campaign.units.get(code=bo.unit.code).submissions.get(kind="report")
    services.submission_save(
        user=admin, submission=sub, answers={"tom-tat": "x"}, expected_version=1, submit=True
    )
    week = D(2030, 12, 9)
    assert send_reminders(week) == {"units": 2, "emails": 2}  # Hà Nội (plan, report), Bộ (plan)
    assert send_reminders(week) == {"units": 0, "emails": 0}  # once per stage
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["bo@example.vn", "hanoi@example.vn"]
    hanoi = next(m for m in mail.outbox if m.to == ["hanoi@example.vn"])
    assert "Kế hoạch" in hanoi.body or "kế hoạch" in hanoi.body.lower()
    mail.outbox.clear()
    send_reminders(D(2030, 12, 25))  # after the window: the HTQT officers are copied
    assert all("htqt@example.vn" in m.to for m in mail.outbox) and len(mail.outbox) == 2
    mail.outbox.clear()
    assert send_reminders(D(2031, 2, 1)) == {"units": 0, "emails": 0}  # locked: no more
