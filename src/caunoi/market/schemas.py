"""Typed API shapes of the marketplace (validated input, documented output)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from ninja import Schema
from pydantic import Field, PrivateAttr, ValidationError, model_validator

from caunoi.market.audience import requester_visible
from caunoi.market.models import (
    CEFR_LEVELS,
    Confidentiality,
    Cooperation,
    EnterpriseSize,
    Expert,
    ExpertCategory,
    Intermediary,
    IpStatus,
    Language,
    Match,
    ServiceKind,
    Stage,
    Status,
    TargetCompany,
    TechnologyOffer,
    TechnologyRequest,
)
from caunoi.registry.schemas import (
    CountryCode,
    FieldKey,
    InputSchema,
    RecordId,
    money,
    one_of,
    patch_of,
    text,
)

if TYPE_CHECKING:
    StatusValue: TypeAlias = str
    CooperationValue: TypeAlias = str
    StageValue: TypeAlias = str
    IpValue: TypeAlias = str
    LanguageValue: TypeAlias = str
    ConfidentialityValue: TypeAlias = str
    SizeValue: TypeAlias = str
    CefrValue: TypeAlias = str
    ExpertCategoryValue: TypeAlias = str
    ServiceKindValue: TypeAlias = str
    FeedbackValue: TypeAlias = str
else:
    StatusValue = one_of(Status.values)
    CooperationValue = one_of(Cooperation.values)
    StageValue = one_of(["", *Stage.values])
    IpValue = one_of(["", *IpStatus.values])
    LanguageValue = one_of(Language.values)
    ConfidentialityValue = one_of(Confidentiality.values)
    SizeValue = one_of(["", *EnterpriseSize.values])
    CefrValue = one_of(CEFR_LEVELS)
    ExpertCategoryValue = one_of(["", *ExpertCategory.values])
    ServiceKindValue = one_of(ServiceKind.values)
    FeedbackValue = one_of(Match.Feedback.values)

Trl = Annotated[int, Field(ge=1, le=9)]
ShortText = Annotated[str, Field(max_length=200)]


class OrganizationRef(Schema):
    id: int
    name_vi: str
    name_en: str


class MarketOut(Schema):
    id: int
    status: str
    version: int = Field(description="The `ETag` is built from it; send it in `If-Match`.")
    fields: list[str] = Field(description="Slugs of the fields and priority technologies.")
    owner_organization: OrganizationRef | None = Field(
        description="The owning organisation; null when none or not disclosed."
    )
    published_at: dt.datetime | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_fields(obj: Any) -> list[str]:
        return [f.slug for f in obj.fields.all()]


class OfferOut(MarketOut):
    title_vi: str
    title_en: str
    summary_vi: str
    summary_en: str
    description: str
    innovation: str
    stage: str
    trl: int | None
    ip_status: str
    patent_numbers: list[str]
    cooperation: list[str]
    country: str | None = Field(description="ISO 3166-1 alpha-2 of the owner's country.")
    keywords: list[str]
    source: str
    language: str
    valid_until: dt.date | None
    price_min: Decimal | None
    price_max: Decimal | None
    price_currency: str
    price_negotiable: bool
    needs_lab: bool
    needs_equipment: bool
    needs_staff: int | None
    needs_notes: str

    @staticmethod
    def resolve_country(obj: TechnologyOffer) -> str | None:
        return obj.country_id


class RequestOut(MarketOut):
    title_vi: str
    title_en: str
    summary_vi: str
    summary_en: str
    need: str
    purpose: str
    preferred_countries: list[str]
    preferred_owners: str
    characteristics: str
    cooperation: list[str]
    min_trl: int | None
    staff_count: int | None
    staff_qualifications: str
    equipment: str
    has_lab: bool | None
    budget_min: Decimal | None
    budget_max: Decimal | None
    currency: str
    prior_transfers: str
    province: str
    size: str
    sector: str
    deadline: dt.date | None
    confidentiality: str

    @staticmethod
    def resolve_owner_organization(obj: TechnologyRequest, context: Any) -> Any:
        request = (context or {}).get("request")
        if not requester_visible(getattr(request, "user", None), obj):
            return None
        return obj.owner_organization


class ExpertLanguage(Schema):
    language: Annotated[str, Field(min_length=2, max_length=12)]
    level: CefrValue


class ExpertOut(MarketOut):
    name: str
    category: str = Field(
        description="domestic, foreign or overseas_vn (overseas Vietnamese); empty: not stated."
    )
    profile: str
    affiliation: str
    country: str | None
    languages: list[ExpertLanguage]
    orcid: str
    availability: str

    @staticmethod
    def resolve_country(obj: Expert) -> str | None:
        return obj.country_id


class IntermediaryOut(MarketOut):
    name: str
    service_kinds: list[str] = Field(
        description="Kinds of service: " + ", ".join(ServiceKind.values)
    )
    services: str
    regions: list[str]
    fees: str
    country: str | None

    @staticmethod
    def resolve_country(obj: Intermediary) -> str | None:
        return obj.country_id


_O = TechnologyOffer
_R = TechnologyRequest


class OfferIn(InputSchema):
    title_vi: Annotated[str, text(_O, "title_vi")] = ""
    title_en: Annotated[str, text(_O, "title_en")] = ""
    summary_vi: Annotated[str, Field(max_length=10_000)] = ""
    summary_en: Annotated[str, Field(max_length=10_000)] = ""
    description: Annotated[str, Field(max_length=50_000)] = ""
    innovation: Annotated[str, Field(max_length=20_000)] = ""
    stage: StageValue = ""
    trl: Trl | None = None
    ip_status: IpValue = ""
    patent_numbers: list[ShortText] = Field(default=[], max_length=50)
    cooperation: list[CooperationValue] = Field(default=[], max_length=10)
    owner_organization: RecordId | None = Field(
        default=None, description="Id of a registry organisation you are a confirmed member of."
    )
    country: CountryCode | None = None
    keywords: list[ShortText] = Field(default=[], max_length=50)
    language: LanguageValue = "vi"
    valid_until: dt.date | None = None
    price_min: Annotated[Decimal, money(_O, "price_min")] | None = None
    price_max: Annotated[Decimal, money(_O, "price_max")] | None = None
    price_currency: Annotated[str, Field(max_length=3)] = "VND"
    price_negotiable: bool = False
    needs_lab: bool = False
    needs_equipment: bool = False
    needs_staff: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    needs_notes: Annotated[str, Field(max_length=10_000)] = ""
    fields: list[FieldKey] = Field(default=[], max_length=50)


class RequestIn(InputSchema):
    title_vi: Annotated[str, text(_R, "title_vi")] = ""
    title_en: Annotated[str, text(_R, "title_en")] = ""
    summary_vi: Annotated[str, Field(max_length=10_000)] = ""
    summary_en: Annotated[str, Field(max_length=10_000)] = ""
    need: Annotated[str, Field(min_length=1, max_length=20_000)]
    purpose: Annotated[str, Field(max_length=10_000)] = ""
    preferred_countries: list[CountryCode] = Field(default=[], max_length=50)
    preferred_owners: Annotated[str, Field(max_length=5_000)] = ""
    characteristics: Annotated[str, Field(max_length=10_000)] = ""
    cooperation: list[CooperationValue] = Field(default=[], max_length=10)
    min_trl: Trl | None = None
    staff_count: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    staff_qualifications: Annotated[str, Field(max_length=5_000)] = ""
    equipment: Annotated[str, Field(max_length=10_000)] = ""
    has_lab: bool | None = None
    budget_min: Annotated[Decimal, money(_R, "budget_min")] | None = None
    budget_max: Annotated[Decimal, money(_R, "budget_max")] | None = None
    currency: Annotated[str, Field(max_length=3)] = "VND"
    prior_transfers: Annotated[str, Field(max_length=10_000)] = ""
    owner_organization: RecordId | None = None
    province: Annotated[str, text(_R, "province")] = ""
    size: SizeValue = ""
    sector: Annotated[str, text(_R, "sector")] = ""
    deadline: dt.date | None = None
    confidentiality: ConfidentialityValue = "public"
    fields: list[FieldKey] = Field(default=[], max_length=50)


_E = Expert
_I = Intermediary


class ExpertIn(InputSchema):
    name: Annotated[str, text(_E, "name", required=True)]
    category: ExpertCategoryValue = Field(
        default="", description="domestic, foreign or overseas_vn (overseas Vietnamese)."
    )
    profile: Annotated[str, Field(max_length=20_000)] = ""
    affiliation: Annotated[str, text(_E, "affiliation")] = ""
    country: CountryCode | None = None
    languages: list[ExpertLanguage] = Field(
        default=[], max_length=20, description="Languages with CEFR levels A1–C2."
    )
    orcid: Annotated[str, Field(max_length=19, description="0000-0000-0000-0000")] = ""
    availability: Annotated[str, text(_E, "availability")] = ""
    owner_organization: RecordId | None = Field(
        default=None, description="Id of a registry organisation you are a confirmed member of."
    )
    fields: list[FieldKey] = Field(default=[], max_length=50)


class IntermediaryIn(InputSchema):
    name: Annotated[str, text(_I, "name", required=True)]
    service_kinds: list[ServiceKindValue] = Field(
        default=[],
        max_length=len(ServiceKind.values),
        description="Kinds of service: " + ", ".join(ServiceKind.values),
    )
    services: Annotated[str, Field(min_length=1, max_length=20_000)]
    regions: list[ShortText] = Field(default=[], max_length=100)
    fees: Annotated[str, Field(max_length=10_000)] = ""
    country: CountryCode | None = None
    owner_organization: RecordId | None = Field(
        default=None, description="Id of a registry organisation you are a confirmed member of."
    )
    fields: list[FieldKey] = Field(default=[], max_length=50)


class TargetOut(Schema):
    """A foreign company in the officers' register of targets (core technology or IP worth
    acquiring)."""

    id: int
    name: str
    country: str = Field(description="ISO 3166-1 alpha-2.")
    technologies: str = Field(description="Its core technologies and IP.")
    fields: list[str] = Field(description="Slugs of the fields and priority technologies.")
    notes: str
    version: int = Field(description="The `ETag` is built from it; send it in `If-Match`.")
    created_by: int | None = Field(description="The officer who entered it.")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_country(obj: TargetCompany) -> str:
        return obj.country_id

    @staticmethod
    def resolve_created_by(obj: TargetCompany) -> int | None:
        return obj.created_by_id

    @staticmethod
    def resolve_fields(obj: Any) -> list[str]:
        return [f.slug for f in obj.fields.all()]


_T = TargetCompany


class TargetIn(InputSchema):
    name: Annotated[str, text(_T, "name", required=True)]
    country: CountryCode
    technologies: Annotated[str, Field(min_length=1, max_length=20_000)]
    notes: Annotated[str, Field(max_length=20_000)] = ""
    fields: list[FieldKey] = Field(default=[], max_length=50)


class TargetFilters(Schema):
    q: Annotated[str, Field(max_length=200)] = ""
    field: Annotated[str, Field(max_length=80)] = ""
    country: Annotated[str, Field(max_length=2)] = ""


OfferPatch = patch_of(OfferIn, "OfferPatch")
TargetPatch = patch_of(TargetIn, "TargetPatch")
ExpertPatch = patch_of(ExpertIn, "ExpertPatch")
IntermediaryPatch = patch_of(IntermediaryIn, "IntermediaryPatch")
RequestPatch = patch_of(RequestIn, "RequestPatch")


# --- one round of errors -----------------------------------------------------------------------


def collecting(schema: type[Schema]) -> type[Schema]:
    """``schema`` (same name, fields and OpenAPI shape) whose validation does not raise: a
    payload that fails it becomes an empty instance holding pydantic's errors and the raw
    payload (``problems_of``, ``raw_of``), so the endpoint can check the service's rules on
    the fields that did validate and name every bad field in one answer."""

    def keep(cls: Any, data: Any, handler: Any) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            empty = cls.model_construct()
            empty._problems = exc.errors(include_url=False)
            empty._raw = data
            return empty

    namespace: dict[str, Any] = {
        "__module__": schema.__module__,
        "__doc__": schema.__doc__,
        "__qualname__": schema.__qualname__,
        "_problems": PrivateAttr(default_factory=list),
        "_raw": PrivateAttr(default=None),
        "_keep_errors": model_validator(mode="wrap")(classmethod(keep)),  # type: ignore[arg-type]
    }
    return type(schema.__name__, (schema,), namespace)


def problems_of(payload: Any) -> list[dict[str, Any]]:
    """pydantic's errors of a ``collecting`` payload (none when it validated)."""
    return list(getattr(payload, "_problems", None) or [])


def raw_of(payload: Any) -> Any:
    """The payload as sent, when it did not validate."""
    return getattr(payload, "_raw", None)


class TransitionIn(InputSchema):
    status: StatusValue
    note: Annotated[str, Field(max_length=4_000)] = ""


class MarketFilters(Schema):
    q: Annotated[str, Field(max_length=200)] = ""
    field: Annotated[str, Field(max_length=80)] = ""
    country: Annotated[str, Field(max_length=2)] = ""
    trl: Trl | None = None
    cooperation: CooperationValue | None = None
    status: StatusValue | None = None
    category: ExpertCategoryValue | None = Field(
        default=None, description="Experts only: domestic, foreign or overseas_vn."
    )
    service: ServiceKindValue | None = Field(
        default=None, description="Intermediaries only: one kind of service."
    )


class MatchFit(Schema):
    key: str
    ok: bool
    factor: float
    en: str
    vi: str
    params: dict[str, str] = {}


class MatchExplanation(Schema):
    components: dict[str, float] = {}
    fields: list[dict[str, str]] = []
    terms: list[dict[str, str]] = []
    fit: list[MatchFit] = []


class RequestMatchOut(Schema):
    """One match of a request: an offer, an expert or an intermediary."""

    id: int
    kind: str
    offer: int | None
    expert: int | None
    intermediary: int | None
    title: str
    score: float
    explanation: MatchExplanation
    feedback: str = Field(description="The requester's feedback (or an officer's for them).")
    provider_feedback: str | None = Field(
        description="The provider's feedback; for network staff only (null otherwise)."
    )
    computed_at: dt.datetime


class TargetMatchOut(Schema):
    """One request matching an offer (expert, intermediary); ``requester`` is null when the
    caller may not know who asked (anonymous requests)."""

    id: int
    request: int
    title: str
    requester: int | None
    score: float
    explanation: MatchExplanation
    feedback: str | None = Field(
        description="The requester's feedback; for network staff only (null otherwise)."
    )
    provider_feedback: str = Field(
        description="The provider's feedback (the record's owner's, or an officer's for them)."
    )
    computed_at: dt.datetime


class FeedbackIn(InputSchema):
    """One side's mark on a match, the codes the pages take; an empty string clears it."""

    feedback: FeedbackValue = Field(
        description="not_relevant, too_early, benefit_unclear, too_expensive, interested; "
        "an empty string clears the mark."
    )


class RequestMatchList(Schema):
    count: int
    items: list[RequestMatchOut]


class TargetMatchList(Schema):
    count: int
    items: list[TargetMatchOut]
