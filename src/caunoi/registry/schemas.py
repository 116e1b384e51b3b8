"""The registry API's typed shapes: what each endpoint reads (In, Patch, filters) and returns (Out).

Choices come from the models' TextChoices and lengths from the models' fields, so OpenAPI
lists the allowed values and bounds and a payload that breaks them is refused before any
service runs. References use natural keys: organisations by `key` or id, countries by ISO
alpha-2 code, fields of S&T by slug or code, units by code or id, agreements and projects
by id.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from django.db import models
from django.utils import translation
from ninja import Schema
from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    create_model,
    field_validator,
)
from pydantic_core import PydanticCustomError

from caunoi.registry import selectors
from caunoi.registry.entities import Entity
from caunoi.registry.models import (
    Agreement,
    AgreementParty,
    Delegation,
    Event,
    Membership,
    Organization,
    Project,
    ProjectParticipant,
    Representative,
)
from caunoi.registry.models.base import CURRENCY_CHOICES, MONEY_LIMIT


def one_of(values: Iterable[str]) -> Any:
    """A Literal of these values: validated, and listed as an enum in OpenAPI."""
    return Literal[tuple(values)]


if TYPE_CHECKING:  # to the type checker, plain strings
    OrganizationKind: TypeAlias = str
    AgreementKind: TypeAlias = str
    AgreementLevel: TypeAlias = str
    AgreementStatus: TypeAlias = str
    PartySide: TypeAlias = str
    MembershipStatus: TypeAlias = str
    ProjectKind: TypeAlias = str
    ProjectStatus: TypeAlias = str
    ParticipantRole: TypeAlias = str
    DelegationDirection: TypeAlias = str
    EventKind: TypeAlias = str
    Currency: TypeAlias = str
else:
    OrganizationKind = one_of(Organization.Kind.values)
    AgreementKind = one_of(Agreement.Kind.values)
    AgreementLevel = one_of(Agreement.Level.values)
    AgreementStatus = one_of(Agreement.Status.values)
    PartySide = one_of(AgreementParty.Side.values)
    MembershipStatus = one_of(Membership.Status.values)
    ProjectKind = one_of(Project.Kind.values)
    ProjectStatus = one_of(Project.Status.values)
    ParticipantRole = one_of(ProjectParticipant.Role.values)
    DelegationDirection = one_of(Delegation.Direction.values)
    EventKind = one_of(Event.Kind.values)
    Currency = one_of(["", *(code for code, _label in CURRENCY_CHOICES)])


def text(model: type[models.Model], name: str, *, required: bool = False) -> Any:
    """The bounds of a model's text field (`Annotated` metadata): its max_length, and at
    least one character when the field is required."""
    field = model._meta.get_field(name)
    return Field(min_length=1 if required else None, max_length=getattr(field, "max_length", None))


def money(model: type[models.Model], name: str) -> Any:
    field = model._meta.get_field(name)
    return Field(
        ge=0,
        le=MONEY_LIMIT,
        max_digits=getattr(field, "max_digits", None),
        decimal_places=getattr(field, "decimal_places", None),
    )


def _key_or_id(value: Any) -> int | str:
    if isinstance(value, str) and value.strip():
        key = value.strip()
        if len(key) > 80:
            raise PydanticCustomError("string_too_long", "Too long", {"max_length": 80})
        return key
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 1:
            raise PydanticCustomError("greater_than_equal", "Too small", {"ge": 1})
        return value
    raise PydanticCustomError("key_or_id", "Expected a key (text) or an id (number)")


def _iso2(value: str) -> str:
    if not (len(value) == 2 and value.isascii() and value.isalpha()):
        raise PydanticCustomError("country_code", "Expected a two-letter ISO country code")
    return value.upper()


# An organisation (or a unit) named by its key (code), or by its id.
KeyOrId = Annotated[
    int | str,
    PlainValidator(
        _key_or_id,
        json_schema_input_type=Annotated[str, Field(max_length=80)] | Annotated[int, Field(ge=1)],
    ),
]
CountryCode = Annotated[
    str, Field(min_length=2, max_length=2, examples=["KR"]), AfterValidator(_iso2)
]
CountryCodes = Annotated[
    str, Field(pattern=r"^[A-Za-z]{2}(,[A-Za-z]{2}){0,9}$", examples=["KR", "KR,JP"])
]
FieldKey = Annotated[str, Field(min_length=1, max_length=80, examples=["semiconductors", "1.3"])]
RecordId = Annotated[int, Field(ge=1)]


def _no_nul(value: Any) -> Any:
    """A NUL character in any text (or list of texts): PostgreSQL cannot store it, not even
    compare it in a lookup."""
    if isinstance(value, str) and "\x00" in value:
        raise PydanticCustomError("nul_character", "Contains a NUL character")
    if isinstance(value, list):
        for item in value:
            _no_nul(item)
    return value


class InputSchema(Schema):
    """Input refuses keys it does not know, so a misspelt field is an error, not a no-op, and
    refuses a NUL character in any text."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        return _no_nul(value)


def patch_of(schema: type[Schema], name: str) -> type[Schema]:
    """The PATCH shape of an input schema: the same fields with the same types and bounds,
    none required; only the fields sent are written (`exclude_unset`)."""
    fields: dict[str, Any] = {}
    for field_name, info in schema.model_fields.items():
        optional = copy.copy(info)
        optional.default = None
        optional.default_factory = None
        optional._attributes_set = {**info._attributes_set, "default": None}
        fields[field_name] = (info.annotation, optional)
    patch: type[Schema] = create_model(
        name, __base__=InputSchema, __doc__=f"Any subset of {schema.__name__}.", **fields
    )
    return patch


# --- errors ---------------------------------------------------------------------------------


# --- references in output -------------------------------------------------------------------


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
    """An organisation. One the caller may not read is `{"id": null, "key": "", "acronym":
    "", "name_vi": "(không công khai)", "name_en": "(not public)"}`: that there is one, never
    which."""

    id: int | None
    key: str
    acronym: str
    name_vi: str
    name_en: str


def _reader(context: Any) -> Any:
    request = (context or {}).get("request")
    return selectors.as_reader(getattr(request, "user", None))


def _org_ref(context: Any, org: Organization | None) -> Any:
    """An organisation as the caller may see it: itself, the placeholder, or None."""
    if org is None or selectors.ref_visible(_reader(context), org):
        return org
    with translation.override("vi"):
        name_vi = str(selectors.NOT_PUBLIC)
    with translation.override("en"):
        name_en = str(selectors.NOT_PUBLIC)
    return {"id": None, "key": "", "acronym": "", "name_vi": name_vi, "name_en": name_en}


def _ref_id(context: Any, obj: models.Model | None) -> int | None:
    """The id of a referenced record, or None when there is none or the caller may not
    read it."""
    return obj.pk if obj is not None and selectors.ref_visible(_reader(context), obj) else None


class UnitRef(Schema):
    code: str
    name_vi: str


class RecordOut(Schema):
    id: int
    version: int = Field(
        description="Raised by one on every change; the `ETag` of the record is built from "
        "it. Send that ETag back in `If-Match` when you change or delete the record."
    )
    is_public: bool
    owner_unit: UnitRef
    fields: list[FieldRef]
    created_at: dt.datetime
    updated_at: dt.datetime


class RecordIn(InputSchema):
    fields: list[FieldKey] = Field(
        default=[], max_length=100, description="Fields of S&T by slug or code."
    )
    is_public: StrictBool | None = Field(
        default=None,
        description="Administrators only (ignored for others). Omitted: unchanged; new "
        "records start internal.",
    )
    owner_unit: KeyOrId | None = Field(
        default=None,
        description="Unit code; administrators only. Omitted: unchanged; new records belong "
        "to the administrator's unit.",
    )


# --- partners -------------------------------------------------------------------------------


class OrganizationOut(RecordOut):
    key: str
    name_vi: str
    name_en: str
    acronym: str
    aliases: list[str]
    kind: OrganizationKind
    country: CountryRef | None
    parent_id: int | None = Field(description="Null when none or not readable by the caller.")
    website: str
    ror: str
    description: str

    @staticmethod
    def resolve_parent_id(obj: Organization, context: Any) -> int | None:
        return _ref_id(context, obj.parent)


class OrganizationIn(RecordIn):
    key: Annotated[str, text(Organization, "key")] | None = Field(
        default=None,
        description="Omitted or empty on creation: made from the acronym or name. Omitted "
        "on update: unchanged.",
    )
    name_vi: Annotated[str, text(Organization, "name_vi", required=True)]
    name_en: Annotated[str, text(Organization, "name_en")] = ""
    acronym: Annotated[str, text(Organization, "acronym")] = ""
    aliases: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        default=[], max_length=50, description="Other names, each kept whole."
    )
    kind: OrganizationKind
    country: CountryCode | None = None
    parent: KeyOrId | None = Field(default=None, description="Parent organisation, key or id.")
    website: Annotated[str, text(Organization, "website")] = ""
    ror: Annotated[str, text(Organization, "ror")] = ""
    description: str = ""


# --- agreements -----------------------------------------------------------------------------


class PartyOut(Schema):
    side: PartySide
    country: CountryRef | None
    organization: OrgRef | None

    @staticmethod
    def resolve_organization(obj: AgreementParty, context: Any) -> Any:
        return _org_ref(context, obj.organization)


class PartyIn(InputSchema):
    """One signatory: a state (`country`) or an organisation (`organization`), not both."""

    side: PartySide
    country: CountryCode | None = None
    organization: KeyOrId | None = Field(default=None, description="Organisation key or id.")


class DocumentOut(Schema):
    id: int
    title: str
    content_type: str
    size: int


class AgreementOut(RecordOut):
    title_vi: str
    title_en: str
    kind: AgreementKind
    level: AgreementLevel
    status: AgreementStatus
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
    title_vi: Annotated[str, text(Agreement, "title_vi", required=True)]
    title_en: Annotated[str, text(Agreement, "title_en")] = ""
    kind: AgreementKind
    level: AgreementLevel
    status: AgreementStatus | None = Field(
        default=None,
        description="On creation only (default `negotiating`); afterwards only the current "
        "status is accepted: changes go through the transition endpoint.",
    )
    signed_on: dt.date | None = None
    signed_place: Annotated[str, text(Agreement, "signed_place")] = ""
    effective_on: dt.date | None = None
    expires_on: dt.date | None = None
    auto_renew: StrictBool = False
    summary: str = ""
    obligations: str = ""
    legal_basis: Annotated[str, text(Agreement, "legal_basis")] = ""
    parties: list[PartyIn] = Field(
        default=[],
        max_length=100,
        description="At least one foreign party; the Vietnamese side (`vn`) names only "
        "Viet Nam (`VN`) or Vietnamese organisations.",
    )


class TransitionIn(InputSchema):
    status: AgreementStatus
    expires_on: dt.date | None = Field(
        default=None, description="The new expiry date: required to renew, later than today."
    )


# --- memberships ----------------------------------------------------------------------------


class MembershipOut(RecordOut):
    organization: OrgRef

    @staticmethod
    def resolve_organization(obj: Membership, context: Any) -> Any:
        return _org_ref(context, obj.organization)

    status: MembershipStatus
    since: dt.date | None
    focal_unit: UnitRef | None
    annual_fee: Decimal | None
    currency: Currency
    obligations: str


class MembershipIn(RecordIn):
    organization: KeyOrId = Field(
        description="An international or regional organisation, key or id."
    )
    status: MembershipStatus = Membership.Status.ACTIVE
    since: dt.date | None = None
    focal_unit: KeyOrId | None = Field(default=None, description="Unit code or id.")
    annual_fee: Annotated[Decimal, money(Membership, "annual_fee")] | None = None
    currency: Currency = Field(default="", description="Required with a fee.")
    obligations: str = ""


# --- projects -------------------------------------------------------------------------------


class ParticipantOut(Schema):
    organization: OrgRef
    role: ParticipantRole

    @staticmethod
    def resolve_organization(obj: ProjectParticipant, context: Any) -> Any:
        return _org_ref(context, obj.organization)


class ProjectOut(RecordOut):
    title_vi: str
    title_en: str
    code: str
    kind: ProjectKind
    status: ProjectStatus
    lead_organization: OrgRef | None
    funder: OrgRef | None
    agreement_id: int | None = Field(description="Null when none or not readable by the caller.")
    budget: Decimal | None
    currency: Currency
    planned_start: dt.date | None
    planned_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    description: str
    outputs: str
    participants: list[ParticipantOut]

    @staticmethod
    def resolve_lead_organization(obj: Project, context: Any) -> Any:
        return _org_ref(context, obj.lead_organization)

    @staticmethod
    def resolve_funder(obj: Project, context: Any) -> Any:
        return _org_ref(context, obj.funder)

    @staticmethod
    def resolve_agreement_id(obj: Project, context: Any) -> int | None:
        return _ref_id(context, obj.agreement)


class ProjectIn(RecordIn):
    title_vi: Annotated[str, text(Project, "title_vi", required=True)]
    title_en: Annotated[str, text(Project, "title_en")] = ""
    code: Annotated[str, text(Project, "code")] = ""
    kind: ProjectKind
    status: ProjectStatus = Project.Status.PIPELINE
    lead_organization: KeyOrId | None = Field(default=None, description="Key or id.")
    funder: KeyOrId | None = Field(
        default=None, description="Key or id; kept as the `funding` participant."
    )
    agreement: RecordId | None = Field(default=None, description="Agreement implemented, id.")
    budget: Annotated[Decimal, money(Project, "budget")] | None = None
    currency: Currency = Field(default="", description="Required with a budget.")
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    description: str = ""
    outputs: str = ""
    participants: list[KeyOrId] = Field(
        default=[], max_length=100, description="Implementing partners, keys or ids."
    )


# --- delegations, events, representatives ---------------------------------------------------


class DelegationOut(RecordOut):
    title_vi: str
    title_en: str
    direction: DelegationDirection
    purpose: str
    members_count: int
    start_on: dt.date
    end_on: dt.date
    countries: list[CountryRef]
    host: str
    agreement_id: int | None = Field(description="Null when none or not readable by the caller.")
    project_id: int | None = Field(description="Null when none or not readable by the caller.")
    trip_report: str

    @staticmethod
    def resolve_agreement_id(obj: Delegation, context: Any) -> int | None:
        return _ref_id(context, obj.agreement)

    @staticmethod
    def resolve_project_id(obj: Delegation, context: Any) -> int | None:
        return _ref_id(context, obj.project)


class DelegationIn(RecordIn):
    title_vi: Annotated[str, text(Delegation, "title_vi", required=True)]
    title_en: Annotated[str, text(Delegation, "title_en")] = ""
    direction: DelegationDirection
    purpose: str = ""
    members_count: Annotated[int, Field(ge=1, le=10_000)] = 1
    start_on: dt.date
    end_on: dt.date
    countries: list[CountryCode] = Field(default=[], max_length=250)
    host: Annotated[str, text(Delegation, "host")] = ""
    agreement: RecordId | None = None
    project: RecordId | None = None
    trip_report: str = ""


class EventOut(RecordOut):
    title_vi: str
    title_en: str
    kind: EventKind
    start_on: dt.date
    end_on: dt.date
    city: str
    country: CountryRef | None
    organizer: str
    url: str
    description: str


class EventIn(RecordIn):
    title_vi: Annotated[str, text(Event, "title_vi", required=True)]
    title_en: Annotated[str, text(Event, "title_en")] = ""
    kind: EventKind
    start_on: dt.date
    end_on: dt.date
    city: Annotated[str, text(Event, "city")] = ""
    country: CountryCode | None = None
    organizer: Annotated[str, text(Event, "organizer")] = ""
    url: Annotated[str, text(Event, "url")] = ""
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
    post: Annotated[str, text(Representative, "post", required=True)]
    country: CountryCode
    person: Annotated[str, text(Representative, "person")] = ""
    email: Annotated[str, text(Representative, "email")] = ""
    phone: Annotated[str, text(Representative, "phone")] = ""
    coverage: list[CountryCode] = Field(default=[], max_length=250)
    since: dt.date | None = None
    until: dt.date | None = None


OrganizationPatch = patch_of(OrganizationIn, "OrganizationPatch")
AgreementPatch = patch_of(AgreementIn, "AgreementPatch")
MembershipPatch = patch_of(MembershipIn, "MembershipPatch")
ProjectPatch = patch_of(ProjectIn, "ProjectPatch")
DelegationPatch = patch_of(DelegationIn, "DelegationPatch")
EventPatch = patch_of(EventIn, "EventPatch")
RepresentativePatch = patch_of(RepresentativeIn, "RepresentativePatch")


# --- list filters ---------------------------------------------------------------------------


def filters_of(entity: Entity, name: str) -> type[Schema]:
    """The query parameters of an entity's list: only the filters it has, choices as enums."""
    fields: dict[str, Any] = {
        "q": (
            Annotated[str, Field(max_length=500)] | None,
            Field(default=None, description="Words, through the search index."),
        )
    }
    for flt in entity.filters:
        values = [value for value, _label in flt.choices()] if flt.choices else None
        kind = one_of(values) if values else Annotated[str, Field(max_length=100)]
        description = (
            "`1` published, `0` internal."
            if flt.param == "public"
            else f"Only records with this `{flt.param}`."
        )
        fields[flt.param] = (kind | None, Field(default=None, description=description))
    if entity.country_lookups:
        fields["country"] = (
            CountryCodes | None,
            Field(
                default=None,
                description="Linked to this country (ISO alpha-2), or to each of several "
                "comma-separated ones (`KR,JP`).",
            ),
        )
    fields["field"] = (
        Annotated[str, Field(max_length=80)] | None,
        Field(default=None, description="Tagged with this field of S&T (slug) or a sub-field."),
    )
    if entity.date_field:
        fields["year"] = (
            Annotated[int, Field(ge=1, le=9999)] | None,
            Field(default=None, description=f"Year of `{entity.date_field}`."),
        )
    if entity.expiry_field:
        fields["expires"] = (
            Annotated[int, Field(ge=1, le=9999)] | None,
            Field(default=None, description=f"Year of `{entity.expiry_field}`."),
        )
    # a range of years, either end optional: ``year_from=2020&year_to=2023``
    for prefix, column in (("year", entity.date_field), ("expires", entity.expiry_field)):
        if not column:
            continue
        for suffix, word in (("_from", "From"), ("_to", "Up to")):
            fields[prefix + suffix] = (
                Annotated[int, Field(ge=1, le=9999)] | None,
                Field(default=None, description=f"{word} this year of `{column}` (inclusive)."),
            )
    if entity.signed_field:
        fields["signed"] = (
            Literal["1"] | None,
            Field(default=None, description=f"`1`: only records with a `{entity.signed_field}`."),
        )
    sorts = [c.name for c in entity.columns if c.sort]
    fields["sort"] = (
        one_of([*sorts, *(f"-{s}" for s in sorts)]) | None,
        Field(
            default=None,
            description=f"Column, `-` for descending; default `{entity.default_sort}`.",
        ),
    )
    filters: type[Schema] = create_model(name, __base__=Schema, **fields)
    return filters
