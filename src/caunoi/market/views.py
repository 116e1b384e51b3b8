"""Marketplace pages under /market/: home with search and facets, lists, record pages, forms,
the workflow, "my records" and the officers' review queue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from caunoi.accounts.models import User
from caunoi.core.audience import reader_for
from caunoi.core.errors import ConflictError, DomainError
from caunoi.core.parsing import parse_int
from caunoi.market import matching, selectors, services, tasks
from caunoi.market.audience import (
    is_owner,
    organization_principals,
    reads_targets,
    requester_visible,
)
from caunoi.market.forms import TransitionForm
from caunoi.market.kinds import KINDS, REQUESTER_FIELDS, TARGETS, Kind
from caunoi.market.models import (
    Cooperation,
    Match,
    ServiceKind,
    Status,
    TechnologyOffer,
    TechnologyRequest,
    languages_display,
)
from caunoi.market.templatetags.market_tags import amount
from caunoi.registry.models import Organization
from caunoi.taxonomy.selectors import country_labels


def _kind(slug: str) -> Kind:
    if slug == TARGETS.slug:
        return TARGETS
    try:
        return KINDS[slug]
    except KeyError as exc:
        raise Http404 from exc


def _require_reader_for(kind: Kind, request: HttpRequest) -> None:
    """The target-company register is for officers only (``audience.TARGET_AUDIENCE``):
    unseen by anyone else, viewers included."""
    if kind is TARGETS and not reads_targets(request.user):
        raise Http404


def home(request: HttpRequest) -> HttpResponse:
    """Search and facets over the published offers and requests the reader may read: every
    facet link keeps the other filters and the search text, and counts what it lists."""
    found = selectors.home_facets(
        request.user,
        request.GET,
        services.readable(request.user, TechnologyOffer).filter(status=Status.PUBLISHED),
        services.readable(request.user, TechnologyRequest).filter(status=Status.PUBLISHED),
    )
    offers, requests = found.offers, found.requests
    applied = {f.name: f.value for f in found.applied}
    _say_ignored(request, selectors.ignored(request.GET, applied, selectors.FACETS))
    context = {
        "applied": applied,
        "chips": found.applied,
        "facets": found.facets,
        "offers": offers.select_related("country")[:20],
        "offer_count": offers.count(),
        "requests": requests[:10],
        "request_count": requests.count(),
        "kinds": KINDS.values(),
        "can_contribute": services.can_contribute(request.user),
        "officer": _officer_counts(request.user),
    }
    return render(request, "market/home.html", context)


def _officer_counts(user: Any) -> dict[str, int] | None:
    """An officer's way into their work from the marketplace home: how many records wait for
    review and how many expressions of interest stalled (None for anyone else)."""
    if not services.is_officer(user):
        return None
    from caunoi.market import interests

    waiting = interests.stalled(user)
    return {
        "review": len(services.review_queue()),
        "to_forward": len(waiting["to_forward"]),
        "stalled": len(waiting["stalled"]),
    }


# The list filters with a known set of values (a value outside it is reported as ignored).
_FILTERS = ("field", "country", "trl", "cooperation", "category", "service", "status")


def _say_ignored(request: HttpRequest, bad: list[tuple[str, str]]) -> None:
    """A message naming each filter value that was ignored (said, not silently dropped)."""
    for name, value in bad:
        messages.warning(
            request,
            _("The filter %(name)s=“%(value)s” is not valid here and was ignored.")
            % {"name": name, "value": value},
        )


def record_list(request: HttpRequest, kind: str) -> HttpResponse:
    k = _kind(kind)
    _require_reader_for(k, request)
    qs_all = services.readable(request.user, k.model)
    qs, applied = selectors.filtered(request.user, request.GET, k.model, qs_all)
    _say_ignored(request, selectors.ignored(request.GET, applied, _FILTERS))
    # Only the statuses this reader can find among the records they may read.
    seen = set(qs_all.values_list("status", flat=True).distinct()) if k is not TARGETS else set()
    page = Paginator(qs, settings.CAUNOI_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "kind": k,
        "page": page,
        "applied": applied,
        "statuses": [(v, label) for v, label in Status.choices if v in seen],
        "list_facet": selectors.list_facet(request.user, request.GET, k.model, qs_all),
        "can_create": services.can_contribute(request.user)
        and (k is not TARGETS or services.is_officer(request.user)),
    }
    return render(request, "market/list.html", context)


def _display(record: Any, name: str) -> Any:
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if getattr(field, "choices", None) and not isinstance(value, list):
        return getattr(record, f"get_{name}_display")()
    if name == "cooperation":
        labels = dict(Cooperation.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if name == "languages":
        return languages_display(value)
    if name == "service_kinds":
        kinds = dict(ServiceKind.choices)
        return ", ".join(str(kinds.get(v, v)) for v in value)
    if name == "preferred_countries" and value:
        names = country_labels(list(value))
        return ", ".join(names.get(v, v) for v in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):  # a flag shows when set; a stated "no" when it may be unknown
        return _("Yes") if value else (_("No") if field.null else None)
    if isinstance(value, Decimal):  # amounts grouped, in their currency
        currency = getattr(record, _CURRENCY_OF.get(name, ""), "") or ""
        return f"{amount(value)} {currency}".strip()
    if isinstance(value, dt.date):
        return date_format(value, "d/m/Y")
    return value


# The currency an amount of a record is stated in.
_CURRENCY_OF = {
    "price_min": "price_currency",
    "price_max": "price_currency",
    "budget_min": "currency",
    "budget_max": "currency",
}


def record_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    k = _kind(kind)
    record = services.record_for_user(request.user, k.model, pk)
    hide_requester = isinstance(record, TechnologyRequest) and not requester_visible(
        request.user, record
    )
    rows = []
    for name in k.detail:
        if hide_requester and name in REQUESTER_FIELDS:
            continue
        value = _display(record, name)
        if value not in (None, "", []):
            rows.append((getattr(record._meta.get_field(name), "verbose_name", name), value))
    owner = False if k is TARGETS else is_owner(request.user, record)
    show_owner = services.is_officer(request.user) or owner
    context = {
        "kind": k,
        "record": record,
        "rows": rows,
        "hide_requester": hide_requester,
        "can_edit": services.can_edit(request.user, record),
        "transitions": []
        if k is TARGETS
        else [(s, Status(s).label) for s in services.allowed_transitions(request.user, record)],  # type: ignore[arg-type]
        "show_owner": show_owner or reader_for(request.user).is_staff,
        "fields": list(record.fields.all()) if hasattr(record, "fields") else [],
    }
    from caunoi.market.views_interests import record_context

    context.update(record_context(request.user, record, request.GET.get("from_request", "")))
    if isinstance(record, TechnologyRequest):
        context["match_sections"] = matching.request_sections(request.user, record)
    elif k is not TARGETS:
        context["matching_requests"] = matching.target_section(request.user, record)
    if k is not TARGETS:
        context["feedback_choices"] = [c for c in Match.Feedback.choices if c[0]]
        context["staff_reader"] = reader_for(request.user).is_staff
        context["can_feedback"] = matching.can_give_feedback(request.user, record)
    return render(request, "market/detail.html", context)


@require_POST
@login_required
def match_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester's (or an officer's) feedback on one match; the request is re-ranked."""
    match = Match.objects.select_related("request").filter(pk=pk).first()
    if match is None or not matching.can_see_request_matches(request.user, match.request):
        raise Http404
    if not matching.can_give_feedback(request.user, match.request):
        raise PermissionDenied
    _record_feedback(request, match, matching.set_feedback)
    return redirect(match.request.get_absolute_url() + "#matches")


def _record_feedback(request: HttpRequest, match: Match, setter: Any) -> None:
    """One side's mark from the posted form (``setter``: ``matching.set_feedback`` or
    ``set_provider_feedback``), the request re-ranked when the transaction commits."""
    value = request.POST.get("feedback", "")
    if value not in matching.FEEDBACK and value != "":
        messages.error(request, _("Choose a feedback."))
        return
    tasks.give_feedback(setter, user=request.user, match=match, feedback=value)
    messages.success(request, _("Thank you: the feedback is recorded."))


@require_POST
@login_required
def match_provider_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider's (or an officer's) feedback on one match listed on its offer's
    (expert's, intermediary's) page, kept beside the requester's; the request is re-ranked.
    404 unless the match is listed to this user there; nothing about the requester is told."""
    match = matching.provider_match(request.user, pk)
    if match is None:
        raise Http404
    target = matching.target_of(match)
    if not matching.can_give_feedback(request.user, target):
        raise PermissionDenied
    _record_feedback(request, match, matching.set_provider_feedback)
    return redirect(target.get_absolute_url() + "#matching-requests")


def _organizations(user: Any) -> Any:
    if services.is_officer(user):
        return Organization.objects.order_by("name_vi")
    ids = [int(t.split(":")[1]) for t in organization_principals(user)]
    return Organization.objects.filter(pk__in=ids).order_by("name_vi")


def _organization_note(user: Any) -> str:
    """Why the organisation list is empty: it lists the organisations an officer confirmed
    the user belongs to (``registry.affiliations.approved_organization_ids``)."""
    from caunoi.registry.models import Affiliation

    if Affiliation.objects.filter(user=user, state=Affiliation.State.PENDING).exists():
        return pgettext(
            "market",
            "Your organisation appears here once an officer confirms that you belong to it; "
            "until then the record is yours alone.",
        )
    return pgettext(
        "market", "Only the organisations an officer has confirmed you belong to appear here."
    )


@login_required
def record_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    k = _kind(kind)
    if pk is None:
        if not services.can_contribute(request.user) or (
            k is TARGETS and not services.is_officer(request.user)
        ):
            raise PermissionDenied
        record = k.model()
    else:
        record = services.record_for_user(request.user, k.model, pk, write=True)
    organizations = _organizations(request.user)
    form = k.form(request.POST or None, instance=record, organizations=organizations)
    if "owner_organization" in form.fields and not organizations.exists():
        form.fields["owner_organization"].help_text = _organization_note(request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data, m2m = form.values()
        version = request.POST.get("version")
        try:
            saved = services.record_save(
                user=request.user,  # type: ignore[arg-type]
                instance=record,
                data=data,
                m2m=m2m if record._meta.many_to_many else {},
                expected_version=parse_int(version),
            )
        except ConflictError as exc:
            conflict = exc.message
        except DomainError as exc:
            if not exc.errors:
                form.add_error(None, exc.message)
            for name, errs in exc.errors.items():
                for e in errs:
                    form.add_error(name if name in form.fields else None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect(saved.get_absolute_url())  # type: ignore[attr-defined]
    context = {
        "kind": k,
        "form": form,
        "record": record if record.pk else None,
        "conflict": conflict,
    }
    return render(request, "market/form.html", context)


@require_POST
@login_required
def record_transition(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    k = _kind(kind)
    record = services.record_for_user(request.user, k.model, pk)
    if k is TARGETS or not services.allowed_transitions(request.user, record):  # type: ignore[arg-type]
        raise PermissionDenied
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect(record.get_absolute_url())  # type: ignore[attr-defined]
    try:
        services.transition(
            user=request.user,  # type: ignore[arg-type]
            record=record,  # type: ignore[arg-type]
            to=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, pgettext("market", "Status changed."))
    return redirect(record.get_absolute_url())  # type: ignore[attr-defined]


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    orgs = [int(t.split(":")[1]) for t in organization_principals(user)]
    groups = []
    for k in KINDS.values():
        qs = k.model._default_manager.filter(Q(owner_user=user) | Q(owner_organization_id__in=orgs))
        groups.append((k, list(qs)))
    context = {"groups": groups, "can_contribute": services.can_contribute(user)}
    return render(request, "market/mine.html", context)


MINE_TOP = 5  # matches shown per record on "My matches" (the record's page lists them all)


def _own(user: User, model: Any) -> Any:
    """This user's records of a kind: written by them or owned by one of their organisations."""
    orgs = [int(t.split(":")[1]) for t in organization_principals(user)]
    return model._default_manager.filter(Q(owner_user=user) | Q(owner_organization_id__in=orgs))


@login_required
def my_matches(request: HttpRequest) -> HttpResponse:
    """ "My matches": for each of the user's published requests its best offers, experts and
    intermediaries; for each of their published offers (expert, intermediary profiles) the
    requests it matches — the record pages' sections (``matching.request_sections`` /
    ``target_section``), so their audience rules hold: an anonymous request's requester is
    not named, an officers-only request is not listed to its provider. Paginated by record."""
    user = request.user
    assert isinstance(user, User)
    records: list[tuple[Kind, Any]] = []
    for k in KINDS.values():
        qs = _own(user, k.model).filter(status=Status.PUBLISHED).order_by("-published_at", "-pk")
        records.extend((k, r) for r in qs)
    page = Paginator(records, settings.CAUNOI_PAGE_SIZE).get_page(request.GET.get("page"))
    labels = {k.model: k.label for k in KINDS.values()}
    groups: list[dict[str, Any]] = []
    for k, record in page.object_list:
        if isinstance(record, TechnologyRequest):
            sections = matching.request_sections(user, record) or []
            items: list[dict[str, Any]] = sorted(
                (
                    dict(item, label=labels[type(item["target"])])
                    for s in sections
                    for item in s["items"]
                ),
                key=lambda item: (-item["match"].score, item["match"].pk),
            )
            groups.append({"kind": k, "record": record, "is_request": True, "items": items})
        else:
            items = matching.target_section(user, record) or []
            groups.append({"kind": k, "record": record, "is_request": False, "items": items})
    for group in groups:
        group["total"] = len(group["items"])
        group["items"] = group["items"][:MINE_TOP]
    context = {"page": page, "groups": groups, "top": MINE_TOP}
    return render(request, "market/my_matches.html", context)


@login_required
def review(request: HttpRequest) -> HttpResponse:
    if not services.is_officer(request.user):
        raise PermissionDenied
    from caunoi.market import interests

    size = settings.CAUNOI_PAGE_SIZE
    # Each section pages on its own parameter; a pager link keeps the others' pages.
    records = Paginator(services.review_queue(), size).get_page(request.GET.get("page"))
    queue = list(records.object_list)
    sent = services.submitted_on(queue)
    items = [
        (
            next(k for k in KINDS.values() if k.model is type(r)),
            r,
            sent.get((r._meta.label_lower, r.pk), r.updated_at),
        )
        for r in queue
    ]
    waiting = interests.stalled(request.user)
    forward = Paginator(waiting["to_forward"], size).get_page(request.GET.get("forward_page"))
    stalled = Paginator(waiting["stalled"], size).get_page(request.GET.get("stalled_page"))
    context = {
        "items": items,
        "records_page": records,
        "to_forward": list(forward.object_list),
        "forward_page": forward,
        "stalled": list(stalled.object_list),
        "stalled_page": stalled,
    }
    return render(request, "market/review.html", context)


# The import pages' URL names by kind (``market:<name>-import``, ``…-import-template``).
IMPORT_PAGES = {"offers": "offer", "requests": "request", "experts": "expert"}


@login_required
def record_import(request: HttpRequest, kind: str) -> HttpResponse:
    """An officer's import of offers, requests or experts (CSV, XLSX, JSON): checked first
    (``dry run``: the report and nothing written), then imported at once, or followed as a
    background job (``?job=<id>``, polled by htmx) for a large file."""
    from urllib.parse import urlencode

    from caunoi.jobs.models import Job
    from caunoi.jobs.services import job_for_user
    from caunoi.market import imports
    from caunoi.registry.imports import background_rows

    spec = imports.IMPORT_KINDS[kind]
    if not imports.can_import(request.user):
        raise PermissionDenied
    report = None
    error = ""
    job = None
    job_pk = parse_int(request.GET.get("job", ""))
    if request.method == "GET" and job_pk is not None:
        job = job_for_user(request.user, job_pk)
        if not job.kind.endswith("import_market_task"):
            raise Http404
        if isinstance(job.result, dict):
            report = imports.report_load(job.result)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a CSV, XLSX or JSON file.")
        elif (upload.size or 0) > imports.max_bytes():
            error = _("The file is too large.")
        else:
            try:
                outcome = imports.import_upload(
                    user=request.user,  # type: ignore[arg-type]
                    kind=kind,
                    name=upload.name or "",
                    content=upload.read(imports.max_bytes() + 1),
                    dry_run=request.POST.get("mode") == "check",
                    skip_duplicates=bool(request.POST.get("skip_duplicates")),
                )
            except DomainError as exc:
                error = exc.message
            else:
                if isinstance(outcome, Job):
                    return redirect(f"{request.path}?{urlencode({'job': outcome.pk})}")
                report = outcome
    context = {
        "spec": spec,
        "kinds": [
            (slug, f"market:{IMPORT_PAGES[slug]}-import", KINDS[slug].label_plural)
            for slug in imports.IMPORT_KINDS
        ],
        "template_url": f"market:{IMPORT_PAGES[kind]}-import-template",
        "list_label": KINDS[kind].label_plural,
        "report": report,
        "error": error,
        "job": job,
        "done_message": _import_done(report) if report is not None and report.ok else "",
        "max_rows": imports.max_rows(),
        "background_rows": background_rows(),
    }
    if job is not None and request.headers.get("HX-Request"):
        return render(request, "core/import_job.html", context)
    failed = bool(error) or (report is not None and not report.ok and job is None)
    return render(request, "market/import.html", context, status=400 if failed else 200)


def _import_done(report: Any) -> str:
    if report.dry_run:
        return _(
            "Check passed: %(n)d rows can be imported, %(skipped)d duplicates would be skipped. "
            "Nothing was written yet."
        ) % {"n": report.created, "skipped": len(report.skipped)}
    return _(
        "Import done: %(n)d records imported and published, %(skipped)d duplicates skipped."
    ) % {
        "n": report.created,
        "skipped": len(report.skipped),
    }


@login_required
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """The template of an import: its columns and one example row (CSV, XLSX or JSON)."""
    from caunoi.market import imports

    if not imports.can_import(request.user):
        raise PermissionDenied
    body, content_type = imports.template_file(imports.IMPORT_KINDS[kind], fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="caunoi-{kind}-mau.{fmt}"'
    return response
