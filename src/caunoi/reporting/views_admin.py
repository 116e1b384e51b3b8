"""The officers' working pages of reporting, under /reporting/admin/: templates (create one,
publish a new version of it), campaigns (open one, change its dates and windows, add and
remove reporting units mid-campaign).

Who: templates and new campaigns, administrators and the officers of a unit
(``access.can_run_campaigns``); a campaign's settings and units, its officers
(``access.can_review``: administrators and the officers of the unit running it). Other staff
get 403, anyone else 404. Every write goes through ``services`` (permission checked again,
the audit trail kept there).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.accounts.models import User
from caunoi.core.errors import ConflictError, DomainError
from caunoi.core.parsing import parse_int
from caunoi.reporting import access, selectors, services
from caunoi.reporting.forms_admin import (
    CAMPAIGN_FIELDS,
    MORE_ROWS,
    CampaignForm,
    CampaignUnitsForm,
    IndicatorFormSet,
    SectionFormSet,
    TemplateHeadForm,
    UnitAddForm,
    UnitRemoveForm,
    sections_spec,
    version_initial,
)
from caunoi.reporting.models import Campaign, CampaignUnit, Template, TemplateVersion
from caunoi.reporting.views import _staff


def _officer(request: HttpRequest) -> User:
    user = _staff(request)
    if not access.can_run_campaigns(user):
        raise PermissionDenied
    return user


def _template(pk: int) -> Template:
    try:
        return Template.objects.get(pk=pk)
    except Template.DoesNotExist as exc:
        raise Http404 from exc


def _campaign(user: User, pk: int) -> Campaign:
    campaign = access.campaign_for_user(user, pk)
    if not access.can_review(user, campaign):
        raise PermissionDenied
    return campaign


def _apply_errors(form: Any, errors: dict[str, list[str]]) -> None:
    for field, msgs in errors.items():
        for message in msgs:
            form.add_error(field if field in form.fields else None, message)


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    _officer(request)
    templates = Template.objects.order_by("code").prefetch_related(
        Prefetch(
            "versions",
            queryset=TemplateVersion.objects.annotate(
                n_campaigns=Count("campaigns", distinct=True),
                n_indicators=Count("indicators", distinct=True),
            ).order_by("-number"),
        )
    )
    page = Paginator(templates, 50).get_page(request.GET.get("page"))
    return render(request, "reporting/admin/templates.html", {"page": page})


def _editor(
    request: HttpRequest,
    *,
    template: Template | None,
    initial: tuple[list[dict[str, Any]], list[dict[str, Any]]] = ([], []),
) -> HttpResponse:
    """The template editor: create a template (``template`` None) or publish a new version
    of it, prefilled from its latest version."""
    user = _officer(request)
    head_initial = (
        {"code": template.code, "title_vi": template.title_vi, "title_en": template.title_en}
        if template
        else {}
    )
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        data = request.POST.copy()
        if template is not None:
            data["code"] = template.code  # the code of an existing template does not change
        if data.get("action") == "more":
            for prefix in ("s", "i"):
                key = f"{prefix}-TOTAL_FORMS"
                data[key] = str(int(data.get(key, "0") or 0) + MORE_ROWS)
            head = TemplateHeadForm(data)
            sections, indicators = (
                SectionFormSet(data, prefix="s"),
                IndicatorFormSet(data, prefix="i"),
            )
            context: dict[str, Any] = {
                "template": template,
                "head": head,
                "sections": sections,
                "indicators": indicators,
                "problems": [],
                "has_errors": False,
            }
            return render(request, "reporting/admin/template_form.html", context)
        head = TemplateHeadForm(data)
        sections = SectionFormSet(data, prefix="s")
        indicators = IndicatorFormSet(data, prefix="i")
        valid = head.is_valid() & sections.is_valid() & indicators.is_valid()
        if valid:
            spec, problems = sections_spec(sections, indicators)
            valid = not problems and not any(f.errors for f in (*sections, *indicators))
            if template is None and Template.objects.filter(code=head.cleaned_data["code"]):
                head.add_error("code", _("A template with this code exists: publish a version."))
                valid = False
            if valid:
                try:
                    version = services.template_publish(
                        user=user,
                        code=head.cleaned_data["code"],
                        title_vi=head.cleaned_data["title_vi"],
                        title_en=head.cleaned_data["title_en"],
                        sections=spec,
                    )
                except DomainError as exc:
                    problems = [exc.message] + [
                        f"{k}: {m}" for k, msgs in exc.errors.items() for m in msgs
                    ]
                else:
                    messages.success(
                        request,
                        _("Version %(number)s of the template is published.")
                        % {"number": version.number},
                    )
                    return redirect("reporting:admin-template", pk=version.template_id)
        status = 400
    else:
        head = TemplateHeadForm(initial=head_initial)
        sections = SectionFormSet(initial=initial[0], prefix="s")
        indicators = IndicatorFormSet(initial=initial[1], prefix="i")
    if template is not None:
        head.fields["code"].disabled = True
    context = {
        "template": template,
        "head": head,
        "sections": sections,
        "indicators": indicators,
        "problems": problems,
        "has_errors": status == 400,
    }
    return render(request, "reporting/admin/template_form.html", context, status=status)


@login_required
def template_new(request: HttpRequest) -> HttpResponse:
    return _editor(request, template=None)


@login_required
def template_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _officer(request)
    template = _template(pk)
    latest = template.versions.order_by("-number").first()
    initial = version_initial(latest) if latest else ([], [])
    return _editor(request, template=template, initial=initial)


@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _officer(request)
    template = _template(pk)
    versions = (
        template.versions.order_by("-number")
        .prefetch_related("sections__indicators")
        .prefetch_related(Prefetch("campaigns", queryset=Campaign.objects.order_by("-deadline")))
    )
    return render(
        request,
        "reporting/admin/template_detail.html",
        {"template": template, "versions": versions},
    )


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    user = _officer(request)
    status = 200
    if request.method == "POST":
        form = CampaignForm(request.POST)
        units = CampaignUnitsForm(request.POST)
        if form.is_valid() & units.is_valid():
            data = form.cleaned_data
            try:
                campaign = services.campaign_create(
                    user=user,
                    template_version=data["template_version"],
                    units=list(units.cleaned_data["units"]),
                    plan=units.cleaned_data["plan"],
                    report=units.cleaned_data["report"],
                    **{f: data[f] for f in CAMPAIGN_FIELDS},
                )
            except DomainError as exc:
                _apply_errors(form, exc.errors)
                if not exc.errors:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("The campaign is open."))
                return redirect("reporting:admin-campaign", pk=campaign.pk)
        status = 400
    else:
        latest = request.GET.get("version")
        today = timezone.localdate()
        form = CampaignForm(
            initial={
                "template_version": latest,
                "period_start": today.replace(month=1, day=1),
                "period_end": today.replace(month=12, day=31),
                "opens_on": today,
                "timely_days": 5,
            }
        )
        units = CampaignUnitsForm(initial={"plan": True, "report": True})
    return render(
        request,
        "reporting/admin/campaign_new.html",
        {"form": form, "units_form": units},
        status=status,
    )


def _campaign_context(
    campaign: Campaign, form: Any, add_form: Any, remove_errors: dict[int, list[str]]
) -> dict[str, Any]:
    rows = list(campaign.units.select_related("unit").order_by("kind", "name_vi"))
    today = timezone.localdate()
    return {
        "campaign": campaign,
        "form": form,
        "add_form": add_form,
        "rows": rows,
        "today": today,
        "remove_errors": remove_errors,
        "total": selectors.campaign_completeness(campaign).total,
    }


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    campaign = _campaign(user, pk)
    status = 200
    conflict = None
    if request.method == "POST":
        form = CampaignForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.campaign_update(
                    user=user,
                    campaign=campaign,
                    data=form.cleaned_data,
                    expected_version=form.cleaned_data["version"],
                )
            except ConflictError as exc:
                conflict = _conflict_context(form, exc)
                campaign.refresh_from_db()
            except DomainError as exc:
                _apply_errors(form, exc.errors)
                campaign.refresh_from_db()
            else:
                messages.success(request, _("The campaign is saved."))
                return redirect("reporting:admin-campaign", pk=campaign.pk)
        status = 409 if conflict else 400
    else:
        initial = {**CampaignForm.initial_of(campaign), "version": campaign.version}
        form = CampaignForm(initial=initial, editing=True)
    add_form = UnitAddForm(
        campaign=campaign, initial={"added_on": timezone.localdate(), "plan": True, "report": True}
    )
    return render(
        request,
        "reporting/admin/campaign_edit.html",
        {**_campaign_context(campaign, form, add_form, {}), "conflict": conflict},
        status=status,
    )


def _conflict_context(form: Any, exc: ConflictError) -> dict[str, Any]:
    """A refused stale save, as the registry's forms show it: each setting saved meanwhile
    next to the one typed; the form keeps what was typed and now carries the saved version."""
    if exc.version is not None:
        form.data = form.data.copy()
        form.data["version"] = str(exc.version)
    rows = [
        {
            "name": name,
            "label": form.fields[name].label if name in form.fields else name,
            "theirs": "" if theirs is None else str(theirs),
            "yours": "" if exc.yours.get(name) is None else str(exc.yours.get(name)),
        }
        for name, theirs in exc.current.items()
    ]
    return {"message": exc.message, "rows": rows}


@require_POST
@login_required
def campaign_units(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a reporting unit to the campaign, or take one out (from a day), mid-campaign too."""
    user = _staff(request)
    campaign = _campaign(user, pk)
    add_form = UnitAddForm(
        campaign=campaign, initial={"added_on": timezone.localdate(), "plan": True, "report": True}
    )
    remove_errors: dict[int, list[str]] = {}
    if request.POST.get("action") == "remove":
        remove = UnitRemoveForm(request.POST)
        if remove.is_valid():
            row = CampaignUnit.objects.filter(
                campaign=campaign, pk=remove.cleaned_data["campaign_unit"]
            ).first()
            if row is None:
                raise Http404
            if row.removed_on is not None:
                remove_errors[row.pk] = [_("This unit has already left the campaign.")]
            else:
                try:
                    services.campaign_unit_remove(
                        user=user, campaign_unit=row, removed_on=remove.cleaned_data["removed_on"]
                    )
                except DomainError as exc:
                    remove_errors[row.pk] = [exc.message]
                else:
                    messages.success(
                        request,
                        _("%(unit)s no longer reports in the campaign from %(day)s.")
                        % {"unit": row.name_vi, "day": f"{row.removed_on:%d/%m/%Y}"},
                    )
                    return redirect("reporting:admin-campaign", pk=campaign.pk)
        else:
            pk_raw = request.POST.get("campaign_unit", "")
            key = parse_int(pk_raw) or 0
            remove_errors[key] = [str(m) for msgs in remove.errors.values() for m in msgs]
    else:
        add_form = UnitAddForm(request.POST, campaign=campaign)
        if add_form.is_valid():
            data = add_form.cleaned_data
            try:
                row = services.campaign_unit_add(
                    user=user,
                    campaign=campaign,
                    unit=data["unit"],
                    added_on=data["added_on"],
                    plan=data["plan"],
                    report=data["report"],
                )
            except DomainError as exc:
                _apply_errors(add_form, exc.errors)
                if not exc.errors:
                    add_form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("%(unit)s now reports in the campaign.") % {"unit": row.name_vi}
                )
                return redirect("reporting:admin-campaign", pk=campaign.pk)
    form = CampaignForm(initial=CampaignForm.initial_of(campaign), editing=True)
    return render(
        request,
        "reporting/admin/campaign_edit.html",
        _campaign_context(campaign, form, add_form, remove_errors),
        status=400,
    )
