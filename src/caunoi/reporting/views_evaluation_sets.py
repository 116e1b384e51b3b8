"""The criteria-set editor, under /reporting/evaluation/: create a set, edit one (based on the
version shown: an edit over someone else's is refused with 409), start a new set as a copy.

Who: HTQT officers (``evaluation_sets.can_manage_sets``); other network staff get 403,
anyone else 404. Every write goes through ``evaluation_sets`` (permission checked again, the
audit trail kept there).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from caunoi.accounts.models import User
from caunoi.core.errors import ConflictError, DomainError
from caunoi.core.parsing import parse_int
from caunoi.reporting import evaluation, evaluation_sets
from caunoi.reporting.forms_evaluation import (
    MORE_ROWS,
    CriterionFormSet,
    IndicatorFormSet,
    SetHeadForm,
    criteria_initial,
    head_initial,
    indicators_initial,
    structure_spec,
    weight_sums,
)
from caunoi.reporting.models_evaluation import CriteriaSet


def _manager(request: HttpRequest) -> User:
    if not evaluation.is_reader(request.user):
        raise Http404
    if not evaluation_sets.can_manage_sets(request.user):
        raise PermissionDenied
    assert isinstance(request.user, User)
    return request.user


def _apply(
    exc: DomainError, head: Any, criteria: Any, indicators: Any, problems: list[str]
) -> None:
    """Put a refusal's messages on the rows and fields they are about."""
    crit_rows = {f["code"].value(): f for f in criteria}
    ind_rows = {f"{f['criterion'].value()}/{f['code'].value()}": f for f in indicators}
    for key, msgs in exc.errors.items():
        kind, _sep, name = key.partition(":")
        for message in msgs:
            if key in head.fields:
                head.add_error(key, message)
            elif kind == "criterion" and name in crit_rows:
                crit_rows[name].add_error("weight", message)
            elif kind == "indicator" and name in ind_rows:
                ind_rows[name].add_error(None, message)
            else:
                problems.append(message)
    if not exc.errors or problems:
        problems.insert(0, exc.message)


def _editor(
    request: HttpRequest,
    *,
    criteria_set: CriteriaSet | None = None,
    copy_of: CriteriaSet | None = None,
) -> HttpResponse:
    user = _manager(request)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        data = request.POST.copy()
        if criteria_set is not None:
            data["code"] = criteria_set.code  # a set's code does not change
        if data.get("action") == "more":
            key = "i-TOTAL_FORMS"
            data[key] = str(min(parse_int(data.get(key, "0")) or 0, 200) + MORE_ROWS)
        head = SetHeadForm(data)
        criteria = CriterionFormSet(data, prefix="c")
        indicators = IndicatorFormSet(data, prefix="i")
        if data.get("action") != "more":
            status = 400
            valid = head.is_valid() & criteria.is_valid() & indicators.is_valid()
            if valid:
                spec = structure_spec(criteria, indicators)
                valid = not any(f.errors for f in (*criteria, *indicators))
            if valid:
                fields = {
                    f: head.cleaned_data[f]
                    for f in ("title_vi", "title_en", "description", "period_start", "period_end")
                }
                try:
                    if criteria_set is None:
                        saved = evaluation_sets.criteria_set_new(
                            user=user,
                            code=head.cleaned_data["code"],
                            criteria=spec,
                            copied_from=copy_of,
                            **fields,
                        )
                    elif head.cleaned_data.get("version") is None:
                        # the form always carries the version it showed: one without it
                        # would write over whatever was saved meanwhile
                        raise ConflictError(
                            _("The form did not say which version it changes: reload the page.")
                        )
                    else:
                        saved = evaluation_sets.criteria_set_update(
                            user=user,
                            criteria_set=criteria_set,
                            expected_version=head.cleaned_data.get("version"),
                            criteria=spec,
                            **fields,
                        )
                except ConflictError as exc:
                    status = 409
                    problems = [exc.message]
                except DomainError as exc:
                    _apply(exc, head, criteria, indicators, problems)
                else:
                    messages.success(request, _("The criteria set is saved."))
                    return redirect(saved.get_absolute_url())
    else:
        source = criteria_set or copy_of
        structure = evaluation_sets.structure_of(source) if source is not None else None
        if criteria_set is not None:
            initial = head_initial(criteria_set)
        elif copy_of is not None:
            initial = {
                **head_initial(copy_of),
                "code": f"{copy_of.code}-ban-sao"[:60],
                "title_vi": _("Copy of %(title)s") % {"title": copy_of.title_vi},
                "version": None,
            }
        else:
            initial = {}
        head = SetHeadForm(initial=initial)
        criteria = CriterionFormSet(initial=criteria_initial(structure), prefix="c")
        indicators = IndicatorFormSet(initial=indicators_initial(structure or []), prefix="i")
    if criteria_set is not None:
        head.fields["code"].disabled = True
    context = {
        "cs": criteria_set,
        "copy_of": copy_of,
        "head": head,
        "criteria": criteria,
        "indicators": indicators,
        "sums": weight_sums(criteria, indicators),
        "problems": problems,
        "has_errors": status in (400, 409),
        "conflict": status == 409,
    }
    return render(request, "reporting/evaluation/set_form.html", context, status=status)


@login_required
def set_new(request: HttpRequest) -> HttpResponse:
    return _editor(request)


@login_required
def set_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    return _editor(request, criteria_set=evaluation.set_for_user(request.user, pk))


@login_required
def set_copy(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    return _editor(request, copy_of=evaluation.set_for_user(request.user, pk))
