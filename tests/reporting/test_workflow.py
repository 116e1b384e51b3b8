"""The officers' side of the workflow: a report received by e-mail and entered on the unit's
behalf counts from the day it was received; reopening after the lock only where it changes
something; a campaign cannot lock before its timely window ends."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import load_workbook

from caunoi.accounts.models import AuditEvent
from caunoi.core.errors import DomainError
from caunoi.reporting import selectors, services
from caunoi.reporting.models import Campaign, Submission, SubmissionState
from caunoi.reporting.reminders import send_reminders
from support import etag_of, login

pytestmark = pytest.mark.django_db

GOOD = {"tom-tat": "Đã tổ chức hội thảo với đối tác Hàn Quốc.", "so-hop-dong": 3}
FORM = {"tom-tat": "Thành phố đã ban hành kế hoạch.", "so-hop-dong": "4", "nhiem-vu__rows": "3"}


@pytest.fixture
def past(campaign: Any) -> Any:
    """The test campaign moved into the past: its deadline 40 days ago, a 5-day window, locked
    30 days after the deadline (so locked now)."""
    campaign.deadline = timezone.localdate() - dt.timedelta(days=40)
    campaign.opens_on = campaign.deadline - dt.timedelta(days=30)
    campaign.period_start = campaign.opens_on - dt.timedelta(days=300)
    campaign.period_end = campaign.opens_on
    campaign.save()
    campaign.units.update(added_on=campaign.opens_on)
    return campaign


def _report(campaign: Any, code: str) -> Submission:
    return campaign.units.get(code=code).submissions.get(kind="report")


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _save(user: Any, sub: Any, submit: bool = False, **kw: Any) -> Submission:
    sub.refresh_from_db()
    return services.submission_save(
        user=user,
        submission=sub,
        answers=GOOD,
        expected_version=sub.version,
        submit=submit,
        **kw,
    )


def _on_time(campaign: Any) -> tuple[int, int]:
    total = selectors.campaign_completeness(campaign).total
    return total.actual, total.on_time


# --- A report received by e-mail -------------------------------------------------------------


def test_a_report_received_by_email_counts_from_the_day_it_arrived(
    past: Any, owner: Any, ministry: Any
) -> None:
    deadline = past.deadline
    # Typed in today (five weeks after the deadline), received two days after the deadline.
    hanoi = _save(owner, _report(past, "ha-noi"), True, received_on=deadline + dt.timedelta(2))
    assert timezone.localtime(hanoi.first_submitted_at).date() == deadline + dt.timedelta(2)
    assert hanoi.received_on == deadline + dt.timedelta(2)
    assert _on_time(past) == (1, 1)
    # The same typing without a received date counts as sent today: late.
    _save(owner, _report(past, ministry.code), True)
    assert _on_time(past) == (2, 1)
    event = AuditEvent.objects.filter(
        model="reporting.submission", object_id=str(hanoi.pk), action="update"
    ).get()
    assert event.actor == owner
    assert event.changes["received_on"] == [None, str(deadline + dt.timedelta(2))]
    assert event.changes["first_submitted_at"][0] is None


def test_a_received_date_is_checked_and_only_the_officers_give_one(
    past: Any, owner: Any, other: Any
) -> None:
    sub = _report(past, "ha-noi")
    today = timezone.localdate()
    with translation.override("vi"):
        for day, text in (
            (today + dt.timedelta(1), "không được sau hôm nay"),
            (
                past.opens_on - dt.timedelta(1),
                f"trước ngày mở đợt báo cáo ({past.opens_on:%d/%m/%Y})",
            ),
        ):
            with pytest.raises(DomainError) as caught:
                _save(owner, sub, True, received_on=day)
            assert text in caught.value.errors["received_on"][0]
    # The first and last days allowed.
    assert _save(owner, sub, received_on=past.opens_on).received_on == past.opens_on
    assert _save(owner, sub, received_on=today).received_on == today
    saved = Submission.objects.get(pk=sub.pk)
    assert saved.state == SubmissionState.DRAFT and saved.first_submitted_at is None
    # A unit's officer cannot date its own report (the campaign is reopened for it here).
    services.submission_reopen(user=owner, submission=saved)
    with pytest.raises(PermissionDenied):
        _save(other, saved, received_on=past.deadline)
    assert Submission.objects.get(pk=sub.pk).received_on == today
    # Left as it is (the unit's form never sends one), the officers' date stays and counts.
    sent = _save(other, saved, True)
    assert sent.received_on == today
    assert sent.first_submitted_at == services.received_moment(today)


def test_a_received_date_entered_after_the_report_was_sent(
    past: Any, owner: Any, other: Any, ministry: Any
) -> None:
    deadline = past.deadline
    bo = _save(owner, _report(past, ministry.code), True, now=_at(deadline + dt.timedelta(10)))
    assert _on_time(past) == (1, 0)
    # It had come by e-mail on time: entered later, the received date brings the day forward.
    bo = _save(owner, bo, received_on=deadline + dt.timedelta(3))
    assert bo.state == SubmissionState.SUBMITTED
    assert _on_time(past) == (1, 1)
    # A date the report was sent with can be corrected (here to after the window) ...
    bo = _save(owner, bo, received_on=deadline + dt.timedelta(8))
    assert timezone.localtime(bo.first_submitted_at).date() == deadline + dt.timedelta(8)
    assert _on_time(past) == (1, 0)
    # ... but not removed: the submission would have no day it was sent.
    with pytest.raises(DomainError) as caught:
        _save(owner, bo, received_on=None)
    assert "received_on" in caught.value.errors
    # A report sent on the platform cannot be dated later than the day it was sent.
    hanoi = _save(owner, _report(past, "ha-noi"), True, now=_at(deadline + dt.timedelta(4)))
    with pytest.raises(DomainError) as caught:
        _save(owner, hanoi, received_on=deadline + dt.timedelta(6))
    assert "received_on" in caught.value.errors
    hanoi.refresh_from_db()
    assert hanoi.received_on is None
    assert timezone.localtime(hanoi.first_submitted_at).date() == deadline + dt.timedelta(4)
    assert _on_time(past) == (2, 1)


def test_the_form_and_the_workbook_carry_the_received_date_for_officers(
    past: Any, owner: Any, other: Any
) -> None:
    sub = _report(past, "ha-noi")
    url = f"/reporting/submissions/{sub.pk}/"
    htqt, unit = login(owner), login(other)
    page = htqt.get(url).content.decode()
    assert 'name="received_on"' in page and f'min="{past.opens_on:%Y-%m-%d}"' in page
    assert 'name="received_on"' not in unit.get(url).content.decode()
    # The officer uploads the workbook the unit e-mailed, with the day it arrived.
    raw = load_workbook(io.BytesIO(htqt.get(f"{url}xlsx/").content))
    for row in raw["Bao cao"].iter_rows(min_row=2):
        if row[0].value == "tom-tat":
            row[6].value = "Báo cáo gửi qua thư điện tử."
    out = io.BytesIO()
    raw.save(out)
    received = past.deadline + dt.timedelta(1)
    r = htqt.post(
        f"{url}xlsx/",
        {
            "file": SimpleUploadedFile("bc.xlsx", out.getvalue()),
            "version": sub.version,
            "received_on": f"{received:%Y-%m-%d}",
        },
    )
    assert r.status_code == 302
    sub.refresh_from_db()
    assert sub.state == SubmissionState.DRAFT and sub.received_on == received
    assert sub.answers["tom-tat"] == "Báo cáo gửi qua thư điện tử."
    # A bad date in the form: 400, named beside the field, nothing saved.
    bad = htqt.post(
        url, {**FORM, "version": sub.version, "action": "submit", "received_on": "32/13/2020"}
    )
    assert bad.status_code == 400
    assert 'data-field="received_on">Hãy nhập ngày' in bad.content.decode()
    future = f"{timezone.localdate() + dt.timedelta(3):%Y-%m-%d}"
    bad = htqt.post(
        url, {**FORM, "version": sub.version, "action": "submit", "received_on": future}
    )
    assert bad.status_code == 400 and "không được sau hôm nay" in bad.content.decode()
    assert Submission.objects.get(pk=sub.pk).state == SubmissionState.DRAFT
    # Submitted with the date the form shows: on time from the day it arrived.
    ok = htqt.post(
        url,
        {**FORM, "version": sub.version, "action": "submit", "received_on": f"{received:%d/%m/%Y}"},
    )
    assert ok.status_code == 302
    sub.refresh_from_db()
    assert sub.state == SubmissionState.SUBMITTED
    assert sub.first_submitted_at == services.received_moment(received)
    assert _on_time(past) == (1, 1)
    shown = unit.get(url).content.decode()
    assert f"Nhận ngoài hệ thống ngày {received:%d/%m/%Y}" in shown


def test_a_units_upload_leaves_the_received_date_alone(past: Any, owner: Any, other: Any) -> None:
    sub = _save(owner, _report(past, "ha-noi"), received_on=past.deadline)
    services.submission_reopen(user=owner, submission=sub)
    sub.refresh_from_db()
    unit = login(other)
    url = f"/reporting/submissions/{sub.pk}/"
    content = unit.get(f"{url}xlsx/").content
    r = unit.post(
        f"{url}xlsx/",
        {"file": SimpleUploadedFile("bc.xlsx", content), "version": sub.version, "received_on": ""},
    )
    assert r.status_code == 302
    assert Submission.objects.get(pk=sub.pk).received_on == past.deadline


def test_the_api_takes_a_received_date_from_officers_only(
    past: Any, owner: Any, other: Any
) -> None:
    sub = _report(past, "ha-noi")
    url = f"/api/v1/reporting/submissions/{sub.pk}"
    unit = login(other)
    services.submission_reopen(user=owner, submission=sub)
    body = {"answers": GOOD, "received_on": f"{past.deadline:%Y-%m-%d}"}
    tag = etag_of(unit, url)
    denied = unit.put(url, json.dumps(body), content_type="application/json", HTTP_IF_MATCH=tag)
    assert denied.status_code == 403
    htqt = login(owner)
    sent = htqt.put(
        url,
        json.dumps({**body, "submit": True}),
        content_type="application/json",
        HTTP_IF_MATCH=etag_of(htqt, url),
    )
    assert sent.status_code == 200
    assert sent.json()["received_on"] == f"{past.deadline:%Y-%m-%d}"
    assert _on_time(past) == (1, 1)
    # Left out of the body: unchanged.
    again = htqt.put(
        url,
        json.dumps({"answers": GOOD}),
        content_type="application/json",
        HTTP_IF_MATCH=sent["ETag"],
    )
    assert again.status_code == 200 and again.json()["received_on"] == f"{past.deadline:%Y-%m-%d}"


# --- Reopening after the lock ----------------------------------------------------------------


def test_reopen_is_offered_and_allowed_only_where_it_changes_something(
    past: Any, owner: Any, admin: Any, other: Any, ministry: Any
) -> None:
    draft = _report(past, "ha-noi")
    sent = _save(admin, _report(past, ministry.code), True, now=_at(past.deadline))
    htqt = login(owner)
    draft_url, sent_url = (
        f"/reporting/submissions/{draft.pk}/",
        f"/reporting/submissions/{sent.pk}/",
    )
    assert 'id="reopen"' in htqt.get(draft_url).content.decode()
    page = htqt.get(sent_url).content.decode()
    assert 'id="reopen"' not in page and 'id="return"' in page
    # Posted anyway: refused, nothing changes.
    r = htqt.post(
        f"{sent_url}review/", {"decision": "reopen", "version": sent.version}, follow=True
    )
    assert "trả lại kèm ý kiến" in r.content.decode()
    refused = Submission.objects.get(pk=sent.pk)
    assert not refused.reopened and refused.version == sent.version
    approved = services.submission_review(
        user=owner, submission=refused, decision="approve", expected_version=refused.version
    )
    with pytest.raises(DomainError):
        services.submission_reopen(user=owner, submission=approved)
    assert not Submission.objects.get(pk=sent.pk).reopened
    assert not AuditEvent.objects.filter(
        model="reporting.submission", object_id=str(sent.pk), changes__has_key="reopened"
    ).exists()
    # The draft: reopened, kept in the history and the audit trail; the unit can fill it again.
    assert 'id="submission-form"' not in login(other).get(draft_url).content.decode()
    r = htqt.post(
        f"{draft_url}review/",
        {"decision": "reopen", "version": draft.version, "comment": "Gia hạn đến 30/6"},
    )
    assert r.status_code == 302
    draft.refresh_from_db()
    assert draft.reopened and draft.version == 2
    version = draft.versions.get(number=2)
    assert version.comment == "Gia hạn đến 30/6" and version.created_by == owner
    event = AuditEvent.objects.get(
        model="reporting.submission", object_id=str(draft.pk), action="update"
    )
    assert event.actor == owner and event.changes == {"reopened": [False, True]}
    assert "Gia hạn đến 30/6" in htqt.get(f"{draft_url}history/").content.decode()
    assert 'id="submission-form"' in login(other).get(draft_url).content.decode()
    assert 'id="reopen"' not in htqt.get(draft_url).content.decode()
    with pytest.raises(DomainError):
        services.submission_reopen(user=owner, submission=draft)  # already reopened


def test_reopen_before_the_lock_is_refused(campaign: Any, owner: Any, other: Any) -> None:
    sub = _report(campaign, "ha-noi")
    assert not campaign.is_locked()
    url = f"/reporting/submissions/{sub.pk}/"
    officer_page = login(owner).get(url).content.decode()
    assert 'id="reopen"' not in officer_page and 'name="received_on"' in officer_page
    unit_page = login(other).get(url).content.decode()
    assert 'id="submission-form"' in unit_page and 'name="received_on"' not in unit_page
    with translation.override("vi"), pytest.raises(DomainError, match="chưa khóa"):
        services.submission_reopen(user=owner, submission=sub)
    with pytest.raises(PermissionDenied):
        services.submission_reopen(user=other, submission=sub)
    assert not Submission.objects.get(pk=sub.pk).reopened


# --- The lock and the timely window ----------------------------------------------------------


def _campaign_data(template_version: Any, units: dict[str, Any], **kw: str) -> dict[str, Any]:
    return {
        "title_vi": "Báo cáo năm 2031",
        "template_version": str(template_version.pk),
        "period_start": "2031-01-01",
        "period_end": "2031-12-31",
        "opens_on": "2031-11-01",
        "deadline": "2031-12-15",
        "timely_days": "5",
        "lock_after_days": "30",
        "report": "on",
        "units": [str(units["hanoi"].pk)],
        **kw,
    }


def test_a_campaign_cannot_lock_before_its_timely_window_ends(
    owner: Any, template_version: Any, units: dict[str, Any], campaign: Any
) -> None:
    client = login(owner)
    for lock in ("3", "5"):
        r = client.post(
            "/reporting/admin/campaigns/new/",
            _campaign_data(template_version, units, lock_after_days=lock),
        )
        assert r.status_code == 400, lock
        body = r.content.decode()
        marker = 'data-field="lock_after_days">'
        assert marker in body
        message = body[body.index(marker) : body.index("</p>", body.index(marker))]
        assert "phải sau thời gian gia hạn" in message and "ít nhất 6 ngày" in message
    assert not Campaign.objects.filter(title_vi="Báo cáo năm 2031").exists()
    r = client.post(
        "/reporting/admin/campaigns/new/",
        _campaign_data(template_version, units, lock_after_days="6"),
    )
    assert r.status_code == 302
    # The same on the settings page and in the service.
    edit = {
        "title_vi": campaign.title_vi,
        "period_start": "2030-01-01",
        "period_end": "2030-12-31",
        "opens_on": "2030-11-01",
        "deadline": "2030-12-15",
        "timely_days": "10",
        "lock_after_days": "7",
        "version": str(campaign.version),
    }
    r = client.post(f"/reporting/admin/campaigns/{campaign.pk}/", edit)
    assert r.status_code == 400 and "phải sau thời gian gia hạn" in r.content.decode()
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.campaign_update(
            user=owner, campaign=campaign, data={"timely_days": 10, "lock_after_days": 10}
        )
    assert "at least 11 days" in caught.value.errors["lock_after_days"][0]
    with pytest.raises(DomainError) as caught:
        services.campaign_create(
            user=owner,
            template_version=template_version,
            title_vi="Đợt thử",
            period_start=dt.date(2031, 1, 1),
            period_end=dt.date(2031, 12, 31),
            opens_on=dt.date(2031, 11, 1),
            deadline=dt.date(2031, 12, 15),
            timely_days=5,
            lock_after_days=0,
        )
    assert "lock_after_days" in caught.value.errors
    campaign.refresh_from_db()
    assert (campaign.timely_days, campaign.lock_after_days) == (5, 30)
    # Never locked, or no window with a lock the day after the deadline: fine.
    services.campaign_update(
        user=owner, campaign=campaign, data={"timely_days": 0, "lock_after_days": 1}
    )
    services.campaign_update(
        user=owner, campaign=campaign, data={"timely_days": 9, "lock_after_days": None}
    )


def test_the_least_lock_allowed_still_lets_the_escalation_go(campaign: Any, owner: Any) -> None:
    """Why the lock must exceed the window: the escalation is due the day after the window,
    and locked campaigns get no reminders."""
    day_after_window = campaign.timely_until + dt.timedelta(days=1)
    Campaign.objects.filter(pk=campaign.pk).update(lock_after_days=campaign.timely_days)
    assert send_reminders(day_after_window) == {"units": 0, "notifications": 0}
    services.campaign_update(
        user=owner, campaign=campaign, data={"lock_after_days": campaign.timely_days + 1}
    )
    sent = send_reminders(day_after_window)
    assert sent["units"] == 2
    assert AuditEvent.objects.filter(model="reporting.campaign", action="update").exists()
