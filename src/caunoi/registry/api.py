"""REST API for every registry entity: list with filters and pages, detail, create, replace,
change, delete, and agreement transitions.

Payloads are validated by the typed schemas (`registry/schemas.py`), their natural keys are
resolved here, and the services write them (and enforce the business rules, as for the UI
and imports).
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from caunoi.accounts import permissions
from caunoi.accounts.models import Unit, User
from caunoi.core.api_errors import errors
from caunoi.core.errors import DomainError
from caunoi.core.pagination import Pages
from caunoi.core.versioning import etag, if_match_version
from caunoi.registry import rules, services
from caunoi.registry import schemas as s
from caunoi.registry.entities import ENTITIES, Entity
from caunoi.registry.models import Agreement, Organization, Project
from caunoi.registry.selectors import record_for_user, record_list
from caunoi.taxonomy.models import Country, Field

router = Router()

_ERRORS = errors(400, 404)
_WRITE_ERRORS = errors(400, 404, 412, 428)


# --- optimistic concurrency: ETag / If-Match ------------------------------------------------


_IF_MATCH_NOTE = (
    "Send the record's `ETag` (from `GET`, or from the response of the last write) in "
    "`If-Match`: when the record has changed since, the write is refused with 412 and the "
    "saved values of the fields that differ, and nothing is written."
)
_IF_MATCH_REQUIRED = f"{_IF_MATCH_NOTE} Without `If-Match` the write is refused with 428."


# --- payload to service arguments -----------------------------------------------------------


@dataclass
class _Input:
    """A payload with its references resolved, as the services take it."""

    data: dict[str, Any] = field(default_factory=dict)
    m2m: dict[str, list[Any]] = field(default_factory=dict)
    parties: list[rules.Party] | None = None
    partners: list[Organization] | None = None
    errors: rules.Errors = field(default_factory=dict)

    def error(self, path: str, message: str) -> None:
        rules.merge(self.errors, {path: [message]})


def _organization(inp: _Input, path: str, ref: int | str) -> Organization | None:
    lookup = {"pk": ref} if isinstance(ref, int) else {"key": ref}
    found = Organization.objects.filter(**lookup).first()
    if found is None:
        inp.error(path, _("Unknown organisation key “%s”.") % ref)
    return found


def _country(inp: _Input, path: str, code: str) -> Country | None:
    found = Country.objects.filter(pk=code).first()
    if found is None:
        inp.error(path, _("Unknown country code “%s”.") % code)
    return found


def _unit(inp: _Input, path: str, ref: int | str) -> Unit | None:
    lookup = {"pk": ref} if isinstance(ref, int) else {"code": ref}
    found = Unit.objects.filter(**lookup).first()
    if found is None:
        inp.error(path, _("Unknown unit “%s”.") % ref)
    return found


def _record(inp: _Input, path: str, model: type[models.Model], pk: int) -> Any:
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        inp.error(
            path, _("No %(kind)s with id %(id)d.") % {"kind": model._meta.verbose_name, "id": pk}
        )
    return found


def _fields(inp: _Input, tokens: list[str]) -> list[Field]:
    found = {}
    for f in Field.objects.filter(slug__in=tokens) | Field.objects.filter(code__in=tokens):
        found[f.slug] = found[f.code] = f
    for index, token in enumerate(tokens):
        if token not in found:
            inp.error(f"fields.{index}", _("Unknown field of S&T “%s”.") % token)
    return list({found[t].pk: found[t] for t in tokens if t in found}.values())


def _translate(entity: Entity, payload: dict[str, Any]) -> _Input:
    """Resolve every natural key of a validated payload, collecting every unknown one."""
    model = entity.model
    inp = _Input()
    for name, value in payload.items():
        if name == "fields":
            inp.m2m["fields"] = _fields(inp, value)
        elif name in ("countries", "coverage"):
            found = [_country(inp, f"{name}.{i}", code) for i, code in enumerate(value)]
            inp.m2m[name] = list(dict.fromkeys(c for c in found if c is not None))
        elif name == "parties":
            inp.parties = []
            for i, party in enumerate(value):
                country, organization = party.get("country"), party.get("organization")
                inp.parties.append(
                    (
                        party["side"],
                        None if country is None else _country(inp, f"parties.{i}.country", country),
                        None
                        if organization is None
                        else _organization(inp, f"parties.{i}.organization", organization),
                    )
                )
        elif name == "participants":
            found_orgs = [_organization(inp, f"participants.{i}", r) for i, r in enumerate(value)]
            inp.partners = list(dict.fromkeys(o for o in found_orgs if o is not None))
        elif name == "aliases":
            inp.data["aliases"] = list(dict.fromkeys(a.strip() for a in value if a.strip()))
        elif value is None and name in ("is_public", "owner_unit", "status", "key"):
            continue  # omitted: unchanged (on creation: the default)
        elif name == "owner_unit":
            inp.data[name] = _unit(inp, name, value)
        else:
            model_field = model._meta.get_field(name)
            target = model_field.related_model if model_field.many_to_one else None
            if target is None or value is None:
                inp.data[name] = value
            elif target is Organization:
                inp.data[name] = _organization(inp, name, value)
            elif target is Country:
                inp.data[name] = _country(inp, name, value)
            elif target is Unit:
                inp.data[name] = _unit(inp, name, value)
            else:
                inp.data[name] = _record(inp, name, target, value)
    return inp


def _written(entity: Entity, pk: int, response: HttpResponse) -> Any:
    """The record as written, with its new `ETag`."""
    record = entity.base_queryset().get(pk=pk)
    response["ETag"] = etag(record)
    return record


def _save(
    request: HttpRequest,
    entity: Entity,
    instance: Any,
    payload: dict[str, Any],
    expected_version: int | None = None,
) -> Any:
    user: User = request.user  # type: ignore[assignment]
    inp = _translate(entity, payload)
    if inp.errors:
        # Unknown references are reported together with every other error of the record.
        roots = {path.split(".")[0] for path in inp.errors}
        known = {k: v for k, v in inp.data.items() if k not in roots}
        if isinstance(instance, Agreement):
            parties = None if "parties" in roots else inp.parties
            others = services.agreement_errors(
                user=user, agreement=instance, data=known, parties=parties
            )
        else:
            others = services.record_errors(user=user, instance=instance, data=known)
        others = {k: v for k, v in others.items() if k not in roots}
        raise DomainError(_("The record is not valid."), errors=rules.merge(inp.errors, others))
    if isinstance(instance, Agreement):
        return services.agreement_save(
            user=user,
            agreement=instance,
            data=inp.data,
            fields=inp.m2m.get("fields"),
            parties=inp.parties,
            expected_version=expected_version,
        )
    if isinstance(instance, Project):
        return services.project_save(
            user=user,
            project=instance,
            data=inp.data,
            fields=inp.m2m.get("fields"),
            partners=inp.partners,
            expected_version=expected_version,
        )
    return services.record_save(
        user=user,
        instance=instance,
        data=inp.data,
        m2m=inp.m2m,
        expected_version=expected_version,
    )


# --- routes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Names:
    """English names of an entity for OpenAPI summaries."""

    one: str  # "an agreement"
    plural: str  # "agreements"


def _register(
    entity: Entity,
    names: _Names,
    out: type[Schema],
    inp: type[Schema],
    patch: type[Schema],
    notes: str = "",
) -> None:
    path = entity.slug
    name = entity.model._meta.model_name
    filters = s.filters_of(entity, f"{entity.model.__name__}Filters")
    tags = [path]
    notes = f"\n\n{notes}" if notes else ""

    @router.get(
        f"/{path}",
        response={200: list[out], **errors(429)},  # type: ignore[valid-type]
        operation_id=f"{name}_list",
        summary=f"List {names.plural}",
        description=f"The {names.plural} the caller may see (anonymous callers: published "
        "ones only), filtered, sorted and paged (`page` from 1, `page_size` up to 100).",
        tags=tags,
    )
    @paginate(Pages, page_size=25)
    def list_records(request: HttpRequest, params: Query[filters]) -> Any:  # type: ignore[valid-type]
        values = params.dict(exclude_none=True)  # type: ignore[attr-defined]
        qs, _applied = record_list(
            entity=entity, user=request.user, params={k: str(v) for k, v in values.items()}
        )
        return qs

    @router.get(
        f"/{path}/{{int:pk}}",
        response={200: out, **_ERRORS},
        operation_id=f"{name}_get",
        summary=f"Get {names.one}",
        description="One record; 404 when it does not exist or the caller may not see it. "
        "The `ETag` header (and `version` in the body) identify this version of the record, "
        "for `If-Match` on later writes.",
        tags=tags,
    )
    def get_record(request: HttpRequest, pk: int, response: HttpResponse) -> Any:
        record = record_for_user(entity, request.user, pk)
        response["ETag"] = etag(record)
        return record

    @router.post(
        f"/{path}",
        response={201: out, **_ERRORS},
        operation_id=f"{name}_create",
        summary=f"Create {names.one}",
        description="Administrators and unit officers. 201 with the record; 422 when the "
        "payload does not match the schema, 400 when a reference is unknown or a rule is "
        f"broken, naming every bad field.{notes}",
        tags=tags,
    )
    def create_record(request: HttpRequest, payload: inp) -> Any:  # type: ignore[valid-type]
        if not permissions.can_create(request.user):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        record = _save(request, entity, entity.model(), payload.dict())  # type: ignore[attr-defined]
        return Status(201, entity.base_queryset().get(pk=record.pk))

    @router.put(
        f"/{path}/{{int:pk}}",
        response={200: out, **_WRITE_ERRORS},
        operation_id=f"{name}_update",
        summary=f"Replace {names.one}",
        description="Replaces the record with the payload: a field left out takes its "
        "default (empty lists clear links); `is_public`, `owner_unit` left out stay as they "
        f"are.\n\n{_IF_MATCH_REQUIRED}{notes}",
        tags=tags,
    )
    def update_record(request: HttpRequest, pk: int, payload: inp, response: HttpResponse) -> Any:  # type: ignore[valid-type]
        record = record_for_user(entity, request.user, pk, write=True)
        expected = if_match_version(request, record, required=True)
        _save(request, entity, record, payload.dict(), expected)  # type: ignore[attr-defined]
        return _written(entity, pk, response)

    @router.patch(
        f"/{path}/{{int:pk}}",
        response={200: out, **_WRITE_ERRORS},
        operation_id=f"{name}_patch",
        summary=f"Change fields of {names.one}",
        description="Writes only the fields sent, validated as on creation; a list sent "
        "(fields, parties, participants, countries) replaces the whole list."
        f"\n\n{_IF_MATCH_REQUIRED}{notes}",
        tags=tags,
    )
    def patch_record(request: HttpRequest, pk: int, payload: patch, response: HttpResponse) -> Any:  # type: ignore[valid-type]
        record = record_for_user(entity, request.user, pk, write=True)
        expected = if_match_version(request, record, required=True)
        _save(request, entity, record, payload.dict(exclude_unset=True), expected)  # type: ignore[attr-defined]
        return _written(entity, pk, response)

    @router.delete(
        f"/{path}/{{int:pk}}",
        response={204: None, **_WRITE_ERRORS},
        operation_id=f"{name}_delete",
        summary=f"Delete {names.one}",
        description=f"204; 400 when other records still refer to it.\n\n{_IF_MATCH_REQUIRED}",
        tags=tags,
    )
    def delete_record(request: HttpRequest, pk: int) -> Any:
        record = record_for_user(entity, request.user, pk, write=True)
        expected = if_match_version(request, record, required=True)
        services.record_delete(
            user=request.user,  # type: ignore[arg-type]
            instance=record,
            expected_version=expected,
        )
        return Status(204, None)


_AGREEMENT_NOTES = (
    "`status` is set on creation only (default `negotiating`; any other needs `signed_on`); "
    "afterwards it changes through `POST /agreements/{id}/transition`."
)

_register(
    ENTITIES["partners"],
    _Names("a partner organisation", "partner organisations"),
    s.OrganizationOut,
    s.OrganizationIn,
    s.OrganizationPatch,
)
_register(
    ENTITIES["agreements"],
    _Names("an agreement", "agreements"),
    s.AgreementOut,
    s.AgreementIn,
    s.AgreementPatch,
    _AGREEMENT_NOTES,
)
_register(
    ENTITIES["memberships"],
    _Names("a membership", "memberships"),
    s.MembershipOut,
    s.MembershipIn,
    s.MembershipPatch,
)
_register(
    ENTITIES["projects"],
    _Names("a cooperation project", "cooperation projects"),
    s.ProjectOut,
    s.ProjectIn,
    s.ProjectPatch,
    "The funder is kept as a `funding` participant; `participants` are the implementing ones.",
)
_register(
    ENTITIES["delegations"],
    _Names("a delegation", "delegations"),
    s.DelegationOut,
    s.DelegationIn,
    s.DelegationPatch,
)
_register(ENTITIES["events"], _Names("an event", "events"), s.EventOut, s.EventIn, s.EventPatch)
_register(
    ENTITIES["representatives"],
    _Names("an S&T representative post", "S&T representative posts"),
    s.RepresentativeOut,
    s.RepresentativeIn,
    s.RepresentativePatch,
)


@router.post(
    "/agreements/{int:pk}/transition",
    response={200: s.AgreementOut, **_WRITE_ERRORS},
    operation_id="agreement_transition",
    summary="Change the status of an agreement",
    description="Moves the agreement along its lifecycle; a change the lifecycle does not "
    f"allow is a 400 naming `status`.\n\n{_IF_MATCH_NOTE} `If-Match` is optional here: "
    "without it the change applies to the current version.",
    tags=["agreements"],
)
def transition_agreement(
    request: HttpRequest, pk: int, payload: s.TransitionIn, response: HttpResponse
) -> Any:
    agreement = record_for_user(ENTITIES["agreements"], request.user, pk, write=True)
    services.agreement_transition(
        user=request.user,  # type: ignore[arg-type]
        agreement=agreement,
        to_status=payload.status,
        expires_on=payload.expires_on,
        expected_version=if_match_version(request, agreement, required=False),
    )
    return _written(ENTITIES["agreements"], pk, response)
