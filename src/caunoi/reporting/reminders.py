"""Reminders to units that have not sent what a campaign asks of them: a week and a day
before the deadline, after it, and after the timely window (escalation).

They are in-app notifications (``caunoi.accounts.notifications``): the recipient sees them
under the header's bell, and gets them by e-mail as they chose there (one e-mail each, a daily
digest, or none). Who hears:

- every stage: the active officers of the unit that answers for the campaign unit (there is
  no "head of unit" role in the accounts: the unit's officers are the people accountable for
  its reports);
- escalation (after the timely window): also the active officers and administrators of the
  unit that runs the campaign (the HTQT department), told which unit has not sent what.

Each stage is sent once per campaign unit (``Reminder``, unique per unit and stage), so the
daily task may run twice, or late, without repeating a stage; a late run sends only the stage
of its day (a unit first reminded after the deadline gets "overdue", not the week-before one).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from caunoi.accounts.models import User
from caunoi.accounts.notifications import notify, register_kind
from caunoi.reporting.models import Campaign, CampaignUnit, Reminder, ReminderStage

KINDS = {
    "reporting.reminder_week_before": _(
        "%(unit)s: %(missing)s for “%(campaign)s” is due on %(deadline)s (a week left)."
    ),
    "reporting.reminder_day_before": _(
        "%(unit)s: %(missing)s for “%(campaign)s” is due on %(deadline)s."
    ),
    "reporting.reminder_overdue": _(
        "%(unit)s: %(missing)s for “%(campaign)s” was due on %(deadline)s and has not been sent."
    ),
    "reporting.reminder_escalation": _(
        "%(unit)s has still not sent %(missing)s for “%(campaign)s” (due on %(deadline)s, "
        "on time until %(timely_until)s)."
    ),
}


def register_kinds() -> None:
    for kind, text in KINDS.items():
        register_kind(kind, text)


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
    """What the unit has not sent, named in Vietnamese (stored in the notification)."""
    with translation.override("vi"):
        return [
            str(s.get_kind_display()).lower()
            for s in cu.submissions.all()
            if s.first_submitted_at is None
        ]


def _officers(unit_id: int, *, admins: bool = False) -> list[User]:
    roles = [User.Role.OFFICER, User.Role.ADMIN] if admins else [User.Role.OFFICER]
    return list(User.objects.filter(unit_id=unit_id, role__in=roles, is_active=True))


def _link(cu: CampaignUnit) -> str:
    """The submission still missing (the first), else the unit's list."""
    pending = [s for s in cu.submissions.all() if s.first_submitted_at is None]
    if pending:
        return reverse("reporting:submission", args=[pending[0].pk])
    return reverse("reporting:mine")


def send_reminders(today: dt.date | None = None) -> dict[str, int]:
    """Send today's reminders for every open, unlocked campaign; returns how many units were
    reminded and how many notifications were created."""
    day = today or timezone.localdate()
    units = sent = 0
    for campaign in Campaign.objects.filter(opens_on__lte=day).select_related("owner_unit"):
        if campaign.is_locked(day):
            continue
        stage = stage_due(day, campaign.deadline, campaign.timely_until)
        if stage is None:
            continue
        escalated = stage == ReminderStage.ESCALATION
        htqt = _officers(campaign.owner_unit_id, admins=True) if escalated else []
        for cu in campaign.units.filter(removed_on__isnull=True).prefetch_related("submissions"):
            missing = _missing(cu)
            if not missing:
                continue
            recipients = _officers(cu.unit_id) + htqt
            try:
                with transaction.atomic():
                    Reminder.objects.create(
                        campaign_unit=cu,
                        stage=stage,
                        recipients=len({u.pk for u in recipients}),
                    )
                    created = notify(
                        recipients,
                        f"reporting.reminder_{stage}",
                        link=_link(cu),
                        unit=cu.name_vi,
                        missing=", ".join(missing),
                        campaign=campaign.title_vi,
                        deadline=f"{campaign.deadline:%d/%m/%Y}",
                        timely_until=f"{campaign.timely_until:%d/%m/%Y}",
                    )
            except IntegrityError:
                continue  # this stage was sent already
            units += 1
            sent += len(created)
    return {"units": units, "notifications": sent}
