"""In-app notifications: the bell's count, the page (own only, mark read), the e-mail choice,
one e-mail each on commit, the daily digest."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils.translation import gettext_lazy

from caunoi.accounts import notifications
from caunoi.accounts.models import Notification
from caunoi.accounts.tasks import notifications_digest
from support import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kind() -> None:
    notifications.register_kind("tests.hello", gettext_lazy("Hello %(who)s"))


@pytest.fixture
def alice(make_outside: Any) -> Any:
    user = make_outside("enterprise", "alice")
    user.email = "alice@example.vn"
    user.save()
    return user


def test_bell_counts_unread_and_the_page_lists_own_only(alice: Any, make_outside: Any) -> None:
    bob = make_outside("enterprise", "bob")
    notifications.notify([alice, alice, None], "tests.hello", link="/market/", who="A")
    notifications.notify([bob], "tests.hello", who="Bob-secret")
    assert Notification.objects.filter(recipient=alice).count() == 1  # one per recipient
    client = login(alice)
    home = client.get("/").content.decode()
    assert 'id="notification-count">1<' in home
    page = client.get("/accounts/notifications/").content.decode()
    assert "Hello A" in page and "Bob-secret" not in page
    n = Notification.objects.get(recipient=alice)
    # Someone else's id marks nothing of theirs.
    bob_n = Notification.objects.get(recipient=bob)
    client.post("/accounts/notifications/read/", {"id": bob_n.pk})
    bob_n.refresh_from_db()
    assert bob_n.read_at is None
    client.post("/accounts/notifications/read/", {"id": n.pk})
    n.refresh_from_db()
    assert n.read_at is not None
    assert 'id="notification-count"' not in client.get("/").content.decode()
    notifications.notify([alice], "tests.hello", who="B")
    notifications.notify([alice], "tests.hello", who="C")
    client.post("/accounts/notifications/read/")
    assert notifications.unread_count(alice) == 0
    assert client.get("/accounts/notifications/read/").status_code == 405


def test_email_each_on_commit_or_none(alice: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify([alice], "tests.hello", link="/market/", who="A")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.vn"]
    assert "Hello A" in mail.outbox[0].body and "http" in mail.outbox[0].body
    assert Notification.objects.get().emailed_at is not None
    login(alice).post("/accounts/notifications/", {"email": "none"})
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify([alice], "tests.hello", who="B")
    assert len(mail.outbox) == 1
    # A bad choice is refused and changes nothing.
    login(alice).post("/accounts/notifications/", {"email": "hourly"})
    assert notifications.email_choice(alice) == "none"


def test_daily_digest_sends_one_email_with_what_was_not_sent(
    alice: Any, django_capture_on_commit_callbacks: Any, make_outside: Any
) -> None:
    notifications.set_email_choice(alice, "daily")
    other = make_outside("enterprise", "other-daily")
    other.email = "other@example.vn"
    other.save()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify([alice], "tests.hello", who="A")
        notifications.notify([alice], "tests.hello", who="B")
        notifications.notify([other], "tests.hello", who="each")  # immediate
    assert [m.to for m in mail.outbox] == [["other@example.vn"]]
    from django.utils import timezone

    from caunoi.jobs.schedule import schedules, schedules_run_due

    assert schedules()["accounts.notifications-digest"].task is notifications_digest
    due = schedules_run_due(now=timezone.now())
    job = next(j for j in due if j.kind == notifications_digest.module_path)
    assert job.result == {"sent": 1}, job.error
    assert job.label_vi == "Thư tổng hợp thông báo hằng ngày"
    digest = mail.outbox[-1]
    assert digest.to == ["alice@example.vn"]
    assert "Hello A" in digest.body and "Hello B" in digest.body
    assert "2 thông báo mới" in digest.subject
    assert notifications.send_digests() == 0  # nothing twice


def test_a_digest_lists_only_what_is_unread_and_came_since_the_choice(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Under "no e-mail" nothing is mailed; choosing the daily digest afterwards does not
    mail that history, and a notification read in the application is not mailed either."""
    notifications.set_email_choice(alice, "none")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify([alice], "tests.hello", who="Old")
    notifications.set_email_choice(alice, "daily")
    with django_capture_on_commit_callbacks(execute=True):
        [seen] = notifications.notify([alice], "tests.hello", who="Seen")
        notifications.notify([alice], "tests.hello", who="New")
    notifications.mark_read(alice, [seen.pk])
    assert notifications.send_digests() == 1
    body = mail.outbox[-1].body
    assert "Hello New" in body and "Hello Old" not in body and "Hello Seen" not in body
    assert notifications.send_digests() == 0


def test_no_address_is_settled_without_mail(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A recipient without an e-mail address gets the notice in the application; it is
    marked as not due by e-mail (in bulk), and nobody else's mail is held up."""
    from caunoi.accounts.models import User

    nomail = User.objects.create_user("khong-thu", password="x", email="")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify([nomail, alice], "tests.hello", who="A")
    assert [m.to for m in mail.outbox] == [["alice@example.vn"]]
    assert Notification.objects.filter(emailed_at=None).count() == 0
    assert notifications.send_emails(list(Notification.objects.values_list("pk", flat=True))) == 0
