"""REST API of the marketplace, under /api/v1/market/: offers, requests, experts and
intermediaries (list, get, create, change, workflow).

The audience rule of each type filters every answer (``services.readable``); an anonymous
request's requester is null for whoever may not see it. Changes are optimistic, as in the
registry: `ETag` on reads, `If-Match` required on PATCH and transitions.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from ninja import File as NinjaFile
from ninja import Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import Field as PydanticField
from pydantic import ValidationError as PydanticValidationError

from caunoi.accounts.models import User
from caunoi.core.api_errors import InvalidPayload, errors, schema_errors
from caunoi.core.audience import reader_for
from caunoi.core.errors import ConflictError, DomainError
from caunoi.core.pagination import Pages
from caunoi.core.versioning import etag, if_match_version
from caunoi.market import matching, selectors, services, tasks
from caunoi.market import schemas as s
from caunoi.market.audience import reads_targets, requester_visible
from caunoi.market.models import (
    Expert,
    Intermediary,
    Match,
    TargetCompany,
    TechnologyOffer,
    TechnologyRequest,
    language_problems,
)
from caunoi.registry.models import Organization
from caunoi.taxonomy.models import Country, Field

router = Router(tags=["market"])

_READ = errors(404)
_INVALID_NOTE = (
    "A payload with any bad field is answered 422 naming every bad field at once, by its "
    "path (`trl`, `fields.0`, `languages.1.level`): the schema's errors (wrong type, not a "
    "choice, out of bounds, unknown key, missing) together with unknown references (field, "
    "country, organisation) and the rules (a past date, an organisation the caller is not a "
    "confirmed member of, the model's checks); nothing is written."
)
_WRITE = errors(400, 404, 412, 428)


def _list(request: HttpRequest, model: Any, params: s.MarketFilters) -> Any:
    given = {k: str(v) for k, v in params.dict().items() if v not in (None, "")}
    qs, _applied = selectors.filtered(
        request.user, given, model, services.readable(request.user, model)
    )
    return qs.select_related("owner_organization").prefetch_related("fields").order_by("-pk")


def _resolve(
    payload: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any], dict[str, list[str]]]:
    """Natural keys to records; every unknown one is reported (by its path), none raised."""
    problems: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    m2m: dict[str, Any] = {}
    for name, value in payload.items():
        if name == "fields":
            found = {f.slug: f for f in Field.objects.filter(slug__in=value)}
            found.update({f.code: f for f in Field.objects.filter(code__in=value)})
            for i, key in enumerate(value):
                if key not in found:
                    problems[f"fields.{i}"] = [_("Unknown field of S&T “%s”.") % key]
            m2m["fields"] = list({found[k].pk: found[k] for k in value if k in found}.values())
        elif name == "owner_organization" and value is not None:
            org = Organization.objects.filter(pk=value).first()
            if org is None:
                problems[name] = [_("No organisation with id %d.") % value]
            data[name] = org
        elif name == "country" and value is not None:
            country = Country.objects.filter(pk=value).first()
            if country is None:
                problems[name] = [_("Unknown country code “%s”.") % value]
            data[name] = country
        elif name == "preferred_countries":
            known = set(Country.objects.filter(pk__in=value).values_list("pk", flat=True))
            for i, code in enumerate(value):
                if code not in known:
                    problems[f"{name}.{i}"] = [_("Unknown country code “%s”.") % code]
            data[name] = list(dict.fromkeys(value))
        else:
            data[name] = value
    return data, m2m, problems


def _root(path: str) -> str:
    return path.split(".", 1)[0]


def _checked(
    user: User, instance: Any, payload: Any, patch: Any, *, partial: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A write's values, or every error of the payload at once: the schema's (wrong type,
    not a choice, out of bounds, unknown key, missing), the unknown references and the
    service's rules (``services.record_errors``) on the fields the schema accepted.
    ``InvalidPayload`` (422) names them all; nothing is written."""
    problems = s.problems_of(payload)
    errors = schema_errors(problems)
    checkable = True
    if problems:
        raw = s.raw_of(payload)
        bad = {_root(path) for path in errors}
        given: dict[str, Any] = {}
        checkable = isinstance(raw, dict) and "__all__" not in bad
        if checkable:
            try:  # what the schema accepted, with the same types (every field optional)
                good = patch.model_validate({k: v for k, v in raw.items() if k not in bad})
                given = good.dict(exclude_unset=True)
            except PydanticValidationError:
                checkable = False
    else:
        given = payload.dict(exclude_unset=partial)
    data, m2m, unknown = _resolve(given)
    for path, messages in unknown.items():
        errors.setdefault(path, []).extend(messages)
    sent = s.raw_of(payload) if problems else given
    if isinstance(instance, Expert) and isinstance(sent, dict) and "languages" in sent:
        # Each language's problem under its own path (the model's rule names the field).
        for where, message in language_problems(sent["languages"]):
            path = f"languages.{where}" if where else "languages"
            if path not in errors:
                errors[path] = [message]
    if checkable:
        refused = {_root(path) for path in errors}
        known = {k: v for k, v in data.items() if k not in refused}
        rules = services.record_errors(user=user, instance=instance, data=known)
        for path, messages in rules.items():
            if _root(path) not in refused:
                errors.setdefault(path, []).extend(messages)
    if errors:
        raise InvalidPayload(pgettext("market", "The record is not valid."), errors=errors)
    return data, m2m


def _invalid(exc: InvalidPayload) -> Any:
    return Status(422, {"detail": exc.message, "errors": exc.errors})


def _write(
    user: User,
    instance: Any,
    payload: Any,
    patch: Any,
    *,
    partial: bool,
    expected_version: int | None = None,
) -> Any:
    """Check the whole payload (``_checked``), then save; a field the service still refuses
    (a change meanwhile) is answered as the payload's errors are."""
    data, m2m = _checked(user, instance, payload, patch, partial=partial)
    try:
        return services.record_save(
            user=user, instance=instance, data=data, m2m=m2m, expected_version=expected_version
        )
    except ConflictError:
        raise
    except DomainError as exc:
        if not exc.errors:
            raise
        raise InvalidPayload(exc.message, errors=exc.errors) from exc


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not services.can_contribute(user):
        raise PermissionDenied
    return user


def _register(path: str, model: Any, out: Any, inp: Any, patch: Any, name: str) -> None:
    label = model._meta.verbose_name
    plain_patch = patch
    if inp is not None:
        inp, patch = s.collecting(inp), s.collecting(patch)

    @router.get(
        f"/{path}",
        response={200: list[out], **errors()},
        operation_id=f"market_{name}_list",
        summary=f"List {label}s",
        description="The records the caller may read (published ones for anonymous callers; "
        "also their own and their organisation's drafts; everything for network staff), "
        "newest first, filtered by `q`, `field`, `country`, `trl`, `cooperation`, `status`.",
    )
    @paginate(Pages, page_size=50)
    def list_records(request: HttpRequest, params: Query[s.MarketFilters]) -> Any:
        return _list(request, model, params)

    @router.get(
        f"/{path}/{{int:pk}}",
        response={200: out, **_READ},
        operation_id=f"market_{name}_get",
        summary=f"Get a {label}",
        description="One record; 404 when it does not exist or the caller may not read it. "
        "The `ETag` header identifies this version, for `If-Match` on later writes.",
    )
    def get_record(request: HttpRequest, pk: int, response: HttpResponse) -> Any:
        record = services.record_for_user(request.user, model, pk)
        response["ETag"] = etag(record)
        return record

    if inp is None:
        return

    @router.post(
        f"/{path}",
        response={201: out, **errors(400)},
        operation_id=f"market_{name}_create",
        summary=f"Create a {label} (a draft of the caller)",
        description="Outside users and officers; 201 with the draft. " + _INVALID_NOTE,
    )
    def create_record(request: HttpRequest, payload: inp) -> Any:
        user = _user(request)
        try:
            record = _write(user, model(), payload, plain_patch, partial=False)
        except InvalidPayload as exc:
            return _invalid(exc)
        return Status(201, model._default_manager.get(pk=record.pk))

    @router.patch(
        f"/{path}/{{int:pk}}",
        response={200: out, **_WRITE},
        operation_id=f"market_{name}_patch",
        summary=f"Change a {label}",
        description="Only the fields sent are written. `If-Match` is required (428 "
        "without it, 412 when the record changed since). " + _INVALID_NOTE,
    )
    def patch_record(request: HttpRequest, pk: int, payload: patch, response: HttpResponse) -> Any:
        user = _user(request)
        record = services.record_for_user(user, model, pk, write=True)
        expected = if_match_version(request, record, required=True)
        try:
            _write(user, record, payload, plain_patch, partial=True, expected_version=expected)
        except InvalidPayload as exc:
            return _invalid(exc)
        saved = model._default_manager.get(pk=pk)
        response["ETag"] = etag(saved)
        return saved

    @router.post(
        f"/{path}/{{int:pk}}/transition",
        response={200: out, **_WRITE},
        operation_id=f"market_{name}_transition",
        summary=f"Move a {label} through the workflow",
        description="draft → submitted → in_review → changes_requested | published → "
        "expired | withdrawn; officers review and publish. `If-Match` is required.",
    )
    def transition_record(
        request: HttpRequest, pk: int, payload: s.TransitionIn, response: HttpResponse
    ) -> Any:
        user = _user(request)
        record = services.record_for_user(user, model, pk)
        if not services.allowed_transitions(user, record):
            raise PermissionDenied
        expected = if_match_version(request, record, required=True)
        services.transition(
            user=user,
            record=record,
            to=payload.status,
            note=payload.note,
            expected_version=expected,
        )
        saved = model._default_manager.get(pk=pk)
        response["ETag"] = etag(saved)
        return saved


class ImportRowOut(Schema):
    row: int = PydanticField(description="The row number, the header being row 1.")
    field: str
    message: str


class ImportOut(Schema):
    kind: str = PydanticField(description="offers, requests or experts")
    rows: int
    created: int = PydanticField(
        description="Records imported (with dry_run: how many would be imported)."
    )
    dry_run: bool = False
    skipped: list[ImportRowOut] = PydanticField(
        default_factory=list, description="Duplicates left out (with skip_duplicates)."
    )
    warnings: list[ImportRowOut] = PydanticField(
        default_factory=list,
        description="Possible duplicates across languages (imported all the same); row 0: "
        "rows not compared for them.",
    )
    job_id: int | None = PydanticField(
        None, description="Set when the import runs in the background."
    )


def _run_import(
    request: HttpRequest,
    kind: str,
    file: UploadedFile | None,
    dry_run: bool,
    skip_duplicates: bool,
) -> Any:
    from caunoi.jobs.models import Job
    from caunoi.market.imports import can_import, import_kind, import_upload, max_bytes

    user = _user(request)
    spec = import_kind(kind)
    if not can_import(user):
        raise PermissionDenied
    if file is None:
        message = _("Choose a CSV, XLSX or JSON file.")
        raise DomainError(message, errors={"file": [message]})
    if (file.size or 0) > max_bytes():
        message = _("The file is too large.")
        raise DomainError(message, errors={"file": [message]})
    outcome = import_upload(
        user=user,
        kind=spec.slug,
        name=file.name or "",
        content=file.read(max_bytes() + 1),
        dry_run=dry_run,
        skip_duplicates=skip_duplicates,
    )
    if isinstance(outcome, Job):
        return Status(
            202,
            {
                "kind": spec.slug,
                "rows": outcome.total or 0,
                "created": 0,
                "dry_run": dry_run,
                "job_id": outcome.pk,
            },
        )
    if not outcome.ok:
        found: dict[str, list[str]] = {}
        for e in outcome.errors:
            # row 0: the file's own error (no data rows), named as the file's
            key = f"rows.{e.row}.{e.field}" if e.row else "file"
            found.setdefault(key, []).append(e.message)
        raise DomainError(_("Nothing was imported."), errors=found)
    return {
        "kind": spec.slug,
        "rows": outcome.rows,
        "created": outcome.created,
        "dry_run": outcome.dry_run,
        "skipped": [
            {"row": e.row, "field": e.field, "message": e.message} for e in outcome.skipped
        ],
        "warnings": [
            {"row": e.row, "field": e.field, "message": e.message} for e in outcome.warnings
        ],
        "job_id": None,
    }


_IMPORT_DESCRIPTION = (
    "Officers only. A multipart upload of a CSV (UTF-8), XLSX or JSON file (a list of "
    "objects), with the columns of the import templates (/market/offers/import/template.xlsx, "
    "/market/requests/import/template.xlsx, /market/experts/import/template.xlsx; an expert's "
    "`languages` written `en:C1; fr:B2`). All or nothing: 200 with the count when every "
    "row was imported (or, with `dry_run`, would be; nothing is written); 400 naming every bad "
    "row and field (`rows.<row>.<field>`, row 1 being the header), duplicates included "
    "(offers and requests: of the same owner's records, `rows.<row>.title`; experts: the same "
    "ORCID, `rows.<row>.orcid`, or name and organisation, `rows.<row>.name`), when nothing "
    "was; with `skip_duplicates` "
    "duplicates are left out and listed in `skipped`. 202 with `job_id` when the file is large "
    "enough to run in the background (follow it at /api/v1/jobs/{job_id}; its result is the "
    "same report)."
)


@router.post(
    "/import",
    response={200: ImportOut, 202: ImportOut, **errors(400, 401, 403)},
    operation_id="market_import",
    summary="Import technology offers, requests or experts (CSV, XLSX or JSON file)",
    description=_IMPORT_DESCRIPTION,
)
def import_records(
    request: HttpRequest,
    kind: Form[str] = "offers",
    dry_run: Form[bool] = False,
    skip_duplicates: Form[bool] = False,
    file: NinjaFile[UploadedFile | None] = None,
) -> Any:
    return _run_import(request, kind, file, dry_run, skip_duplicates)


@router.post(
    "/offers/import",
    response={200: ImportOut, 202: ImportOut, **errors(400, 401, 403)},
    operation_id="market_offer_import",
    summary="Import technology offers (CSV, XLSX or JSON file)",
    description="`POST /api/v1/market/import` with `kind=offers`. " + _IMPORT_DESCRIPTION,
)
def import_offers(
    request: HttpRequest,
    dry_run: Form[bool] = False,
    skip_duplicates: Form[bool] = False,
    file: NinjaFile[UploadedFile | None] = None,
) -> Any:
    return _run_import(request, "offers", file, dry_run, skip_duplicates)


_register("offers", TechnologyOffer, s.OfferOut, s.OfferIn, s.OfferPatch, "offer")
_register("requests", TechnologyRequest, s.RequestOut, s.RequestIn, s.RequestPatch, "request")
_register("experts", Expert, s.ExpertOut, s.ExpertIn, s.ExpertPatch, "expert")
_register(
    "intermediaries",
    Intermediary,
    s.IntermediaryOut,
    s.IntermediaryIn,
    s.IntermediaryPatch,
    "intermediary",
)


# --- the register of target companies (officers only) ------------------------------------------

_TargetIn = s.collecting(s.TargetIn)
_TargetPatch = s.collecting(s.TargetPatch)
_UNSEEN = (
    " Officers and administrators only: for anyone else (viewers included) the register does "
    "not exist (404), whatever they send."
)


def _target_reader(request: HttpRequest) -> None:
    """The register's audience (``audience.TARGET_AUDIENCE``): 404 for anyone outside it."""
    if not reads_targets(request.user):
        raise Http404


def _officer(request: HttpRequest) -> User:
    """Officers read and write the register; anyone else: 404."""
    _target_reader(request)
    user = request.user
    if not isinstance(user, User) or not services.is_officer(user):
        raise PermissionDenied
    return user


@router.get(
    "/targets",
    response={200: list[s.TargetOut], **_READ},
    operation_id="market_target_list",
    summary="List the target foreign companies",
    description="The register of foreign companies holding core technology or IP worth "
    "acquiring, by name, filtered by `q` (name, technologies, notes), `field` (slug, with "
    "its sub-fields) and `country`." + _UNSEEN,
)
@paginate(Pages, page_size=50)
def target_list(request: HttpRequest, params: Query[s.TargetFilters]) -> Any:
    _target_reader(request)
    qs = services.readable(request.user, TargetCompany)
    text = params.q.strip()
    if text:
        qs = qs.filter(
            Q(name__icontains=text) | Q(technologies__icontains=text) | Q(notes__icontains=text)
        )
    given = {k: v for k, v in (("field", params.field), ("country", params.country)) if v}
    qs, _applied = selectors.filtered(request.user, given, TargetCompany, qs)
    return qs.select_related("country").prefetch_related("fields").order_by("name", "pk")


@router.get(
    "/targets/{int:pk}",
    response={200: s.TargetOut, **_READ},
    operation_id="market_target_get",
    summary="Get a target foreign company",
    description="One company of the register, with its `ETag` for `If-Match`." + _UNSEEN,
)
def target_get(request: HttpRequest, pk: int, response: HttpResponse) -> Any:
    _target_reader(request)
    record = services.record_for_user(request.user, TargetCompany, pk)
    response["ETag"] = etag(record)
    return record


@router.post(
    "/targets",
    response={201: s.TargetOut, **errors(400, 404)},
    operation_id="market_target_create",
    summary="Add a target foreign company",
    description="Officers; 201 with the company, audited. " + _INVALID_NOTE + _UNSEEN,
)
def target_create(request: HttpRequest, payload: _TargetIn) -> Any:  # type: ignore[valid-type]
    user = _officer(request)
    try:
        record = _write(user, TargetCompany(), payload, s.TargetPatch, partial=False)
    except InvalidPayload as exc:
        return _invalid(exc)
    return Status(201, TargetCompany.objects.get(pk=record.pk))


@router.patch(
    "/targets/{int:pk}",
    response={200: s.TargetOut, **_WRITE},
    operation_id="market_target_patch",
    summary="Change a target foreign company",
    description="Officers. Only the fields sent are written, audited. `If-Match` is required "
    "(428 without it, 412 when the company changed since). " + _INVALID_NOTE + _UNSEEN,
)
def target_patch(
    request: HttpRequest,
    pk: int,
    payload: _TargetPatch,  # type: ignore[valid-type]
    response: HttpResponse,
) -> Any:
    _target_reader(request)
    record = services.record_for_user(request.user, TargetCompany, pk)
    user = _officer(request)
    expected = if_match_version(request, record, required=True)
    try:
        _write(user, record, payload, s.TargetPatch, partial=True, expected_version=expected)
    except InvalidPayload as exc:
        return _invalid(exc)
    saved = TargetCompany.objects.get(pk=pk)
    response["ETag"] = etag(saved)
    return saved


# --- matches -----------------------------------------------------------------------------------


def _request_match(m: Match, staff: bool = False) -> dict[str, Any]:
    kind, _pk = matching._target_of(m)
    target = matching.target_of(m)
    return {
        "id": m.pk,
        "kind": kind,
        "offer": m.offer_id,
        "expert": m.expert_id,
        "intermediary": m.intermediary_id,
        "title": str(target),
        "score": m.score,
        "explanation": matching.explanation_for(m, "requester", staff),
        "feedback": m.feedback,
        "provider_feedback": m.provider_feedback if staff else None,
        "computed_at": m.computed_at,
    }


@router.get(
    "/requests/{int:pk}/matches",
    response={200: s.RequestMatchList, **_READ},
    operation_id="market_request_matches",
    summary="Matches of a technology request",
    description="The offers, experts and intermediaries matched to a request, best first, "
    "with score, explanation and feedback. For the requester (writer or organisation) and "
    "network staff; 404 for anyone else, or when the request is not readable.",
)
def request_matches(request: HttpRequest, pk: int) -> Any:
    record = services.record_for_user(request.user, TechnologyRequest, pk)
    rows = matching.request_matches(request.user, record)
    if rows is None:
        raise Http404
    staff = reader_for(request.user).is_staff
    items = [_request_match(m, staff) for m in rows]
    return {"count": len(items), "items": items}


def _target_match(user: Any, m: Match, staff: bool = False) -> dict[str, Any]:
    """A request matching an offer (expert, intermediary), as its provider side reads it: the
    requester of an anonymous request unnamed, the requester's mark for staff only."""
    r = m.request
    visible = requester_visible(user, r)
    return {
        "id": m.pk,
        "request": r.pk,
        "title": str(r),
        "requester": r.owner_organization_id if visible else None,
        "score": m.score,
        "explanation": matching.explanation_for(m, "provider", staff),
        "feedback": m.feedback if staff else None,
        "provider_feedback": m.provider_feedback,
        "computed_at": m.computed_at,
    }


def _register_target_matches(path: str, model: Any, name: str) -> None:
    @router.get(
        f"/{path}/{{int:pk}}/matches",
        response={200: s.TargetMatchList, **_READ},
        operation_id=f"market_{name}_matches",
        summary=f"Requests matching a {model._meta.verbose_name}",
        description="The published requests this record was matched to, best first. For "
        "the record's owner and network staff (404 for anyone else); officers-only requests "
        "for staff alone; `requester` is null when the caller may not know who asked.",
    )
    def target_matches(request: HttpRequest, pk: int) -> Any:
        record = services.record_for_user(request.user, model, pk)
        rows = matching.target_matches(request.user, record)
        if rows is None:
            raise Http404
        staff = reader_for(request.user).is_staff
        items = [_target_match(request.user, m, staff) for m in rows]
        return {"count": len(items), "items": items}


_register_target_matches("offers", TechnologyOffer, "offer")
_register_target_matches("experts", Expert, "expert")
_register_target_matches("intermediaries", Intermediary, "intermediary")


# --- feedback on a match, as on the pages (views.match_feedback, match_provider_feedback) ------

_FeedbackIn = s.collecting(s.FeedbackIn)


def _feedback_value(payload: Any) -> str:
    """The mark sent, or 422 naming the bad field (after the 404 and 403: nothing about a
    match is told to whoever may not mark it)."""
    problems = s.problems_of(payload)
    if problems:
        raise InvalidPayload(_("The request is not valid."), errors=schema_errors(problems))
    value: str = payload.feedback
    return value


@router.post(
    "/matches/{int:pk}/feedback",
    response={200: s.RequestMatchOut, **errors(404)},
    operation_id="market_match_feedback",
    summary="Give the requester's feedback on a match",
    description="The request's requester (writer or organisation) or an officer marks one of "
    'its matches (`{"feedback": "interested"}`; an empty string clears the mark) and '
    "the request is re-ranked, as the button on the request's page does. 404 when the "
    "caller may not see the request's matches, 403 for viewers (they read matches and mark "
    "nothing), then 422 naming `feedback` for a code not among the choices. The match as "
    "`GET /requests/{pk}/matches` shows it: the provider's mark and what it taught the "
    "ranking stay hidden from the requester.",
)
def match_feedback(request: HttpRequest, pk: int, payload: _FeedbackIn) -> Any:  # type: ignore[valid-type]
    match = Match.objects.select_related("request").filter(pk=pk).first()
    if match is None or not matching.can_see_request_matches(request.user, match.request):
        raise Http404
    if not matching.can_give_feedback(request.user, match.request):
        raise PermissionDenied
    value = _feedback_value(payload)
    tasks.give_feedback(matching.set_feedback, user=request.user, match=match, feedback=value)
    # Re-ranking keeps the match's ID; a cleared weak match may have left the stored list.
    saved = Match.objects.select_related("offer", "expert", "intermediary").filter(pk=pk).first()
    return _request_match(saved or match, reader_for(request.user).is_staff)


@router.post(
    "/matches/{int:pk}/provider-feedback",
    response={200: s.TargetMatchOut, **errors(404)},
    operation_id="market_match_provider_feedback",
    summary="Give the provider's feedback on a match",
    description="The owner of the matched offer (expert, intermediary) or an officer marks "
    "one request it matches, beside the requester's mark, which it never overwrites "
    '(`{"feedback": "not_relevant"}`; an empty string clears it); the request is '
    "re-ranked, as the button on the offer's page does. 404 unless the match is listed to "
    "the caller there (`GET /offers/{pk}/matches`: not an officers-only request for a "
    "provider), 403 for viewers, then 422 naming `feedback` for a code not among the "
    "choices. The match as that list shows it: `requester` null for an anonymous request, "
    "the requester's mark for staff only.",
)
def match_provider_feedback(request: HttpRequest, pk: int, payload: _FeedbackIn) -> Any:  # type: ignore[valid-type]
    match = matching.provider_match(request.user, pk)
    if match is None:
        raise Http404
    if not matching.can_give_feedback(request.user, matching.target_of(match)):
        raise PermissionDenied
    value = _feedback_value(payload)
    tasks.give_feedback(
        matching.set_provider_feedback, user=request.user, match=match, feedback=value
    )
    saved = Match.objects.select_related("request").filter(pk=pk).first()
    return _target_match(request.user, saved or match, reader_for(request.user).is_staff)


# --- expressions of interest (market/api_interests.py) -----------------------------------------

router.add_router("/interests", "caunoi.market.api_interests.router")
