"""Every write of reporting: templates, campaigns and their units, submissions and reviews.

Each service checks permission itself, runs in one transaction and keeps a version of the
submission it changes. A write based on an older version of a submission is refused with
``ConflictError`` naming every answer that differs (the same optimistic check as the
registry's: a guarded UPDATE of ``version``).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.accounts.models import Unit, User
from caunoi.accounts.services import audit_record
from caunoi.core.errors import ConflictError, DomainError
from caunoi.core.versioning import claim_version
from caunoi.reporting import access
from caunoi.reporting.answers import clean_answers, display
from caunoi.reporting.models import (
    Campaign,
    CampaignUnit,
    Indicator,
    Region,
    Section,
    Submission,
    SubmissionKind,
    SubmissionState,
    SubmissionVersion,
    Template,
    TemplateVersion,
)
from caunoi.reporting.regions import region_of


@transaction.atomic
def template_version_create(
    *, code: str, title_vi: str, title_en: str = "", sections: Sequence[Mapping[str, Any]]
) -> TemplateVersion:
    """A new version of the template ``code`` (created when new) with these sections, each
    ``{"code", "title_vi", "title_en"?, "indicators": [{"code", "label_vi", "kind", ...}]}``."""
    template, _created = Template.objects.get_or_create(
        code=code, defaults={"title_vi": title_vi, "title_en": title_en}
    )
    # Publishers of the same template wait here in turn, so each reads the last number.
    template = Template.objects.select_for_update().get(pk=template.pk)
    last = template.versions.aggregate(n=models.Max("number"))["n"] or 0
    version = TemplateVersion.objects.create(template=template, number=last + 1)
    for s_order, spec in enumerate(sections):
        section = Section.objects.create(
            version=version,
            order=s_order,
            code=spec["code"],
            title_vi=spec["title_vi"],
            title_en=spec.get("title_en", ""),
            for_kind=spec.get("for_kind", ""),
        )
        for i_order, item in enumerate(spec.get("indicators", ())):
            indicator = Indicator(section=section, version=version, order=i_order, **item)
            indicator.full_clean(exclude=["section", "version"])
            indicator.save()
    return version


def _can_run_campaigns(user: User) -> bool:
    return access.can_run_campaigns(user)


@transaction.atomic
def template_publish(
    *,
    user: User,
    code: str,
    title_vi: str,
    title_en: str = "",
    sections: Sequence[Mapping[str, Any]],
) -> TemplateVersion:
    """Publish a version of the template ``code`` (its first when new), for an officer; the
    template's title follows the new version's. Campaigns keep the version they opened with."""
    from django.core.exceptions import ValidationError

    if not _can_run_campaigns(user):
        raise PermissionDenied
    existing = Template.objects.filter(code=code).first()
    try:
        version = template_version_create(
            code=code, title_vi=title_vi, title_en=title_en, sections=sections
        )
    except ValidationError as exc:
        errors = getattr(exc, "message_dict", {"__all__": exc.messages})
        raise DomainError(_("The template is not valid."), errors=errors) from exc
    except IntegrityError as exc:  # a new template's code taken at the same moment
        raise ConflictError(_("Another version was published meanwhile.")) from exc
    template = version.template
    if existing is not None and (existing.title_vi, existing.title_en) != (title_vi, title_en):
        template.title_vi, template.title_en = title_vi, title_en
        template.save(update_fields=["title_vi", "title_en"])
        audit_record(
            actor=user,
            action="update",
            instance=template,
            changes={"title_vi": [existing.title_vi, title_vi]},
        )
    elif existing is None:
        audit_record(actor=user, action="create", instance=template)
    audit_record(
        actor=user,
        action="create",
        instance=version,
        changes={"indicators": [None, version.indicators.count()]},
    )
    return version


CAMPAIGN_EDITABLE = (
    "title_vi",
    "title_en",
    "period_start",
    "period_end",
    "opens_on",
    "deadline",
    "timely_days",
    "lock_after_days",
)


def lock_problems(timely_days: int | None, lock_after_days: int | None) -> dict[str, list[str]]:
    """The lock must come after the timely window. A campaign locks the day after
    ``deadline + lock_after_days`` and the escalation reminder is due the day after
    ``deadline + timely_days``; the reminders skip locked campaigns. So a lock on or before
    the window's last day shuts units out while they are still on time (when earlier) and
    always means the escalation is never sent: ``lock_after_days`` must exceed
    ``timely_days`` (or be empty, never locked)."""
    if lock_after_days is None or timely_days is None or lock_after_days > timely_days:
        return {}
    return {
        "lock_after_days": [
            _(
                "The lock must come after the timely window: with a timely window of "
                "%(timely)d days, lock at least %(least)d days after the deadline, or leave "
                "it empty (never locked)."
            )
            % {"timely": timely_days, "least": timely_days + 1}
        ]
    }


@transaction.atomic
def campaign_update(
    *,
    user: User,
    campaign: Campaign,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> Campaign:
    """Change a campaign's title, period, dates and windows (not its template version), for
    its officers; completeness follows the new deadline and window. Refused (``ConflictError``
    with the saved values) when the campaign is no longer at ``expected_version``."""
    _require_review(user, campaign)
    claim_version(campaign, expected_version, {f: data[f] for f in CAMPAIGN_EDITABLE if f in data})
    before = {f: getattr(campaign, f) for f in CAMPAIGN_EDITABLE}
    for field in CAMPAIGN_EDITABLE:
        if field in data:
            setattr(campaign, field, data[field])
    problems = {}
    if campaign.period_start > campaign.period_end:
        problems["period_end"] = [_("The period ends before it starts.")]
    if campaign.opens_on > campaign.deadline:
        problems["deadline"] = [_("The deadline is before the opening date.")]
    problems.update(lock_problems(campaign.timely_days, campaign.lock_after_days))
    if problems:
        raise DomainError(_("The campaign is not valid."), errors=problems)
    changes = {
        f: [str(before[f]), str(getattr(campaign, f))]
        for f in CAMPAIGN_EDITABLE
        if before[f] != getattr(campaign, f)
    }
    if changes:
        campaign.save(update_fields=list(changes))
        audit_record(actor=user, action="update", instance=campaign, changes=changes)
    return campaign


@transaction.atomic
def campaign_create(
    *,
    user: User,
    template_version: TemplateVersion,
    title_vi: str,
    period_start: dt.date,
    period_end: dt.date,
    opens_on: dt.date,
    deadline: dt.date,
    timely_days: int = 0,
    lock_after_days: int | None = None,
    title_en: str = "",
    owner_unit: Unit | None = None,
    units: Iterable[Unit] = (),
    plan: bool = True,
    report: bool = True,
) -> Campaign:
    """Open a campaign run by ``owner_unit`` (the user's unit by default) over ``units``,
    asking each for a plan and a report (or only one of them)."""
    if not _can_run_campaigns(user):
        raise PermissionDenied
    owner = owner_unit or user.unit
    if owner is None or (not user.is_admin and owner.pk != user.unit_id):
        raise PermissionDenied
    campaign = Campaign(
        title_vi=title_vi,
        title_en=title_en,
        template_version=template_version,
        owner_unit=owner,
        period_start=period_start,
        period_end=period_end,
        opens_on=opens_on,
        deadline=deadline,
        timely_days=timely_days,
        lock_after_days=lock_after_days,
        created_by=user,
    )
    problems = {}
    if period_start > period_end:
        problems["period_end"] = [_("The period ends before it starts.")]
    if opens_on > deadline:
        problems["deadline"] = [_("The deadline is before the opening date.")]
    if not (plan or report):
        problems["report"] = [_("Ask the unit for a plan, a report or both.")]
    problems.update(lock_problems(timely_days, lock_after_days))
    if problems:
        raise DomainError(_("The campaign is not valid."), errors=problems)
    campaign.save()
    for unit in units:
        _add_unit(campaign, unit, added_on=opens_on, plan=plan, report=report)
    audit_record(actor=user, action="create", instance=campaign)
    return campaign


def _add_unit(
    campaign: Campaign,
    unit: Unit,
    *,
    added_on: dt.date,
    code: str = "",
    name_vi: str = "",
    kind: str = "",
    region: str = "",
    plan: bool = True,
    report: bool = True,
) -> CampaignUnit:
    row = CampaignUnit.objects.create(
        campaign=campaign,
        unit=unit,
        code=code or unit.code,
        name_vi=name_vi or unit.name_vi,
        kind=kind or unit.kind,
        region=region or region_of(unit),
        plan_requested=plan,
        report_requested=report,
        added_on=added_on,
    )
    kinds = [
        k for k, asked in ((SubmissionKind.PLAN, plan), (SubmissionKind.REPORT, report)) if asked
    ]
    Submission.objects.bulk_create(Submission(campaign_unit=row, kind=k) for k in kinds)
    return row


def _require_review(user: User, campaign: Campaign) -> None:
    if not access.can_review(user, campaign):
        raise PermissionDenied


@transaction.atomic
def campaign_unit_add(
    *,
    user: User,
    campaign: Campaign,
    unit: Unit,
    added_on: dt.date | None = None,
    code: str = "",
    name_vi: str = "",
    kind: str = "",
    region: str = "",
    plan: bool = True,
    report: bool = True,
) -> CampaignUnit:
    """Add a reporting unit (mid-campaign too: it is expected when added by the deadline)."""
    _require_review(user, campaign)
    if not (plan or report):
        raise DomainError(_("Ask the unit for a plan, a report or both."))
    if region and region not in Region.values:
        raise DomainError(_("Unknown region."), errors={"region": [_("Unknown region.")]})
    if CampaignUnit.objects.filter(campaign=campaign, code=code or unit.code).exists():
        raise DomainError(
            _("This unit already reports in the campaign."),
            errors={"unit": [_("This unit already reports in the campaign.")]},
        )
    row = _add_unit(
        campaign,
        unit,
        added_on=added_on or timezone.localdate(),
        code=code,
        name_vi=name_vi,
        kind=kind,
        region=region,
        plan=plan,
        report=report,
    )
    audit_record(
        actor=user, action="update", instance=campaign, changes={"units": [None, row.code]}
    )
    return row


@transaction.atomic
def campaign_unit_remove(
    *, user: User, campaign_unit: CampaignUnit, removed_on: dt.date | None = None
) -> CampaignUnit:
    """Take a unit out of the campaign from ``removed_on``; its submissions are kept."""
    campaign = campaign_unit.campaign
    _require_review(user, campaign)
    day = removed_on or timezone.localdate()
    if day < campaign_unit.added_on:
        raise DomainError(_("A unit cannot leave a campaign before it joined it."))
    campaign_unit.removed_on = day
    campaign_unit.save(update_fields=["removed_on"])
    audit_record(
        actor=user,
        action="update",
        instance=campaign,
        changes={"units": [campaign_unit.code, None]},
    )
    return campaign_unit


def indicators_of(submission: Submission) -> list[Indicator]:
    version_id = submission.campaign_unit.campaign.template_version_id
    return list(
        Indicator.objects.filter(
            version_id=version_id, section__for_kind__in=("", submission.kind)
        ).select_related("section")
    )


def _conflict(submission: Submission, answers: Mapping[str, Any]) -> ConflictError:
    saved = Submission.objects.filter(pk=submission.pk).first()
    if saved is None:
        return ConflictError(_("The submission no longer exists."))
    by_code = {i.code: i for i in indicators_of(submission)}
    theirs: dict[str, object] = {}
    yours: dict[str, object] = {}
    for code in sorted(set(saved.answers) | set(answers)):
        if saved.answers.get(code) != answers.get(code):
            indicator = by_code.get(code)
            theirs[code] = display(indicator, saved.answers.get(code))
            yours[code] = display(indicator, answers.get(code))
    if saved.state != submission.state:
        theirs["state"], yours["state"] = saved.get_state_display(), submission.get_state_display()
    return ConflictError(
        _(
            "The submission has been changed by someone else since you opened it; nothing was "
            "saved. Compare the saved answers with yours and apply your changes again."
        ),
        current=theirs,
        yours=yours,
        version=saved.version,
        errors={code: [_("Saved meanwhile: %s") % value] for code, value in theirs.items()},
    )


def _claim_version(
    submission: Submission, expected: int | None, answers: Mapping[str, Any]
) -> None:
    """Raise the version by one in the database, refusing when it is no longer ``expected``
    (None: no check), with the answers that differ (``core.versioning.claim_version``)."""
    claim_version(submission, expected, conflict=lambda: _conflict(submission, answers))


def _keep_version(submission: Submission, user: User | None, comment: str = "") -> None:
    SubmissionVersion.objects.create(
        submission=submission,
        number=submission.version,
        state=submission.state,
        answers=submission.answers,
        comment=comment,
        created_by=user,
    )


class Keep(enum.Enum):
    """``submission_save(received_on=KEEP)``: leave the stored received date as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


def received_moment(day: dt.date) -> dt.datetime:
    """The moment a report received on ``day`` counts as sent: the start of that local day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _received_problems(submission: Submission, day: dt.date | None) -> list[str]:
    """Why ``day`` cannot be the submission's received date (empty: it can)."""
    campaign = submission.campaign_unit.campaign
    first = submission.first_submitted_at
    from_received = (
        first is not None
        and submission.received_on is not None
        and first == received_moment(submission.received_on)
    )
    if day is None:
        if from_received:
            return [
                _(
                    "This submission was sent as received on that day; correct the date "
                    "instead of removing it."
                )
            ]
        return []
    if day > timezone.localdate():
        return [_("The received date cannot be in the future.")]
    if day < campaign.opens_on:
        return [
            _("The received date cannot be before the campaign opened (%(day)s).")
            % {"day": f"{campaign.opens_on:%d/%m/%Y}"}
        ]
    if first is not None and not from_received:
        sent_on = timezone.localtime(first).date()
        if day > sent_on:
            return [
                _(
                    "It was first submitted on %(day)s; a received date can only bring that "
                    "day earlier."
                )
                % {"day": f"{sent_on:%d/%m/%Y}"}
            ]
    return []


@transaction.atomic
def submission_save(
    *,
    user: User,
    submission: Submission,
    answers: Mapping[str, Any],
    expected_version: int | None,
    submit: bool = False,
    now: dt.datetime | None = None,
    received_on: dt.date | Keep | None = KEEP,
) -> Submission:
    """Save the answers as a draft, or (``submit``) check the required ones and send it.

    ``received_on`` (the campaign's officers only; ``KEEP`` leaves it, ``None`` clears it):
    the day a report that came outside the platform reached them. It lies between the
    campaign's opening and today; once set, the submission counts as first sent on that day
    (``first_submitted_at``, so timeliness follows it), whether sent now or already sent (a
    date entered later can only bring an earlier platform send forward; one the submission
    was sent with may be corrected either way, not removed). Audited with before and after.
    """
    if not access.can_fill(user, submission):
        if (
            access.is_unit_officer(user, submission)
            and submission.campaign_unit.campaign.is_locked()
        ):
            raise DomainError(
                _("The campaign is locked; ask the campaign's officers to reopen it.")
            )
        if access.is_unit_officer(user, submission):
            raise DomainError(
                _("This submission has been sent; it can change once it is returned.")
            )
        raise PermissionDenied
    if submission.campaign_unit.removed_on is not None:
        raise DomainError(_("This unit no longer reports in the campaign."))
    received_change = not isinstance(received_on, Keep) and received_on != submission.received_on
    if received_change and not access.can_review(user, submission.campaign_unit.campaign):
        raise PermissionDenied
    clean, problems = clean_answers(indicators_of(submission), answers, final=submit)
    if received_change:
        assert not isinstance(received_on, Keep)
        received_problems = _received_problems(submission, received_on)
        if received_problems:
            problems = {**problems, "received_on": received_problems}
    if problems:
        message = (
            _("The report cannot be submitted: correct the answers marked below.")
            if submit
            else _("Nothing was saved: correct the answers marked below.")
        )
        raise DomainError(message, errors=problems)
    if submission.state == SubmissionState.APPROVED:
        raise DomainError(_("An approved submission changes only after it is returned."))
    _claim_version(submission, expected_version, clean)
    moment = now or timezone.now()
    before = {"received_on": submission.received_on, "first": submission.first_submitted_at}
    submission.answers = clean
    submission.updated_at = moment
    submission.updated_by = user
    if received_change:
        assert not isinstance(received_on, Keep)
        submission.received_on = received_on
    received = (
        received_moment(submission.received_on) if submission.received_on is not None else None
    )
    if submit:
        submission.state = SubmissionState.SUBMITTED
        submission.submitted_at = moment
        submission.submitted_by = user
        submission.first_submitted_at = submission.first_submitted_at or received or moment
    if received_change and received is not None and before["first"] is not None:
        submission.first_submitted_at = received  # already sent: the received day is first
    submission.save()
    _keep_version(submission, user)
    if received_change:
        changes: dict[str, list[str | None]] = {
            "received_on": [
                None if before["received_on"] is None else str(before["received_on"]),
                None if submission.received_on is None else str(submission.received_on),
            ]
        }
        if before["first"] != submission.first_submitted_at:
            changes["first_submitted_at"] = [
                None if before["first"] is None else before["first"].isoformat(),
                None
                if submission.first_submitted_at is None
                else submission.first_submitted_at.isoformat(),
            ]
        audit_record(actor=user, action="update", instance=submission, changes=changes)
    if submit:
        audit_record(
            actor=user,
            action="transition",
            instance=submission,
            changes={"state": ["", "submitted"]},
        )
    return submission


class Decision:
    RETURN = "return"
    APPROVE = "approve"


@transaction.atomic
def submission_review(
    *,
    user: User,
    submission: Submission,
    decision: str,
    comment: str = "",
    expected_version: int | None,
) -> Submission:
    """Return a sent submission to its unit with a comment, or approve it. Returning also
    reopens it after the campaign locked."""
    _require_review(user, submission.campaign_unit.campaign)
    comment = comment.strip()
    before = submission.state
    if decision == Decision.RETURN:
        if before not in (SubmissionState.SUBMITTED, SubmissionState.APPROVED):
            raise DomainError(_("Only a submitted or approved submission can be returned."))
        if not comment:
            raise DomainError(
                _("Say what the unit should change."),
                errors={"comment": [_("Say what the unit should change.")]},
            )
        submission.state = SubmissionState.RETURNED
        submission.reopened = True
    elif decision == Decision.APPROVE:
        if before != SubmissionState.SUBMITTED:
            raise DomainError(_("Only a submitted submission can be approved."))
        submission.state = SubmissionState.APPROVED
    else:
        raise DomainError(_("Unknown decision."), errors={"decision": [_("Unknown decision.")]})
    _claim_version(submission, expected_version, submission.answers)
    submission.review_comment = comment
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = user
    submission.save()
    _keep_version(submission, user, comment)
    audit_record(
        actor=user,
        action="transition",
        instance=submission,
        changes={"state": [before, submission.state]},
    )
    return submission


def can_reopen(submission: Submission, today: dt.date | None = None) -> bool:
    """Whether reopening would change anything: the campaign is locked, and the submission
    is one its unit could change were it open (a draft, or a returned one not yet reopened).
    A submitted or approved submission is reopened by returning it."""
    return (
        submission.campaign_unit.campaign.is_locked(today)
        and not submission.reopened
        and submission.state in (SubmissionState.DRAFT, SubmissionState.RETURNED)
    )


@transaction.atomic
def submission_reopen(
    *,
    user: User,
    submission: Submission,
    expected_version: int | None = None,
    comment: str = "",
) -> Submission:
    """Let the unit change its draft (or returned submission) again after the campaign locked.
    Refused where it would change nothing: the campaign is not locked, the submission is
    already reopened, or it is submitted or approved (returning it is what reopens it then).
    Kept as a version (the history shows who reopened it and when) and audited."""
    campaign = submission.campaign_unit.campaign
    _require_review(user, campaign)
    if submission.state not in (SubmissionState.DRAFT, SubmissionState.RETURNED):
        raise DomainError(
            _(
                "A submitted or approved submission is not reopened: return it with a "
                "comment, which lets the unit change it again."
            )
        )
    if not campaign.is_locked():
        raise DomainError(_("The campaign is not locked: the unit can still change this."))
    if submission.reopened:
        raise DomainError(_("This submission is already reopened for the unit."))
    _claim_version(submission, expected_version, submission.answers)
    submission.reopened = True
    submission.save(update_fields=["reopened"])
    _keep_version(submission, user, comment.strip() or _("Reopened for the unit after the lock."))
    audit_record(
        actor=user,
        action="update",
        instance=submission,
        changes={"reopened": [False, True]},
    )
    return submission


# --- Attachments -----------------------------------------------------------------------------

_ATTACHMENT_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
}


def attachment_store(
    *, user: User, submission: Submission, code: str, upload: Any
) -> dict[str, str]:
    """Check an uploaded file (type by extension and content, size) and store it; returns the
    answer that points to it (saved with the next ``submission_save``)."""
    import uuid
    from pathlib import Path

    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    if not access.can_fill(user, submission):
        raise PermissionDenied
    name = Path(upload.name or "tep").name
    ext = Path(name).suffix.lower()
    problem = ""
    content = b""
    if ext not in _ATTACHMENT_TYPES:
        problem = _("Unsupported file type. Accepted: PDF, DOCX, DOC, XLSX.")
    elif (upload.size or 0) > settings.CAUNOI_UPLOAD_MAX_BYTES:
        problem = _("The file is too large (limit %(mb)d MB).") % {
            "mb": settings.CAUNOI_UPLOAD_MAX_BYTES // (1024 * 1024)
        }
    else:
        content = upload.read()
        if not content:
            problem = _("The file is empty.")
        elif not any(content.startswith(m) for m in _ATTACHMENT_TYPES[ext]):
            problem = _("The file's content does not match its type.")
    if problem:
        raise DomainError(problem, errors={code: [problem]})
    path = default_storage.save(
        f"reporting/{submission.pk}/{uuid.uuid4().hex}{ext}", ContentFile(content)
    )
    return {"name": name[:200], "path": path}
