"""REST API for every registry entity: list with filters and pages, detail, create, update, delete.

Input is validated by the same forms as the UI and written by the same services.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from caunoi.accounts import permissions
from caunoi.core.errors import DomainError
from caunoi.registry import services
from caunoi.registry.entities import ENTITIES, Entity
from caunoi.registry.exports import export_value
from caunoi.registry.imports import row_to_form_data
from caunoi.registry.models import Agreement, Project
from caunoi.registry.selectors import record_list

router = Router(tags=["registry"])


# --- shared shapes --------------------------------------------------------------------------


class FieldRef(Schema):
    code: str
    slug: str
    name_vi: str
    name_en: str


class CountryRef(Schema):
    iso2: str
    name_vi: str
    name_en: str


class OrgRef(Schema):
    id: int
    key: str
    acronym: str
    name_vi: str
    name_en: str


class UnitRef(Schema):
    code: str
    name_vi: str


class RecordOut(Schema):
    id: int
    is_public: bool
    owner_unit: UnitRef
    fields: list[FieldRef]
    created_at: dt.datetime
    updated_at: dt.datetime


class ListParams(Schema):
    q: str | None = None
    status: str | None = None
    kind: str | None = None
    level: str | None = None
    direction: str | None = None
    public: str | None = None
    country: str | None = None
    field: str | None = None
    year: int | None = None
    sort: str | None = None


class RecordIn(Schema):
    fields: list[str] = []
    is_public: bool | None = None
    owner_unit: str | None = None


# --- entity shapes --------------------------------------------------------------------------


class OrganizationOut(RecordOut):
    key: str
    name_vi: str
    name_en: str
    acronym: str
    aliases: list[str]
    kind: str
    country: CountryRef | None
    parent_id: int | None
    website: str
    ror: str
    description: str


class OrganizationIn(RecordIn):
    key: str = ""
    name_vi: str
    name_en: str = ""
    acronym: str = ""
    aliases: list[str] = []
    kind: str
    country: str | None = None
    parent: int | None = None
    website: str = ""
    ror: str = ""
    description: str = ""


class PartyOut(Schema):
    side: str
    country: CountryRef | None
    organization: OrgRef | None


class PartyIn(Schema):
    side: str
    country: str | None = None
    organization: str | None = None


class DocumentOut(Schema):
    id: int
    title: str
    content_type: str
    size: int


class AgreementOut(RecordOut):
    title_vi: str
    title_en: str
    kind: str
    level: str
    status: str
    signed_on: dt.date | None
    signed_place: str
    effective_on: dt.date | None
    expires_on: dt.date | None
    auto_renew: bool
    summary: str
    obligations: str
    legal_basis: str
    parties: list[PartyOut]
    documents: list[DocumentOut]


class AgreementIn(RecordIn):
    title_vi: str
    title_en: str = ""
    kind: str
    level: str
    status: str | None = None
    signed_on: dt.date | None = None
    signed_place: str = ""
    effective_on: dt.date | None = None
    expires_on: dt.date | None = None
    auto_renew: bool = False
    summary: str = ""
    obligations: str = ""
    legal_basis: str = ""
    parties: list[PartyIn] = []


class TransitionIn(Schema):
    status: str
    expires_on: dt.date | None = None  # the new expiry date, required to renew


class MembershipOut(RecordOut):
    organization: OrgRef
    status: str
    since: dt.date | None
    focal_unit: UnitRef | None
    annual_fee: Decimal | None
    currency: str
    obligations: str


class MembershipIn(RecordIn):
    organization: str
    status: str = "active"
    since: dt.date | None = None
    focal_unit: int | None = None
    annual_fee: Decimal | None = None
    currency: str = ""
    obligations: str = ""


class ParticipantOut(Schema):
    organization: OrgRef
    role: str


class ProjectOut(RecordOut):
    title_vi: str
    title_en: str
    code: str
    kind: str
    status: str
    lead_organization: OrgRef | None
    funder: OrgRef | None
    agreement_id: int | None
    budget: Decimal | None
    currency: str
    planned_start: dt.date | None
    planned_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    description: str
    outputs: str
    participants: list[ParticipantOut]


class ProjectIn(RecordIn):
    title_vi: str
    title_en: str = ""
    code: str = ""
    kind: str
    status: str = "pipeline"
    lead_organization: str | None = None
    funder: str | None = None
    agreement: int | None = None
    budget: Decimal | None = None
    currency: str = ""
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    description: str = ""
    outputs: str = ""
    participants: list[str] = []


class DelegationOut(RecordOut):
    title_vi: str
    title_en: str
    direction: str
    purpose: str
    members_count: int
    start_on: dt.date
    end_on: dt.date
    countries: list[CountryRef]
    host: str
    agreement_id: int | None
    project_id: int | None
    trip_report: str


class DelegationIn(RecordIn):
    title_vi: str
    title_en: str = ""
    direction: str
    purpose: str = ""
    members_count: int = 1
    start_on: dt.date
    end_on: dt.date
    countries: list[str] = []
    host: str = ""
    agreement: int | None = None
    project: int | None = None
    trip_report: str = ""


class EventOut(RecordOut):
    title_vi: str
    title_en: str
    kind: str
    start_on: dt.date
    end_on: dt.date
    city: str
    country: CountryRef | None
    organizer: str
    url: str
    description: str


class EventIn(RecordIn):
    title_vi: str
    title_en: str = ""
    kind: str
    start_on: dt.date
    end_on: dt.date
    city: str = ""
    country: str | None = None
    organizer: str = ""
    url: str = ""
    description: str = ""


class RepresentativeOut(RecordOut):
    post: str
    country: CountryRef
    person: str
    email: str
    phone: str
    coverage: list[CountryRef]
    since: dt.date | None
    until: dt.date | None


class RepresentativeIn(RecordIn):
    post: str
    country: str
    person: str = ""
    email: str = ""
    phone: str = ""
    coverage: list[str] = []
    since: dt.date | None = None
    until: dt.date | None = None


# --- input to form data ---------------------------------------------------------------------


def _raw_from_payload(entity: Entity, payload: dict[str, Any]) -> dict[str, Any]:
    """Bring an API payload to the cell format import reads (keys, ISO codes, slugs)."""
    raw: dict[str, Any] = {}
    for name, value in payload.items():
        if name == "parties":
            for side, column in (("foreign", "foreign_parties"), ("vn", "vietnamese_parties")):
                raw[column] = "; ".join(
                    (p.get("country") or p.get("organization") or "")
                    for p in value or []
                    if p.get("side") == side
                )
        elif name == "is_public":
            if value is not None:
                raw["is_public"] = "1" if value else "0"
        elif name == "owner_unit":
            if value:
                from caunoi.accounts.models import Unit

                unit = Unit.objects.filter(code=value).first()
                if unit is None:
                    message = _("Unknown unit “%s”.") % value
                    raise DomainError(message, errors={"owner_unit": [message]})
                raw["owner_unit"] = str(unit.pk)
        elif isinstance(value, list):
            raw[name] = "; ".join(str(v) for v in value)
        elif value is None:
            raw[name] = ""
        elif isinstance(value, bool):
            raw[name] = "1" if value else "0"
        else:
            raw[name] = value
    return raw


def _save_from_payload(
    request: HttpRequest, entity: Entity, instance: Any, payload: dict[str, Any]
) -> Any:
    raw = _raw_from_payload(entity, payload)
    data, ref_errors = row_to_form_data(entity, raw, _lookups())
    if entity.model is Agreement and instance.pk is not None:
        wanted = payload.get("status")
        if wanted and wanted != instance.status:
            message = _("Change the status with POST /agreements/{id}/transition.")
            raise DomainError(message, errors={"status": [message]})
    if entity.model is Agreement and instance.pk is None:
        # Status is set on creation only (later changes are transitions); default: negotiating.
        data["status"] = payload.get("status") or Agreement.Status.NEGOTIATING
    if "is_public" in raw:
        data["is_public"] = "on" if raw["is_public"] == "1" else ""
    form = entity.form(data=data, instance=instance, user=request.user)  # type: ignore[arg-type]
    errors: dict[str, list[str]] = {}
    for name, message in ref_errors:
        errors.setdefault(name, []).append(message)
    if not form.is_valid():
        for name, messages in form.errors.items():
            errors.setdefault(name, []).extend(str(m) for m in messages)
    if errors:
        raise DomainError(_("The record is not valid."), errors=errors)
    return entity.save(request.user, instance, form)  # type: ignore[arg-type]


def _lookups() -> Any:
    from caunoi.registry.imports import _Lookups

    return _Lookups()


def _current_payload(entity: Entity, record: Any) -> dict[str, Any]:
    """The record as an input payload, so PATCH can overlay only what the caller sends."""
    payload: dict[str, Any] = {}
    for f in entity.form._meta.fields or []:
        if f == "owner_unit":
            payload[f] = record.owner_unit.code
            continue
        if f == "is_public":
            payload[f] = record.is_public
            continue
        value = export_value(record, f)
        payload[f] = value
    if isinstance(record, Project):
        payload["participants"] = export_value(record, "participants")
    if isinstance(record, Agreement):
        payload["parties"] = [
            {
                "side": p.side,
                "country": p.country_id,
                "organization": p.organization.key if p.organization else None,
            }
            for p in record.parties.all()
        ]
        payload.pop("status", None)
    return payload


# --- routes ---------------------------------------------------------------------------------


def _register(path: str, entity: Entity, out: type[Schema], inp: type[Schema]) -> None:
    name = entity.model._meta.model_name

    @router.get(f"/{path}", response=list[out], operation_id=f"{name}_list")  # type: ignore[valid-type]
    @paginate(PageNumberPagination, page_size=25)
    def list_records(request: HttpRequest, filters: Query[ListParams]) -> Any:
        params = {k: str(v) for k, v in filters.dict().items() if v not in (None, "")}
        qs, _applied = record_list(entity=entity, user=request.user, params=params)
        return qs

    @router.get(f"/{path}/{{int:pk}}", response=out, operation_id=f"{name}_get")
    def get_record(request: HttpRequest, pk: int) -> Any:
        return permissions.access_record(request.user, entity.base_queryset(), pk)

    @router.post(f"/{path}", response={201: out}, operation_id=f"{name}_create")
    def create_record(request: HttpRequest, payload: inp) -> Any:  # type: ignore[valid-type]
        if not permissions.can_create(request.user):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        record = _save_from_payload(request, entity, entity.model(), payload.dict())  # type: ignore[attr-defined]
        return Status(201, entity.base_queryset().get(pk=record.pk))

    @router.put(f"/{path}/{{int:pk}}", response=out, operation_id=f"{name}_update")
    def update_record(request: HttpRequest, pk: int, payload: inp) -> Any:  # type: ignore[valid-type]
        record = permissions.access_record(request.user, entity.base_queryset(), pk, write=True)
        _save_from_payload(request, entity, record, payload.dict())  # type: ignore[attr-defined]
        return entity.base_queryset().get(pk=pk)

    @router.patch(f"/{path}/{{int:pk}}", response=out, operation_id=f"{name}_patch")
    def patch_record(request: HttpRequest, pk: int, payload: Body[dict[str, Any]]) -> Any:
        record = permissions.access_record(request.user, entity.base_queryset(), pk, write=True)
        merged = _current_payload(entity, record)
        allowed = set(inp.model_fields)
        unknown = sorted(set(payload) - allowed)
        if unknown:
            raise DomainError(
                _("Unknown fields."), errors={name: [_("Unknown field.")] for name in unknown}
            )
        merged.update(payload)
        _save_from_payload(request, entity, record, merged)
        return entity.base_queryset().get(pk=pk)

    @router.delete(f"/{path}/{{int:pk}}", response={204: None}, operation_id=f"{name}_delete")
    def delete_record(request: HttpRequest, pk: int) -> Any:
        record = permissions.access_record(request.user, entity.base_queryset(), pk, write=True)
        services.record_delete(user=request.user, instance=record)  # type: ignore[arg-type]
        return Status(204, None)


_register("partners", ENTITIES["partners"], OrganizationOut, OrganizationIn)
_register("agreements", ENTITIES["agreements"], AgreementOut, AgreementIn)
_register("memberships", ENTITIES["memberships"], MembershipOut, MembershipIn)
_register("projects", ENTITIES["projects"], ProjectOut, ProjectIn)
_register("delegations", ENTITIES["delegations"], DelegationOut, DelegationIn)
_register("events", ENTITIES["events"], EventOut, EventIn)
_register("representatives", ENTITIES["representatives"], RepresentativeOut, RepresentativeIn)


@router.post(
    "/agreements/{int:pk}/transition", response=AgreementOut, operation_id="agreement_transition"
)
def transition_agreement(request: HttpRequest, pk: int, payload: TransitionIn) -> Any:
    agreement = permissions.access_record(
        request.user, ENTITIES["agreements"].base_queryset(), pk, write=True
    )
    services.agreement_transition(
        user=request.user,  # type: ignore[arg-type]
        agreement=agreement,
        to_status=payload.status,
        expires_on=payload.expires_on,
    )
    return ENTITIES["agreements"].base_queryset().get(pk=pk)
