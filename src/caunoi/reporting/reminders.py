"""Reminders to units that have not sent what a campaign asks of them: a week and a day
before the deadline, after it, and after the timely window (escalation: the campaign's
officers are copied). Each stage is sent once per unit (``Reminder``), so the daily task
may run twice, or late, without repeating or skipping a stage. E-mail only for now.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from caunoi.accounts.models import User
from caunoi.reporting.models import Campaign, CampaignUnit, Reminder, ReminderStage


def stage_due(today: dt.date, deadline: dt.date, timely_until: dt.date) -> str | None:
    """The reminder stage of this day for a unit that has not submitted."""
    days_left = (deadline - today).days
    if days_left > 7:
        return None
    if days_left > 1:
        return ReminderStage.WEEK_BEFORE
    if 0 <= days_left <= 1:
        return ReminderStage.DAY_BEFORE
    if today <= timely_until:
        return ReminderStage.OVERDUE
    return ReminderStage.ESCALATION


def _missing(cu: CampaignUnit) -> list[str]:
    return [s.get_kind_display() for s in cu.submissions.all() if s.first_submitted_at is None]


def _emails(unit_id: int) -> list[str]:
    return list(
        User.objects.filter(unit_id=unit_id, role=User.Role.OFFICER, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


_SUBJECT: dict[str, str] = {
    ReminderStage.WEEK_BEFORE: "Nhắc gửi báo cáo: còn một tuần đến hạn",
    ReminderStage.DAY_BEFORE: "Nhắc gửi báo cáo: ngày mai là hạn cuối",
    ReminderStage.OVERDUE: "Đã quá hạn gửi báo cáo",
    ReminderStage.ESCALATION: "Đơn vị chưa gửi báo cáo sau thời gian gia hạn",
}


def send_reminders(today: dt.date | None = None) -> dict[str, int]:
    """Send today's reminders for every open campaign; returns how many units and e-mails."""
    day = today or timezone.localdate()
    units = sent = 0
    messages = []
    for campaign in Campaign.objects.filter(opens_on__lte=day).select_related("owner_unit"):
        if campaign.is_locked(day):
            continue
        stage = stage_due(day, campaign.deadline, campaign.timely_until)
        if stage is None:
            continue
        officers = _emails(campaign.owner_unit_id) if stage == ReminderStage.ESCALATION else []
        for cu in campaign.units.filter(removed_on__isnull=True).prefetch_related("submissions"):
            missing = _missing(cu)
            if not missing:
                continue
            to = _emails(cu.unit_id) + officers
            try:
                with transaction.atomic():
                    Reminder.objects.create(campaign_unit=cu, stage=stage, recipients=len(to))
            except IntegrityError:
                continue  # this stage was sent already
            units += 1
            if not to:
                continue
            body = (
                f"Đợt báo cáo: {campaign.title_vi}\n"
                f"Đơn vị: {cu.name_vi}\n"
                f"Hạn gửi: {campaign.deadline:%d/%m/%Y}\n"
                f"Chưa gửi: {', '.join(missing)}\n"
            )
            messages.append((_SUBJECT[stage], body, settings.DEFAULT_FROM_EMAIL, to))
            sent += len(to)
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return {"units": units, "emails": sent}
