"""Draft autosave of the submission form (htmx): the form posts here a few seconds after
input and when a field loses focus.

The autosave goes through ``services.submission_save`` with the version the form was opened
with, like the "Save draft" button, so a stale autosave never overwrites another writer's
save: it is refused (409) and the fragment shows the saved and the entered value of every
answer that differs, as the form does on submit. Answers that cannot be read are named (400)
and nothing is saved. Uploads are not sent by the autosave (the attached files are kept);
a form that changed nothing since the last save writes no new version.

The fragment replaces ``#autosave-status``; on success it also refreshes the form's hidden
version fields out of band, so the next autosave or the buttons carry the new version.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.core.errors import ConflictError, DomainError
from caunoi.core.parsing import parse_int
from caunoi.reporting import access, services
from caunoi.reporting.answers import clean_answers
from caunoi.reporting.models import SubmissionState
from caunoi.reporting.views import _form_answers, _staff

AUTOSAVE_STATES = (SubmissionState.DRAFT, SubmissionState.RETURNED)


def _respond(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "reporting/_autosave.html", context, status=status)


@require_POST
@login_required
def submission_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    submission = access.submission_for_user(user, pk, write=True)
    if submission.state not in AUTOSAVE_STATES:
        return _respond(
            request,
            {"state": "refused", "message": _("This submission has been sent: not saved.")},
            status=409,
        )
    indicators = services.indicators_of(submission)
    version = request.POST.get("version", "")
    expected = parse_int(version)
    if expected is None:  # the form always sends it: a request without it is not the form's
        return _respond(
            request,
            {"state": "refused", "message": _("Not saved: reload the page to save again.")},
            status=428,
        )
    labels = {i.code: i.label for i in indicators}
    try:
        answers = _form_answers(request, indicators, submission, files=False)
        clean, problems = clean_answers(indicators, answers, final=False)
        if not problems and clean == submission.answers:
            # Nothing changed: no new version. Bringing a stale form's version up to date is
            # safe here, since what it holds is exactly what is saved.
            return _respond(request, {"state": "unchanged", "submission": submission})
        services.submission_save(
            user=user, submission=submission, answers=answers, expected_version=expected
        )
    except ConflictError as exc:
        rows = [
            {
                "code": code,
                "label": labels.get(code, code),
                "theirs": exc.current[code],
                "yours": exc.yours.get(code, "—"),
            }
            for code in exc.current
        ]
        return _respond(
            request, {"state": "conflict", "message": exc.message, "rows": rows}, status=409
        )
    except DomainError as exc:
        errors = [
            (labels.get(code.split(".")[0], code), message)
            for code, messages in exc.errors.items()
            for message in messages
        ]
        return _respond(
            request, {"state": "invalid", "message": exc.message, "errors": errors}, status=400
        )
    return _respond(
        request,
        {"state": "saved", "submission": submission, "at": timezone.localtime()},
    )
