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


def test_a_match_the_pages_hide_is_not_announced(
    provider: Any,
    make_outside: Any,
    make_offer: Any,
    make_request: Any,
    publish: Any,
    settings: Any,
) -> None:
    """Above the notice threshold but under the relative floor of its kind's best match:
    stored, hidden on the pages, so nobody is told of it."""
    settings.CAUNOI_MATCH_NOTIFY_SCORE = 0.3
    settings.CAUNOI_MATCH_MIN_RELATIVE = 0.5
    requester = make_outside("enterprise", "requester")
    request = publish(make_request(requester))
    strong = publish(make_offer(provider, title_en="Strong"))
    faint = publish(make_offer(provider, title_en="Faint"))
    rows = Match.objects.bulk_create(
        [
            Match(request=request, offer=strong, score=0.8),
            Match(request=request, offer=faint, score=0.35),
        ]
    )
    assert notices.matches_stored(request, rows) == 1
    assert list(
        MatchNotice.objects.filter(request=request).values_list("target_id", flat=True)
    ) == [strong.pk]
    # Without the relative floor both are shown, and the faint one is told too.
    settings.CAUNOI_MATCH_MIN_RELATIVE = 0
    assert notices.matches_stored(request, rows) == 1
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
    assert "gia hạn" in texts[0]  # it says what to do
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


def test_new_matches_tell_the_providers_without_naming_an_anonymous_requester(
    provider: Any,
    owner: Any,
    org_member: tuple[Any, Any],
    make_offer: Any,
    make_request: Any,
    publish: Any,
    settings: Any,
) -> None:
    settings.CAUNOI_MATCH_NOTIFY_SCORE = 0.5
    requester, org = org_member
    requester.first_name, requester.last_name = "Lan", "Nguyễn"
    requester.save()
    offer = publish(make_offer(provider, title_en="Solar dryer"))
    anon = publish(
        make_request(
            requester,
            title_vi="Cần máy sấy cà phê",
            confidentiality="anonymous",
            owner_organization=org,
        )
    )
    secret = publish(
        make_request(requester, title_vi="Dây chuyền bí mật", confidentiality="officers")
    )
    Notification.objects.all().delete()
    notices.matches_stored(anon, [Match(request=anon, offer=offer, score=0.9)])
    told = Notification.objects.get(recipient=provider)
    assert told.kind == "market.new_matching_request"
    assert told.link == offer.get_absolute_url() + "#matching-requests"
    assert "Cần máy sấy cà phê" in told.text and "Solar dryer" in told.text
    for name in ("Nguyễn", "Lan", requester.username, org.name_vi):
        assert name not in told.text  # the anonymous requester stays unnamed
    # Told once per request and counterpart, as the requester is.
    notices.matches_stored(anon, [Match(request=anon, offer=offer, score=0.9)])
    assert Notification.objects.filter(recipient=provider).count() == 1
    # An officers-only request is never told to the provider; its writer and officers hear.
    notices.matches_stored(secret, [Match(request=secret, offer=offer, score=0.9)])
    assert Notification.objects.filter(recipient=provider).count() == 1
    assert Notification.objects.filter(recipient=requester, kind="market.new_matches").count() == 2
    # Outside a recompute's digest, each call is one notice to the officers.
    assert Notification.objects.filter(recipient=owner, kind="market.matches_digest").count() == 2


def test_officers_get_one_digest_notice_per_recompute_by_their_email_choice(
    provider: Any,
    owner: Any,
    admin: Any,
    make_outside: Any,
    make_offer: Any,
    make_request: Any,
    publish: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core import mail

    from caunoi.accounts.notifications import send_digests, set_email_choice

    settings.CAUNOI_MATCH_NOTIFY_SCORE = 0.5
    owner.email, admin.email = "canbo@example.vn", "quantri@example.vn"
    owner.save()
    admin.save()
    set_email_choice(owner, "daily")
    requester = make_outside("enterprise", "requester")
    offers = [publish(make_offer(provider, title_en=f"Dryer {n}")) for n in range(2)]
    requests = [publish(make_request(requester, title_vi=f"Cần máy sấy {n}")) for n in range(2)]
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), notices.officer_digest():
        for r in requests:
            notices.matches_stored(r, [Match(request=r, offer=o, score=0.8) for o in offers])
    digests = Notification.objects.filter(kind="market.matches_digest")
    assert sorted(digests.values_list("recipient__username", flat=True)) == ["admin", "owner"]
    one = digests.get(recipient=owner)
    assert one.params == {"count": 4, "requests": 2}
    assert "4" in one.text and "2" in one.text
    assert one.link == "/market/requests/"
    # The provider heard once per offer, of both new requests; the requester of each request.
    told = Notification.objects.filter(recipient=provider)
    assert [(n.kind, n.params["count"]) for n in told] == [("market.new_matching_requests", 2)] * 2
    assert {n.link for n in told} == {o.get_absolute_url() + "#matching-requests" for o in offers}
    assert "2 đặt hàng mới phù hợp" in told[0].text
    assert Notification.objects.filter(recipient=requester).count() == 2
    # E-mail by each officer's choice: the admin at once, the owner in the daily digest.
    to = [m.to for m in mail.outbox]
    assert ["quantri@example.vn"] in to and ["canbo@example.vn"] not in to
    mail.outbox.clear()
    assert send_digests() == 1
    assert mail.outbox[0].to == ["canbo@example.vn"]
    assert one.text in mail.outbox[0].body
    # Nothing new in the next recompute: no notice at all.
    with notices.officer_digest():
        for r in requests:
            notices.matches_stored(r, [Match(request=r, offer=o, score=0.8) for o in offers])
    assert Notification.objects.filter(kind="market.matches_digest").count() == 2


def test_the_match_tasks_send_one_officer_notice_per_recompute(
    provider: Any,
    owner: Any,
    make_outside: Any,
    make_offer: Any,
    make_request: Any,
    publish: Any,
    settings: Any,
) -> None:
    from caunoi.market import tasks

    settings.CAUNOI_MATCH_NOTIFY_SCORE = 0.01
    requester = make_outside("enterprise", "requester")
    for n in range(2):
        publish(make_offer(provider, title_en=f"Solar coffee dryer {n}", summary_en="coffee dryer"))
        publish(make_request(requester, title_en=f"Solar coffee dryer {n}", need="coffee dryer"))
    Notification.objects.all().delete()
    result = tasks.match_all.call()
    assert result["matches"] >= 4
    assert Notification.objects.filter(recipient=owner, kind="market.matches_digest").count() == 1
    digest = Notification.objects.get(recipient=owner, kind="market.matches_digest")
    assert digest.params["requests"] == 2
    # The provider: at most one notice per offer for the whole recompute.
    links = list(
        Notification.objects.filter(
            recipient=provider, kind__startswith="market.new_matching_request"
        ).values_list("link", flat=True)
    )
    assert links and len(links) == len(set(links)) <= 2
