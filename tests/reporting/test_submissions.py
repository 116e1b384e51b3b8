"""Submissions: who may fill and read them, drafts and submitting, validation messages,
concurrent edits, locking and reopening, the review, every version kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone, translation

from caunoi.core.errors import ConflictError, DomainError
from caunoi.reporting import access, services
from caunoi.reporting.models import Submission, SubmissionState

pytestmark = pytest.mark.django_db

GOOD = {"tom-tat": "Đã ban hành kế hoạch và tổ chức hội thảo.", "so-hop-dong": "12"}


def save(user: Any, sub: Any, answers: dict[str, Any], submit: bool = False) -> Any:
    return services.submission_save(
        user=user, submission=sub, answers=answers, expected_version=sub.version, submit=submit
    )


def test_a_province_fills_and_submits_its_own_report(other: Any, hanoi_report: Any) -> None:
    saved = save(other, hanoi_report, {"so-hop-dong": "1.234", "ty-le": "42,5"})
    assert saved.state == SubmissionState.DRAFT
    assert saved.answers == {"so-hop-dong": 1234, "ty-le": 42.5}
    sent = save(other, saved, GOOD, submit=True)
    assert sent.state == SubmissionState.SUBMITTED and sent.first_submitted_at is not None
    assert [v.state for v in sent.versions.all()] == ["submitted", "draft"]


def test_a_unit_sees_and_edits_only_its_own(other: Any, campaign: Any, ministry: Any) -> None:
    ministry_report = campaign.units.get(code=ministry.code).submissions.get(kind="report")
    with pytest.raises(Http404):
        access.submission_for_user(other, ministry_report.pk)
    with pytest.raises(PermissionDenied):
        save(other, ministry_report, GOOD)
    ids = set(access.submissions_readable(other).values_list("campaign_unit__code", flat=True))
    assert ids == {"ha-noi"}
    assert Submission.objects.get(pk=ministry_report.pk).answers == {}


def test_viewers_and_outsiders_read_no_submission(
    viewer: Any, make_outside: Any, hanoi_report: Any
) -> None:
    for user in (viewer, make_outside("enterprise", "dn")):
        assert not access.submissions_readable(user).exists()
        with pytest.raises(Http404):
            access.submission_for_user(user, hanoi_report.pk)
    assert access.campaigns_readable(viewer).exists()
    assert not access.campaigns_readable(make_outside("expert", "cg")).exists()


def test_htqt_officers_read_all_and_review(owner: Any, hanoi_report: Any, campaign: Any) -> None:
    assert access.submissions_readable(owner).count() == Submission.objects.count()
    assert access.can_review(owner, campaign)


def test_validation_names_every_bad_answer_in_vietnamese(other: Any, hanoi_report: Any) -> None:
    bad = {
        "so-hop-dong": "mười",
        "ty-le": "120",
        "muc-do": "xuat-sac",
        "co-ke-hoach": "có lẽ",
        "nhiem-vu": [{"ten": "Hội thảo", "kinh-phi": "nhiều"}],
        "khong-co": "x",
    }
    with translation.override("vi"), pytest.raises(DomainError) as caught:
        save(other, hanoi_report, bad)
    errors = caught.value.errors
    assert set(errors) == {
        "so-hop-dong",
        "ty-le",
        "muc-do",
        "co-ke-hoach",
        "nhiem-vu.0.kinh-phi",
        "khong-co",
    }
    assert errors["so-hop-dong"] == ["Hãy nhập một số."]
    assert "100" in errors["ty-le"][0]
    assert Submission.objects.get(pk=hanoi_report.pk).version == hanoi_report.version


def test_submitting_requires_the_required_answers(other: Any, hanoi_report: Any) -> None:
    save(other, hanoi_report, {"so-hop-dong": 3})  # a draft without them is fine
    hanoi_report.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        save(other, hanoi_report, {"so-hop-dong": 3}, submit=True)
    assert list(caught.value.errors) == ["tom-tat"]
    hanoi_report.refresh_from_db()
    assert hanoi_report.state == SubmissionState.DRAFT


def test_the_second_writer_is_told_and_shown_the_difference(
    other: Any, owner: Any, hanoi_report: Any
) -> None:
    stale = hanoi_report.version
    services.submission_save(
        user=other, submission=hanoi_report, answers={"so-hop-dong": 5}, expected_version=stale
    )
    again = Submission.objects.get(pk=hanoi_report.pk)
    with pytest.raises(ConflictError) as caught:
        services.submission_save(
            user=owner, submission=again, answers={"so-hop-dong": 7}, expected_version=stale
        )
    assert caught.value.current == {"so-hop-dong": "5 hợp đồng"}
    assert caught.value.yours == {"so-hop-dong": "7 hợp đồng"}
    assert Submission.objects.get(pk=hanoi_report.pk).answers == {"so-hop-dong": 5}


def test_after_the_lock_only_officers_reopen(
    other: Any, owner: Any, campaign: Any, hanoi_report: Any
) -> None:
    campaign.deadline = timezone.localdate() - dt.timedelta(days=40)
    campaign.opens_on = campaign.deadline - dt.timedelta(days=30)
    campaign.save()
    hanoi_report.refresh_from_db()
    with pytest.raises(DomainError, match=r"locked|khóa"):
        save(other, hanoi_report, GOOD)
    services.submission_reopen(user=owner, submission=hanoi_report)
    with pytest.raises(PermissionDenied):
        services.submission_reopen(user=other, submission=hanoi_report)
    hanoi_report.refresh_from_db()
    assert save(other, hanoi_report, GOOD, submit=True).state == SubmissionState.SUBMITTED


def test_return_with_comment_resubmit_and_approve(
    other: Any, owner: Any, hanoi_report: Any
) -> None:
    sub = save(other, hanoi_report, GOOD, submit=True)
    with pytest.raises(DomainError):  # a return must say why
        services.submission_review(
            user=owner, submission=sub, decision="return", expected_version=sub.version
        )
    with pytest.raises(PermissionDenied):
        services.submission_review(
            user=other, submission=sub, decision="approve", expected_version=sub.version
        )
    with pytest.raises(DomainError):  # sent: the unit waits for the review
        save(other, sub, {**GOOD, "so-hop-dong": 13})
    sub = services.submission_review(
        user=owner,
        submission=sub,
        decision="return",
        comment="Bổ sung số liệu",
        expected_version=sub.version,
    )
    assert sub.state == SubmissionState.RETURNED and sub.review_comment == "Bổ sung số liệu"
    first = sub.first_submitted_at
    sub = save(other, sub, {**GOOD, "so-hop-dong": 13}, submit=True)
    assert sub.first_submitted_at == first  # timeliness counts from the first sending
    sub = services.submission_review(
        user=owner, submission=sub, decision="approve", expected_version=sub.version
    )
    assert sub.state == SubmissionState.APPROVED
    states = [v.state for v in sub.versions.all()]
    assert states == ["approved", "submitted", "returned", "submitted"]
    assert sub.versions.get(state="returned").comment == "Bổ sung số liệu"


def test_units_removed_mid_campaign_no_longer_count(
    admin: Any, campaign: Any, ministry: Any
) -> None:
    from caunoi.accounts.models import Unit
    from caunoi.reporting.selectors import campaign_completeness

    assert campaign_completeness(campaign).total.expected == 2
    services.campaign_unit_remove(
        user=admin,
        campaign_unit=campaign.units.get(code=ministry.code),
        removed_on=dt.date(2030, 12, 1),
    )
    extra = Unit.objects.create(code="da-nang", name_vi="Đà Nẵng", kind="province")
    services.campaign_unit_add(
        user=admin, campaign=campaign, unit=extra, added_on=dt.date(2030, 12, 2)
    )
    figures = campaign_completeness(campaign)
    assert figures.total.expected == 2
    assert set(figures.unit_categories) == {"ha-noi", "da-nang"}
    assert figures.by_region["central_coast"].expected == 1


def test_the_consolidated_report_leaves_out_units_removed_before_the_deadline(
    admin: Any, other: Any, campaign: Any, ministry: Any
) -> None:
    """What a unit removed before the deadline sent counts in neither the completeness nor
    the report's indicators, so the report agrees with its own completeness table."""
    from caunoi.reporting.consolidated import consolidate

    hanoi = campaign.units.get(code="ha-noi").submissions.get(kind="report")
    save(other, hanoi, {**GOOD, "so-hop-dong": 4}, submit=True)
    bo = campaign.units.get(code=ministry.code).submissions.get(kind="report")
    save(admin, bo, {**GOOD, "so-hop-dong": 6}, submit=True)

    def hop_dong() -> Any:
        data = consolidate(campaign)
        summary = next(s for s in data.measured if s.code == "so-hop-dong")
        return data, summary

    data, summary = hop_dong()
    assert summary.aggregate() == 10 and len(summary.answers) == 2
    services.campaign_unit_remove(
        user=admin,
        campaign_unit=campaign.units.get(code=ministry.code),
        removed_on=dt.date(2030, 12, 1),
    )
    data, summary = hop_dong()
    assert data.completeness.total.expected == data.completeness.total.actual == 1
    assert summary.aggregate() == 4 and [a.unit.code for a in summary.answers] == ["ha-noi"]
    assert summary.by("kind") == {"province": 4}
    assert [u.code for u in data.units] == ["ha-noi"]
    narrative = next(s for s in data.narrative if s.indicator.code == "tom-tat")
    assert [a.unit.code for a in narrative.answers] == ["ha-noi"]
