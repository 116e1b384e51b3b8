"""In-app notifications and their e-mail.

Generic: an app registers each ``kind`` it sends with the sentence to show (a gettext msgid
with ``%(name)s`` placeholders filled from the notification's ``params``), then calls
``notify``. The recipient sees it under the header's bell and on ``/accounts/notifications/``;
by e-mail, according to their choice (``NotificationSettings``): one e-mail each (sent when
the transaction commits), a daily digest (``notifications_digest``, a scheduled task), or none.
E-mails are written in Vietnamese and name no other person's address.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from caunoi.accounts.models import (
    NOTIFICATION_KINDS,
    Notification,
    NotificationSettings,
    User,
)


def register_kind(kind: str, text: Any) -> None:
    """``text``: a lazy translated sentence with ``%(param)s`` placeholders."""
    NOTIFICATION_KINDS[kind] = text


def text_of(n: Notification) -> str:
    return n.text


def email_choice(user: User) -> str:
    found = NotificationSettings.objects.filter(user=user).values_list("email", flat=True).first()
    return found or NotificationSettings.Email.IMMEDIATE


def set_email_choice(user: User, choice: str) -> None:
    if choice not in NotificationSettings.Email.values:
        raise ValueError(choice)
    previous = email_choice(user)
    NotificationSettings.objects.update_or_create(user=user, defaults={"email": choice})
    if choice != previous:
        # What came before the change was dealt with under the old choice (e-mailed, or
        # in the application only): the first digest after it lists only what follows.
        settle(Notification.objects.filter(recipient=user, emailed_at__isnull=True))


def settle(qs: Any) -> int:
    """Mark notifications as no longer due by e-mail (``emailed_at``: sent, or not to be)."""
    return int(qs.update(emailed_at=timezone.now()))


def notify(
    recipients: Iterable[User | None], kind: str, *, link: str = "", **params: Any
) -> list[Notification]:
    """One notification per distinct active recipient (``None`` entries are skipped)."""
    return notify_many([(recipients, kind, link, params)])


def notify_many(
    items: Iterable[tuple[Iterable[User | None], str, str, dict[str, Any]]],
) -> list[Notification]:
    """``notify`` for many notices at once (recipients, kind, link, params each): one bulk
    insert and one read of the recipients' e-mail choices, so a recompute that tells
    thousands of people costs a few queries, not a few per person."""
    rows: list[Notification] = []
    for recipients, kind, link, params in items:
        seen: set[int] = set()
        for user in recipients:
            if user is None or not user.is_active or user.pk in seen:
                continue
            seen.add(user.pk)
            rows.append(Notification(recipient=user, kind=kind, link=link, params=params))
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    choices = dict(
        NotificationSettings.objects.filter(
            user_id__in={n.recipient_id for n in created}
        ).values_list("user_id", "email")
    )
    immediate = [
        n.pk
        for n in created
        if choices.get(n.recipient_id, NotificationSettings.Email.IMMEDIATE)
        == NotificationSettings.Email.IMMEDIATE
    ]
    if immediate:
        transaction.on_commit(lambda: send_emails(immediate))
    return created


def _absolute(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.CAUNOI_SITE_URL.rstrip("/") + link


def _mail(user: User, items: list[Notification], *, digest: bool) -> None:
    if not user.email:
        return
    with translation.override("vi"):
        context = {
            "user": user,
            "items": [(text_of(n), _absolute(n.link)) for n in items],
            "digest": digest,
            "page": _absolute("/accounts/notifications/"),
        }
        subject = render_to_string("accounts/email/notification_subject.txt", context)
        body = render_to_string("accounts/email/notification_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def send_emails(ids: list[int]) -> int:
    """E-mail these notifications, one message each, unless already e-mailed; returns how
    many were sent. Each is marked as it is sent (a retry sends nothing twice); those whose
    recipient has no address are settled in one update per chunk, not one each (a recompute
    tells tens of thousands of people at once)."""
    sent = 0
    for start in range(0, len(ids), 1000):
        due = Notification.objects.filter(pk__in=ids[start : start + 1000], emailed_at=None)
        settle(due.filter(recipient__email=""))
        for n in due.exclude(recipient__email="").select_related("recipient"):
            _mail(n.recipient, [n], digest=False)
            Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent


def send_digests() -> int:
    """One e-mail per user who chose the daily digest, listing what came since they chose it
    (or since the last digest) and they have not read in the application yet."""
    users = NotificationSettings.objects.filter(email=NotificationSettings.Email.DAILY).values_list(
        "user_id", flat=True
    )
    sent = 0
    for user in User.objects.filter(pk__in=list(users), is_active=True):
        due = Notification.objects.filter(recipient=user, emailed_at__isnull=True)
        # read in the application already: no need to mail it
        settle(due.filter(read_at__isnull=False))
        pending = list(due.filter(read_at__isnull=True).order_by("created_at", "id"))
        if not pending:
            continue
        _mail(user, pending, digest=True)
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            emailed_at=timezone.now()
        )
        sent += 1
    return sent


def unread_count(user: Any) -> int:
    if not isinstance(user, User):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark this user's notifications read (all of them when ``ids`` is None)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
