"""Who may see and change what in reporting. Deny by default; every view and API call asks here.

- Network staff read the campaigns and their completeness figures (who sent what, when).
- A submission's content is read by its unit's staff, by the staff of the unit that runs the
  campaign (the HTQT department) and by administrators; nobody else.
- A unit's officers fill and submit their unit's submissions while the campaign is open (until
  it locks, or after an officer reopened them); the campaign's officers (administrators and
  officers of the unit that runs it) review: return with a comment, approve, reopen. They may
  also enter a submission for a unit (a report that came by e-mail).
- Outside users and the public see nothing of reporting.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from caunoi.accounts.models import User
from caunoi.reporting.models import Campaign, Submission, SubmissionState


def _staff(user: Any) -> User | None:
    return user if isinstance(user, User) and user.is_network_staff else None


def campaigns_readable(user: Any) -> QuerySet[Campaign]:
    if _staff(user) is None:
        return Campaign.objects.none()
    return Campaign.objects.all()


def campaign_for_user(user: Any, pk: Any) -> Campaign:
    try:
        return campaigns_readable(user).select_related("template_version__template").get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_run_campaigns(user: Any) -> bool:
    """Administrators and the officers of a unit: they write templates and open campaigns
    (run by their own unit; administrators for any unit)."""
    staff = _staff(user)
    return staff is not None and (staff.is_admin or (staff.is_officer and staff.unit is not None))


def can_review(user: Any, campaign: Campaign) -> bool:
    """Administrators and the officers of the unit that runs the campaign."""
    staff = _staff(user)
    if staff is None:
        return False
    if staff.is_admin:
        return True
    return bool(staff.is_officer and staff.unit_id == campaign.owner_unit_id)


def submissions_readable(
    user: Any, queryset: QuerySet[Submission] | None = None
) -> QuerySet[Submission]:
    qs = Submission.objects.all() if queryset is None else queryset
    staff = _staff(user)
    if staff is None:
        return qs.none()
    if staff.is_admin:
        return qs
    if not staff.unit_id:
        return qs.none()
    return qs.filter(
        Q(campaign_unit__unit_id=staff.unit_id)
        | Q(campaign_unit__campaign__owner_unit_id=staff.unit_id)
    )


def submission_for_user(user: Any, pk: Any, *, write: bool = False) -> Submission:
    """One submission: 404 if the user may not read it, 403 if ``write`` and they may not
    change it."""
    try:
        submission = (
            submissions_readable(user)
            .select_related("campaign_unit__campaign__template_version", "campaign_unit__unit")
            .get(pk=pk)
        )
    except (Submission.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write and not can_fill(user, submission):
        raise PermissionDenied
    return submission


def is_unit_officer(user: Any, submission: Submission) -> bool:
    staff = _staff(user)
    return bool(
        staff is not None
        and staff.is_officer
        and staff.unit_id
        and staff.unit_id == submission.campaign_unit.unit_id
    )


def can_fill(user: Any, submission: Submission) -> bool:
    """May change this submission's answers now (the campaign's officers: always)."""
    campaign = submission.campaign_unit.campaign
    if can_review(user, campaign):
        return True
    if not is_unit_officer(user, submission):
        return False
    if submission.state not in (SubmissionState.DRAFT, SubmissionState.RETURNED):
        return False
    return submission.reopened or not campaign.is_locked()
