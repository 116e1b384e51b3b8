"""The hand-written demo facts: JSON files in ``data/``, validated record by record on load.

The facts were written by the project from public knowledge and the facts in the ministry
documents of ``shared/seeds`` (summaries are ours; no sentence is copied). Records marked
``verified`` had their dates, parties and amounts checked against public sources (e.g. the 123
Agreement, the Viet Nam - US and Viet Nam - Japan S&T agreements, FIRST, IPP, BIPP, V-KIST). For
the others the subject and the parties are real but dates and details are plausible
approximations; the loader marks them as illustrative so that no demo record passes for the
official one, and no precise official figure is invented. Statuses of agreements are derived
from their dates at load time unless a fact states one (negotiating, renewed, terminated).

Each file holds one record type as a JSON object of named sections (lists of records); a record
lists its fields in the order of its dataclass below and omits the ones left at their default.
Fields are referenced by taxonomy code ("P01", "2.2"), organisations by key (a partner in
``organizations.json`` or the vntext gazetteer: "iaea", "koica"), countries by ISO 3166-1
alpha-2 (as in the gazetteer), units by code ("htqt"), agreements and projects by key.

:func:`facts` reads and validates the files once. Every record is checked with pydantic against
its dataclass (required fields, types, no unknown fields), choice codes against the models'
``TextChoices``, countries against the gazetteer and keys against the other files; all the
problems found are reported at once in one :class:`DemoDataError`, each naming the file, the
record and the field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, TypeAdapter, ValidationError, ValidationInfo

DATA_DIR = Path(__file__).resolve().parent / "data"

# ---------------------------------------------------------------------------------------------
# Checks against the context of a load (choices, countries, keys of the other files)
# ---------------------------------------------------------------------------------------------


def _member(name: str, what: str, *, blank: bool = False) -> AfterValidator:
    """A check that the value is one of ``context[name]`` (or empty, if ``blank``)."""

    def check(value: str, info: ValidationInfo) -> str:
        allowed = (info.context or {}).get(name)
        if allowed is None or (blank and value == "") or value in allowed:
            return value
        raise ValueError(f"{value!r} is not {what}")

    return AfterValidator(check)


UnitKind = Annotated[str, _member("unit_kind", "a unit kind of accounts.Unit.Kind")]
OrgKind = Annotated[str, _member("org_kind", "a kind of registry.Organization.Kind")]
Side = Annotated[str, _member("side", "a side of registry.AgreementParty.Side")]
AgreementKind = Annotated[str, _member("agreement_kind", "a kind of registry.Agreement.Kind")]
AgreementLevel = Annotated[str, _member("agreement_level", "a level of registry.Agreement.Level")]
AgreementStatus = Annotated[
    str, _member("agreement_status", "a status of registry.Agreement.Status", blank=True)
]
ProjectKind = Annotated[str, _member("project_kind", "a kind of registry.Project.Kind")]
ProjectStatus = Annotated[str, _member("project_status", "a status of registry.Project.Status")]
ParticipantRole = Annotated[
    str, _member("participant_role", "a role of registry.ProjectParticipant.Role")
]
MembershipStatus = Annotated[
    str, _member("membership_status", "a status of registry.Membership.Status")
]
Direction = Annotated[str, _member("direction", "a direction of registry.Delegation.Direction")]
EventKind = Annotated[str, _member("event_kind", "a kind of registry.Event.Kind")]
Country = Annotated[str, _member("countries", "an ISO2 country code of the gazetteer")]
OptCountry = Annotated[
    str, _member("countries", "an ISO2 country code of the gazetteer", blank=True)
]
UnitCode = Annotated[str, _member("units", "a unit code of units.json")]
OrgKey = Annotated[
    str, _member("organizations", "an organisation key of organizations.json or the gazetteer")
]
OptOrgKey = Annotated[
    str,
    _member(
        "organizations", "an organisation key of organizations.json or the gazetteer", blank=True
    ),
]
OptAgreementKey = Annotated[
    str, _member("agreements", "an agreement key of agreements.json", blank=True)
]
OptProjectKey = Annotated[str, _member("projects", "a project key of projects.json", blank=True)]

_FORBID = ConfigDict(extra="forbid")

# ---------------------------------------------------------------------------------------------
# Record types
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFact:
    __pydantic_config__ = _FORBID

    code: str
    name_vi: str
    name_en: str
    kind: UnitKind


@dataclass(frozen=True)
class OrgFact:
    __pydantic_config__ = _FORBID

    key: str
    name_vi: str
    name_en: str
    acronym: str
    kind: OrgKind
    country: Country | None
    website: str = ""
    parent: OptOrgKey = ""
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartyFact:
    __pydantic_config__ = _FORBID

    side: Side  # "vn" or "foreign"
    country: OptCountry = ""  # a state (ISO2) ...
    org: OptOrgKey = ""  # ... or an organisation key, never both
    signatory: str = ""

    def __post_init__(self) -> None:
        if bool(self.country) == bool(self.org):
            raise ValueError("a party names either a country or an organisation (org)")


@dataclass(frozen=True)
class AgreementFact:
    __pydantic_config__ = _FORBID

    key: str
    title_vi: str
    title_en: str
    kind: AgreementKind
    level: AgreementLevel
    parties: tuple[PartyFact, ...]
    signed_on: date | None = None
    signed_place: str = ""
    effective_on: date | None = None
    expires_on: date | None = None
    auto_renew: bool = False
    status: AgreementStatus = ""  # empty: derived from the dates at load time
    fields: tuple[str, ...] = ()
    summary: str = ""
    obligations: str = ""
    legal_basis: str = ""
    owner: UnitCode = "htqt"
    public: bool = True
    verified: bool = False  # dates and parties checked against public sources


@dataclass(frozen=True)
class ProjectFact:
    __pydantic_config__ = _FORBID

    key: str
    title_vi: str
    title_en: str
    kind: ProjectKind
    status: ProjectStatus
    code: str = ""
    lead: OptOrgKey = ""  # Vietnamese lead organisation key
    funder: OptOrgKey = ""
    agreement: OptAgreementKey = ""  # AgreementFact.key
    budget: Decimal | None = None
    currency: str = ""
    planned_start: date | None = None
    planned_end: date | None = None
    actual_start: date | None = None
    actual_end: date | None = None
    participants: tuple[tuple[OrgKey, ParticipantRole], ...] = ()  # (organisation, IATI role)
    fields: tuple[str, ...] = ()
    description: str = ""
    outputs: str = ""
    owner: UnitCode = "htqt"
    public: bool = True
    verified: bool = False


@dataclass(frozen=True)
class MembershipFact:
    __pydantic_config__ = _FORBID

    org: OrgKey
    since: date | None
    focal_unit: UnitCode
    status: MembershipStatus = "active"
    annual_fee: Decimal | None = None
    currency: str = ""
    obligations: str = ""
    fields: tuple[str, ...] = ()
    owner: UnitCode = "htqt"
    public: bool = True


@dataclass(frozen=True)
class DelegationFact:
    __pydantic_config__ = _FORBID

    title_vi: str
    title_en: str
    direction: Direction  # "out" or "in"
    start_on: date
    end_on: date
    countries: tuple[Country, ...]
    members_count: int = 5
    purpose: str = ""
    host: str = ""
    agreement: OptAgreementKey = ""
    project: OptProjectKey = ""
    trip_report: str = ""
    fields: tuple[str, ...] = ()
    owner: UnitCode = "htqt"
    public: bool = True
    verified: bool = False


@dataclass(frozen=True)
class EventFact:
    __pydantic_config__ = _FORBID

    title_vi: str
    title_en: str
    kind: EventKind
    start_on: date
    end_on: date
    city: str
    country: Country
    organizer: str = ""
    url: str = ""
    description: str = ""
    fields: tuple[str, ...] = ()
    owner: UnitCode = "htqt"
    public: bool = True
    verified: bool = False


@dataclass(frozen=True)
class RepresentativeFact:
    __pydantic_config__ = _FORBID

    post: str
    country: Country
    coverage: tuple[Country, ...] = ()
    since: date | None = None
    person: str = ""
    email: str = ""
    fields: tuple[str, ...] = ()
    owner: UnitCode = "htqt"
    public: bool = True


@dataclass(frozen=True)
class LegalBasisFact:
    __pydantic_config__ = _FORBID

    key: str
    text: str


def vn_party(org: str = "", country: str = "", signatory: str = "") -> PartyFact:
    return PartyFact(side="vn", org=org, country=country, signatory=signatory)


def foreign_party(org: str = "", country: str = "", signatory: str = "") -> PartyFact:
    return PartyFact(side="foreign", org=org, country=country, signatory=signatory)


VN_GOV = vn_party(country="VN")
VN_MOST = vn_party(org="most")

# ---------------------------------------------------------------------------------------------
# The files
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """Every record of the data files, by section, in file order."""

    departments: tuple[UnitFact, ...]
    agencies: tuple[UnitFact, ...]
    ministries: tuple[UnitFact, ...]
    provinces: tuple[UnitFact, ...]  # the 34 provinces and centrally-run cities since 1 July 2025
    # Minimal definitions of gazetteer organisations the demo cannot do without; used only
    # when the gazetteer (vntext/data/organizations.tsv) lacks the key.
    gazetteer_fallback: tuple[OrgFact, ...]
    vn_orgs: tuple[OrgFact, ...]  # Vietnamese research organisations that lead projects
    foreign_orgs: tuple[OrgFact, ...]
    legal_bases: Mapping[str, str]  # legal bases named in the ministry's documents
    agreements: tuple[AgreementFact, ...]
    projects: tuple[ProjectFact, ...]
    protocol_projects: tuple[ProjectFact, ...]  # protocol research tasks (nhiệm vụ nghị định thư)
    memberships: tuple[MembershipFact, ...]
    representatives: tuple[RepresentativeFact, ...]  # S&T representatives abroad
    delegations: tuple[DelegationFact, ...]
    events: tuple[EventFact, ...]

    @property
    def units(self) -> tuple[UnitFact, ...]:
        return self.departments + self.agencies + self.ministries + self.provinces


# file name -> (record type, sections in order); section names are the Facts attributes.
FILES: dict[str, tuple[type, tuple[str, ...]]] = {
    "units.json": (UnitFact, ("departments", "agencies", "ministries", "provinces")),
    "organizations.json": (OrgFact, ("gazetteer_fallback", "vn_orgs", "foreign_orgs")),
    "legal_bases.json": (LegalBasisFact, ("legal_bases",)),
    "agreements.json": (AgreementFact, ("agreements",)),
    "projects.json": (ProjectFact, ("projects", "protocol_projects")),
    "memberships.json": (MembershipFact, ("memberships",)),
    "representatives.json": (RepresentativeFact, ("representatives",)),
    "delegations.json": (DelegationFact, ("delegations",)),
    "events.json": (EventFact, ("events",)),
}
# The field that names a record in error messages, first one present.
_NAMING_FIELDS = ("key", "code", "org", "post", "title_vi")
# The field of each file that must be unique across its sections (others refer to it).
_KEYED = {
    "units.json": "code",
    "organizations.json": "key",
    "legal_bases.json": "key",
    "agreements.json": "key",
    "projects.json": "key",
}


class DemoDataError(ValueError):
    """The demo data files do not validate; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the demo data:\n"
            + "\n".join(f"- {p}" for p in problems)
        )


def _choice_values() -> dict[str, set[str]]:
    from caunoi.accounts.models import Unit
    from caunoi.registry.models import (
        Agreement,
        AgreementParty,
        Delegation,
        Event,
        Membership,
        Organization,
        Project,
        ProjectParticipant,
    )

    choices: dict[str, Any] = {
        "unit_kind": Unit.Kind,
        "org_kind": Organization.Kind,
        "side": AgreementParty.Side,
        "agreement_kind": Agreement.Kind,
        "agreement_level": Agreement.Level,
        "agreement_status": Agreement.Status,
        "project_kind": Project.Kind,
        "project_status": Project.Status,
        "participant_role": ProjectParticipant.Role,
        "membership_status": Membership.Status,
        "direction": Delegation.Direction,
        "event_kind": Event.Kind,
    }
    return {name: set(cls.values) for name, cls in choices.items()}


def _label(section: str, index: int, raw: Any) -> str:
    name = ""
    if isinstance(raw, dict):
        for f in _NAMING_FIELDS:
            if isinstance(raw.get(f), str) and raw[f]:
                name = f" ({f} {raw[f]!r})"
                break
    return f"{section}[{index}]{name}"


def _read(data_dir: Path, problems: list[str]) -> dict[str, dict[str, list[Any]]]:
    """Every file's sections as parsed JSON; structural problems are appended to ``problems``."""
    raw: dict[str, dict[str, list[Any]]] = {}
    for name, (_, sections) in FILES.items():
        path = data_dir / name
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"{name}: cannot be read: {exc}")
            doc = {s: [] for s in sections}
        if not isinstance(doc, dict):
            problems.append(f"{name}: must be a JSON object of sections")
            doc = {s: [] for s in sections}
        for extra in sorted(set(doc) - set(sections)):
            problems.append(f"{name}: unknown section {extra!r} (expected {', '.join(sections)})")
        raw[name] = {}
        for section in sections:
            records = doc.get(section, [])
            if not isinstance(records, list):
                problems.append(f"{name}: section {section!r} must be a list of records")
                records = []
            elif section not in doc:
                problems.append(f"{name}: section {section!r} is missing")
            raw[name][section] = records
    return raw


def _keys(records: Iterable[Any], field: str) -> set[str]:
    return {r[field] for r in records if isinstance(r, dict) and isinstance(r.get(field), str)}


def load(data_dir: Path = DATA_DIR) -> Facts:
    """Read and validate the data files in ``data_dir``; raise :class:`DemoDataError` if any fail.

    Needs the Django app registry (choice codes come from the models).
    """
    from vntext import gazetteer

    problems: list[str] = []
    raw = _read(data_dir, problems)

    def all_records(name: str) -> list[Any]:
        return [r for records in raw[name].values() for r in records]

    context: dict[str, set[str]] = _choice_values()
    context["countries"] = {c.iso2 for c in gazetteer.countries()}
    context["units"] = _keys(all_records("units.json"), "code")
    context["organizations"] = _keys(all_records("organizations.json"), "key") | {
        o.key for o in gazetteer.organizations()
    }
    context["agreements"] = _keys(all_records("agreements.json"), "key")
    context["projects"] = _keys(all_records("projects.json"), "key")

    parsed: dict[str, tuple[Any, ...]] = {}
    for name, (record_type, sections) in FILES.items():
        adapter: TypeAdapter[Any] = TypeAdapter(record_type)
        key_field = _KEYED.get(name)
        seen: dict[str, str] = {}
        for section in sections:
            items = []
            for i, record in enumerate(raw[name][section]):
                where = f"{name}: {_label(section, i, record)}"
                if (
                    key_field
                    and isinstance(record, dict)
                    and isinstance(record.get(key_field), str)
                ):
                    key = record[key_field]
                    if key in seen:
                        problems.append(f"{where}: {key_field}: duplicate of {seen[key]}")
                    seen.setdefault(key, _label(section, i, record))
                try:
                    items.append(
                        adapter.validate_json(json.dumps(record), strict=True, context=context)
                    )
                except ValidationError as exc:
                    problems += [_describe(where, err) for err in exc.errors()]
            parsed[section] = tuple(items)
    if problems:
        raise DemoDataError(problems)
    legal = {b.key: b.text for b in parsed.pop("legal_bases")}
    return Facts(legal_bases=legal, **parsed)


def _describe(where: str, err: Mapping[str, Any]) -> str:
    field = ".".join(str(part) for part in err["loc"]) or "(record)"
    if err["type"] == "unexpected_keyword_argument":
        message = "unknown field"
    else:
        message = str(err["msg"]).removeprefix("Value error, ")
    return f"{where}: {field}: {message}"


@cache
def facts() -> Facts:
    """The shipped data set, read and validated once per process."""
    return load()


# Serialisation (the inverse of load), for whoever edits the data with a script.
def dump_record(record: Any) -> dict[str, Any]:
    """``record`` as a JSON-ready dict in field order, without the fields at their default."""
    from dataclasses import MISSING, fields

    out: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if f.default is not MISSING and value == f.default:
            continue
        out[f.name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return dump_record(value)
    return value


def dump_file(sections: Mapping[str, Iterable[Any]]) -> str:
    """A data file's text: sections of records, two-space indented, UTF-8 text as is."""
    doc = {name: [dump_record(r) for r in records] for name, records in sections.items()}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
