"""What the marketplace tells owners: approval and return, new matches (once each), validity
deadlines (once per threshold), expiry; and the scheduled reminders task."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from caunoi.accounts.models import Notification
from caunoi.market import notices, services
from caunoi.market.models import Match, MatchNotice
from caunoi.market.tasks import market_reminders

pytestmark = pytest.mark.django_db


def _kinds(user: Any) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True)
    )


def test_the_writer_hears_of_approval_and_return_not_of_their_own_steps(
    provider: Any, owner: Any, make_offer: Any
) -> None:
    offer = make_offer(provider)
    services.transition(user=provider, record=offer, to="submitted")
    assert _kinds(provider) == []
    services.transition(user=owner, record=offer, to="changes_requested", note="Thiếu TRL")
    returned = Notification.objects.get(recipient=provider)
    assert returned.kind == "market.record_returned"
    assert "Thiếu TRL" in returned.text and "trả lại" in returned.text
    assert returned.link == offer.get_absolute_url()
    services.transition(user=provider, record=offer, to="submitted")
    services.transition(user=owner, record=offer, to="published")
    assert _kinds(provider) == ["market.record_returned", "market.record_published"]


def test_new_matches_notify_the_requester_once_each(
    provider: Any,
    make_outside: Any,
    make_offer: Any,
    make_request: Any,
    publish: Any,
    settings: Any,
) -> None:
    settings.CAUNOI_MATCH_NOTIFY_SCORE = 0.5
    requester = make_outside("enterprise", "requester")
    request = publish(make_request(requester))
    good = publish(make_offer(provider, title_en="Good"))
    weak = publish(make_offer(provider, title_en="Weak"))
    rows = [
        Match(request=request, offer=good, score=0.8),
        Match(request=request, offer=weak, score=0.2),
    ]
    assert notices.matches_stored(request, rows) == 1
    n = Notification.objects.get(recipient=requester, kind="market.new_matches")
    assert n.params["count"] == 1
    # A recompute with the same matches: nobody is told again.
    assert notices.matches_stored(request, rows) == 0
    # The weak one rises above the threshold: that one is new.
    rows[1].score = 0.6
    assert notices.matches_stored(request, rows) == 1
    assert Notification.objects.filter(kind="market.new_matches").count() == 2
    assert MatchNotice.objects.filter(request=request).count() == 2


def test_deadline_reminders_once_per_threshold_and_expiry(
    provider: Any, make_offer: Any, publish: Any
) -> None:
    today = timezone.localdate()
    offer = publish(make_offer(provider, valid_until=today + dt.timedelta(days=10)))
    far = publish(make_offer(provider, title_en="Far", valid_until=today + dt.timedelta(days=60)))
    assert notices.deadline_reminders(today) == 1
    assert notices.deadline_reminders(today) == 0  # once
    assert notices.deadline_reminders(today + dt.timedelta(days=2)) == 0  # same threshold
    assert notices.deadline_reminders(today + dt.timedelta(days=8)) == 1  # 2 days left: 3-day one
    texts = [
        n.text for n in Notification.objects.filter(kind="market.deadline_soon").order_by("pk")
    ]
    assert "còn 10 ngày" in texts[0] and "còn 2 ngày" in texts[1]
    assert not Notification.objects.filter(
        link=far.get_absolute_url(), kind="market.deadline_soon"
    ).exists()
    assert services.expire_due(today + dt.timedelta(days=11)) == 1
    offer.refresh_from_db()
    assert offer.status == "expired"
    assert "market.record_expired" in _kinds(provider)


def test_the_reminders_task_runs_both(
    provider: Any, owner: Any, make_outside: Any, make_offer: Any, publish: Any
) -> None:
    from caunoi.jobs.schedule import schedules, schedules_run_due
    from caunoi.market import interests
    from caunoi.market.models import Interest

    assert schedules()["market.reminders"].task is market_reminders
    today = timezone.localdate()
    offer = publish(make_offer(provider, valid_until=today + dt.timedelta(days=5)))
    sender = make_outside("enterprise", "sender")
    i = interests.interest_create(user=sender, record=offer, message="Quan tâm")
    interests.interest_transition(user=owner, interest=i, to="forwarded")
    Interest.objects.filter(pk=i.pk).update(answer_due=today - dt.timedelta(days=2))
    job = next(
        j for j in schedules_run_due(now=timezone.now()) if j.kind == market_reminders.module_path
    )
    assert job.result == {"deadlines": 1, "overdue": 1}, job.error
