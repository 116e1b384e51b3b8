"""Registry pages: list (filter, sort, search-as-you-type, export), detail, create, edit, delete."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Q, URLField
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.accounts import permissions
from caunoi.accounts.models import AuditEvent
from caunoi.core.errors import ConflictError, DomainError
from caunoi.core.parsing import parse_int
from caunoi.core.sections import record_panels
from caunoi.registry import exports, forms, selectors, services
from caunoi.registry.entities import ENTITIES, Entity
from caunoi.registry.models import (
    Agreement,
    AgreementParty,
    Delegation,
    Membership,
    Organization,
    Project,
    ProjectParticipant,
)
from caunoi.registry.selectors import record_list


def _entity(slug: str) -> Entity:
    try:
        return ENTITIES[slug]
    except KeyError as exc:
        raise Http404 from exc


def _apply_domain_error(form: Any, exc: DomainError) -> None:
    if not exc.errors:
        form.add_error(None, exc.message)
    for name, errors in exc.errors.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


def _web_link(value: Any) -> str:
    """The address as a link target, only for http(s) (never ``javascript:`` and the like)."""
    text = str(value or "").strip()
    return text if urlsplit(text).scheme.lower() in ("http", "https") else ""


def entity_list(request: HttpRequest, slug: str) -> HttpResponse:
    entity = _entity(slug)
    qs, applied = record_list(entity=entity, user=request.user, params=request.GET)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return exports.export_response(entity, qs, export, reader=selectors.as_reader(request.user))
    page = Paginator(qs, settings.CAUNOI_PAGE_SIZE).get_page(request.GET.get("page"))
    base_params = {k: v for k, v in applied.items() if k != "sort"}
    context = {
        "entity": entity,
        "page": page,
        "rows": page.object_list,
        "applied": applied,
        "query": urlencode(applied),
        "filter_query": urlencode(base_params),
        "filters": [(f, f.choices() if f.choices else []) for f in entity.filters],
        "sort": applied.get("sort", entity.default_sort),
        "can_create": permissions.can_create(request.user),
    }
    template = "registry/list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        template = "registry/list.html#results"
    return render(request, template, context)


def entity_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    entity = _entity(slug)
    record = selectors.record_for_user(entity, request.user, pk)
    rows = []
    for name in entity.detail_fields:
        field = entity.model._meta.get_field(name)
        value: Any = getattr(record, name)
        if getattr(field, "choices", None) and hasattr(record, f"get_{name}_display"):
            value = getattr(record, f"get_{name}_display")()
        elif field.many_to_many:
            value = ", ".join(selectors.ref_label(request.user, v) for v in value.all())
        elif isinstance(value, list):
            value = ", ".join(value)
        raw = getattr(record, name, None)
        if field.many_to_one and not selectors.ref_visible(request.user, raw):
            # A record the reader may not open: "(not public)", no link, no name.
            value, raw = selectors.ref_label(request.user, raw), None
        rows.append(
            (
                getattr(field, "verbose_name", name),
                value,
                raw,
                _web_link(value) if isinstance(field, URLField) else "",
            )
        )
    history = AuditEvent.objects.filter(
        model=entity.model._meta.label_lower, object_id=str(record.pk)
    ).select_related("actor")[:50]
    context: dict[str, Any] = {
        "entity": entity,
        "record": record,
        "rows": rows,
        "history": history if permissions.is_staff_reader(request.user) else [],
        "show_history": permissions.is_staff_reader(request.user),
        "can_edit": permissions.can_edit(request.user, record),
    }
    if isinstance(record, Organization):
        user = request.user
        context["related"] = [
            (
                ENTITIES["agreements"],
                selectors.readable(
                    ENTITIES["agreements"],
                    user,
                    Agreement.objects.filter(parties__organization=record),
                )
                .distinct()
                .order_by("-signed_on")[:20],
            ),
            (
                ENTITIES["projects"],
                selectors.readable(
                    ENTITIES["projects"],
                    user,
                    Project.objects.filter(
                        Q(funder=record)
                        | Q(
                            pk__in=ProjectParticipant.objects.filter(organization=record).values(
                                "project"
                            )
                        )
                    ),
                ).order_by(F("planned_start").desc(nulls_last=True), "-pk")[:20],
            ),
            (
                # Delegations under an agreement the partner is party to, or a project it
                # funds or takes part in (a delegation names no organisation itself).
                ENTITIES["delegations"],
                selectors.readable(
                    ENTITIES["delegations"],
                    user,
                    Delegation.objects.filter(
                        Q(
                            agreement__in=AgreementParty.objects.filter(organization=record).values(
                                "agreement"
                            )
                        )
                        | Q(project__funder=record)
                        | Q(
                            project__in=ProjectParticipant.objects.filter(
                                organization=record
                            ).values("project")
                        )
                    ),
                ).order_by("-start_on", "-pk")[:20],
            ),
            (
                ENTITIES["memberships"],
                selectors.readable(
                    ENTITIES["memberships"], user, Membership.objects.filter(organization=record)
                )[:20],
            ),
            (
                ENTITIES["partners"],
                selectors.readable(
                    ENTITIES["partners"], user, Organization.objects.filter(parent=record)
                )[:20],
            ),
        ]
    if isinstance(record, Agreement):
        context["parties"] = list(record.parties.all())
        context["documents"] = list(record.documents.all())
        context["projects"] = selectors.readable(
            ENTITIES["projects"], request.user, record.projects.all()
        )
        context["transitions"] = [
            (s, Agreement.Status(s).label) for s in services.allowed_transitions(record)
        ]
        context["transition_codes"] = [s for s, _label in context["transitions"]]
        context["upload_form"] = forms.DocumentUploadForm()
    context["record_panels"] = record_panels(request.user, record)
    return render(request, "registry/detail.html", context)


@login_required
def entity_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    entity = _entity(slug)
    user = request.user
    if pk is None:
        if not permissions.can_create(user):
            raise PermissionDenied
        instance = entity.model()
    else:
        instance = selectors.record_for_user(entity, user, pk, write=True)
    form = entity.form(request.POST or None, instance=instance, user=user)  # type: ignore[arg-type]
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = entity.save(user, instance, form)  # type: ignore[arg-type]
        except ConflictError as exc:
            conflict = _conflict_context(entity, form, exc)
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(saved.get_absolute_url())  # type: ignore[attr-defined]
    status = (409 if conflict else 400) if request.method == "POST" else 200
    return render(
        request,
        "registry/form.html",
        {"entity": entity, "form": form, "record": instance if pk else None, "conflict": conflict},
        status=status,
    )


def _conflict_context(entity: Entity, form: Any, exc: ConflictError) -> dict[str, Any]:
    """What the page shows of a refused stale save: each field saved meanwhile with its
    saved value next to the one typed. The form keeps what was typed and now carries the
    current version, so saving again is a deliberate choice made after seeing both."""
    if exc.version is not None:
        form.data = form.data.copy()
        form.data["version"] = str(exc.version)

    def shown(value: Any) -> str:
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value or "")

    rows = []
    for name, theirs in exc.current.items():
        if name in form.fields:
            label = form.fields[name].label or name
        else:
            try:
                label = getattr(entity.model._meta.get_field(name), "verbose_name", name)
            except FieldDoesNotExist:
                label = name
        rows.append(
            {
                "name": name,
                "label": label,
                "theirs": shown(theirs),
                "yours": shown(exc.yours.get(name)),
            }
        )
    message = _(
        "The record has been changed by someone else since you opened this form; nothing was "
        "saved. Below is what they saved next to what you entered: apply your changes again "
        "and save."
    )
    return {"message": message if exc.version is not None else exc.message, "rows": rows}


@login_required
@require_POST
def entity_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    entity = _entity(slug)
    record = selectors.record_for_user(entity, request.user, pk, write=True)
    try:
        services.record_delete(user=request.user, instance=record)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(record.get_absolute_url())
    messages.success(request, _("Deleted."))
    return redirect("entity-list", slug=slug)


@login_required
@require_POST
def agreement_transition(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.record_for_user(ENTITIES["agreements"], request.user, pk, write=True)
    form = forms.TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
    else:
        try:
            services.agreement_transition(
                user=request.user,  # type: ignore[arg-type]
                agreement=agreement,
                to_status=form.cleaned_data["status"],
                expires_on=form.cleaned_data.get("expires_on"),
            )
            messages.success(request, _("Status changed."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return HttpResponseRedirect(agreement.get_absolute_url())


@login_required
@require_POST
def agreement_upload(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.record_for_user(ENTITIES["agreements"], request.user, pk, write=True)
    form = forms.DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            services.agreement_attach_document(
                user=request.user,  # type: ignore[arg-type]
                agreement=agreement,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
            messages.success(request, _("Document attached."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return HttpResponseRedirect(agreement.get_absolute_url())


def agreement_document(request: HttpRequest, pk: int, doc_id: int) -> FileResponse:
    agreement = selectors.record_for_user(ENTITIES["agreements"], request.user, pk)
    document = agreement.documents.filter(pk=doc_id).first()
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=(document.file.name or "document").split("/")[-1],
        content_type=document.content_type,
    )


@login_required
def entity_import(request: HttpRequest, slug: str) -> HttpResponse:
    """The import page. A small file is imported at once; a large one becomes a background
    job, followed on this page (``?job=<id>``) until its report is ready."""
    from caunoi.jobs.models import Job
    from caunoi.jobs.services import job_for_user
    from caunoi.registry.imports import background_rows, import_upload, max_rows, report_from_dict

    entity = _entity(slug)
    if not entity.importable:
        raise Http404
    if not permissions.can_create(request.user):
        raise PermissionDenied
    report = None
    error = ""
    job = None
    job_pk = parse_int(request.GET.get("job", "")) if request.method == "GET" else None
    if job_pk is not None:
        job = job_for_user(request.user, job_pk)
        if not job.kind.endswith("import_records_task"):
            raise Http404
        if isinstance(job.result, dict):
            report = report_from_dict(job.result)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a CSV or XLSX file.")
        elif (upload.size or 0) > settings.CAUNOI_IMPORT_MAX_BYTES:
            error = _("The file is too large.")
        else:
            try:
                outcome = import_upload(
                    user=request.user,  # type: ignore[arg-type]
                    entity=entity,
                    name=upload.name or "",
                    content=upload.read(),
                )
            except DomainError as exc:
                error = exc.message
            else:
                if isinstance(outcome, Job):
                    return redirect(f"{request.path}?{urlencode({'job': outcome.pk})}")
                report = outcome
            if report is not None and report.ok:
                messages.success(request, _import_done(report))
                return redirect("entity-list", slug=slug)
    context = {
        "entity": entity,
        "report": report,
        "error": error,
        "job": job,
        "done_message": _import_done(report) if job and report and report.ok else "",
        "columns": entity.export_columns,
        "max_rows": max_rows(),
        "background_rows": background_rows(),
    }
    template = "registry/import.html"
    if job is not None and request.headers.get("HX-Request"):
        template = "core/import_job.html"
    return render(
        request,
        template,
        context,
        status=400 if (error or (report and not report.ok and job is None)) else 200,
    )


def _import_done(report: Any) -> str:
    return _("Import done: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.") % {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }


@login_required
def entity_import_template(request: HttpRequest, slug: str) -> HttpResponse:
    """An XLSX with the entity's import columns (``Label [code]``) and one example row."""
    from openpyxl import Workbook

    from caunoi.registry.imports import EXAMPLES

    entity = _entity(slug)
    if not entity.importable:
        raise Http404
    if not permissions.can_create(request.user):  # the same people as the import page
        raise PermissionDenied
    columns = [c for c in entity.export_columns if c != "id"]
    example = EXAMPLES.get(entity.slug, {})
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = entity.slug
    sheet.append([exports.header(entity, c) for c in columns])
    sheet.append([example.get(c, "") for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="caunoi-{entity.slug}-mau.xlsx"'
    return response


def agreement_charts(request: HttpRequest) -> HttpResponse:
    """The dashboard's charts of agreements (by country, by field) on their own page, and
    their downloads (``?chart=KEY&format=png|svg|csv``): the agreements this user may read."""
    from caunoi.core.charts import chart_download
    from caunoi.registry.sections import agreement_charts as build

    charts = build(request.user)
    download = chart_download(request, charts)
    if download is not None:
        return download
    return render(request, "registry/agreement_charts.html", {"charts": charts})
