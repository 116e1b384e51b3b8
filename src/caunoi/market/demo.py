"""Demo marketplace records (``demo_data/*.json``, validated by pydantic), written through the
services as the outside demo accounts and approved by an administrator (one offer and one
request, ``"submitted": true``, left waiting in the officers' review queue), then expressions of
interest in every stage (``interests.json``: messages, a mediated anonymous one, one stalled
past its reply deadline in each open stage, an agreement signed with its outcome), each step
dated in the past in order, moved through the same services.

A record of a foreign partner (an offer from the KISTI or KIAT exchange, a foreign expert)
names its registry organisation (``organization``): the writer cannot claim an organisation
they do not belong to, so the administrator links it, as an officer does for an imported
offer. Then the officers-only register of target companies (``targets.json``), one matching
pass over what was published and the requesters' feedback on some matches
(``feedback.json``: every kind of feedback), through ``matching.set_feedback``; the queued
match tasks later recompute with the same feedback kept. Idempotent: nothing is loaded when
any offer exists."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field

from caunoi.market.models import (
    Confidentiality,
    Cooperation,
    Expert,
    ExpertCategory,
    Interest,
    InterestMessage,
    InterestStatus,
    Intermediary,
    IpStatus,
    Language,
    Match,
    ServiceKind,
    Source,
    Stage,
    Status,
    TargetCompany,
    TechnologyOffer,
    TechnologyRequest,
)

DATA_DIR = Path(__file__).parent / "demo_data"


class _Fact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    owner: str = Field(min_length=1)  # username of an outside demo account
    organization: str = ""  # registry organisation key
    fields: tuple[str, ...] = ()
    # Left submitted, waiting in the officers' review queue, instead of published.
    submitted: bool = False


class OfferFact(_Fact):
    country: str = Field(min_length=2, max_length=2)
    source: str
    language: str
    title_vi: str
    title_en: str
    summary_vi: str
    summary_en: str
    description: str
    innovation: str
    stage: str
    trl: int = Field(ge=1, le=9)
    ip_status: str
    patent_numbers: tuple[str, ...]
    cooperation: tuple[str, ...]
    keywords: tuple[str, ...]
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    price_currency: str = "VND"
    price_negotiable: bool = False
    needs_lab: bool = False
    needs_equipment: bool = False
    needs_staff: int | None = Field(default=None, ge=0)
    needs_notes: str = ""

    def model_post_init(self, context: Any) -> None:
        _among("source", self.source, Source.values)
        _among("language", self.language, Language.values)
        _among("stage", self.stage, Stage.values)
        _among("ip_status", self.ip_status, IpStatus.values)
        for c in self.cooperation:
            _among("cooperation", c, Cooperation.values)
        if not (self.title_vi or self.title_en):
            raise ValueError("an offer needs a title")


class RequestFact(_Fact):
    confidentiality: str
    title_vi: str
    title_en: str
    need: str = Field(min_length=1)
    purpose: str
    preferred_countries: tuple[str, ...]
    preferred_owners: str
    characteristics: str
    cooperation: tuple[str, ...]
    min_trl: int | None = Field(default=None, ge=1, le=9)
    staff_count: int | None = None
    staff_qualifications: str
    equipment: str
    has_lab: bool | None = None
    budget_min: Decimal | None
    budget_max: Decimal | None
    currency: str
    prior_transfers: str
    province: str
    size: str
    sector: str
    deadline_days: int = Field(ge=1)

    def model_post_init(self, context: Any) -> None:
        _among("confidentiality", self.confidentiality, Confidentiality.values)
        for c in self.cooperation:
            _among("cooperation", c, Cooperation.values)


class ExpertFact(_Fact):
    name: str
    category: str = ""
    profile: str
    affiliation: str
    country: str
    languages: tuple[dict[str, str], ...]
    orcid: str
    availability: str

    def model_post_init(self, context: Any) -> None:
        _among("category", self.category, ["", *ExpertCategory.values])


class IntermediaryFact(_Fact):
    name: str
    service_kinds: tuple[str, ...] = ()
    services: str
    regions: tuple[str, ...]
    fees: str
    country: str

    def model_post_init(self, context: Any) -> None:
        for kind in self.service_kinds:
            _among("service_kinds", kind, ServiceKind.values)


class TargetFact(BaseModel):
    """A foreign company of the officers-only register (written by the administrator)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    country: str = Field(min_length=2, max_length=2)
    technologies: str = Field(min_length=1)
    notes: str = ""
    fields: tuple[str, ...] = ()


class FeedbackFact(BaseModel):
    """Feedback on one match: a request (``title_vi``) and one of an offer (``title_en``), an
    expert or an intermediary (``name``), given by the requester or by an officer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    request: str = Field(min_length=1)
    offer: str = ""
    expert: str = ""
    intermediary: str = ""
    feedback: str
    by: str = "requester"

    def model_post_init(self, context: Any) -> None:
        _among("feedback", self.feedback, [v for v in Match.Feedback.values if v])
        _among("by", self.by, ["requester", "officer"])
        if sum(bool(x) for x in (self.offer, self.expert, self.intermediary)) != 1:
            raise ValueError(f"{self.request}: give one of offer, expert and intermediary")


class InterestStep(BaseModel):
    """One step of a demo expression: a stage change (``to`` by ``by``), a message (``say``
    by a side, ``to`` whom when the mediator writes), or the mediator relaying the last
    party message (``relay``: the mediator's words, empty for as written). ``days_ago``: when
    it happened (the previous step's day when not given); ``due_days``: for a stage change,
    the reply deadline an officer set, that many days after the step (the stage's default
    when not given)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    to: str = ""
    by: str = ""
    note: str = ""
    say: str = ""
    body: str = ""
    relay: str | None = None
    days_ago: int | None = Field(default=None, ge=0)
    due_days: int | None = Field(default=None, ge=1)

    def model_post_init(self, context: Any) -> None:
        sides = ("officer", "owner", "sender", "mediator")
        if self.say:
            _among("say", self.say, list(sides))
            if not self.body:
                raise ValueError("a message needs a body")
        elif self.relay is None:
            _among("to", self.to, InterestStatus.values)
            _among("by", self.by, list(sides))
        if self.due_days is not None and (not self.to or self.say or self.relay is not None):
            raise ValueError("only a stage change has a reply deadline")


class InterestOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    agreement_type: str
    agreement_value: Decimal | None = None
    agreement_currency: str = ""
    signed_days_ago: int = Field(ge=0)

    def model_post_init(self, context: Any) -> None:
        _among("agreement_type", self.agreement_type, Cooperation.values)


class InterestFact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    sender: str
    offer: str = ""  # an offer's title_en
    request: str = ""  # a request's title_vi
    from_request: str = ""  # the sender's request's title_vi
    anonymous: bool = False
    message: str = Field(min_length=1)
    days_ago: int = Field(ge=0)
    mediator: str = ""
    steps: tuple[InterestStep, ...] = ()
    outcome: InterestOutcome | None = None

    def model_post_init(self, context: Any) -> None:
        if bool(self.offer) == bool(self.request):
            raise ValueError(f"{self.key}: give one of offer and request")
        days = self.days_ago
        for step in self.steps:  # in order: no step before the one it follows
            if step.days_ago is not None:
                if step.days_ago > days:
                    raise ValueError(f"{self.key}: a step dated before the one it follows")
                days = step.days_ago
        if self.outcome is not None and self.outcome.signed_days_ago > days:
            raise ValueError(f"{self.key}: signed before the last step")

    def step_days(self) -> list[int]:
        """How many days ago each step happened (a step without a day: its predecessor's)."""
        out, days = [], self.days_ago
        for step in self.steps:
            days = step.days_ago if step.days_ago is not None else days
            out.append(days)
        return out


def _among(name: str, value: str, allowed: list[str]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} {value!r} is not one of {allowed}")


def facts(data_dir: Path = DATA_DIR) -> dict[str, list[Any]]:
    """Every demo fact, validated (a bad file fails loudly, naming the record)."""
    out: dict[str, list[Any]] = {}
    for name, model in (
        ("offers", OfferFact),
        ("requests", RequestFact),
        ("experts", ExpertFact),
        ("intermediaries", IntermediaryFact),
        ("interests", InterestFact),
        ("targets", TargetFact),
        ("feedback", FeedbackFact),
    ):
        rows = json.loads((data_dir / f"{name}.json").read_text(encoding="utf-8"))
        out[name] = [model.model_validate(row) for row in rows]
    return out


def load_market_demo() -> dict[str, int]:
    """Write the demo marketplace once (after the outside demo accounts exist)."""
    from caunoi.accounts.models import User
    from caunoi.core import audience
    from caunoi.market import services
    from caunoi.market.audience import organization_principals
    from caunoi.registry.models import Organization
    from caunoi.taxonomy.models import Country, Field

    counts = {
        "offers": 0,
        "requests": 0,
        "experts": 0,
        "intermediaries": 0,
        "interests": 0,
        "targets": 0,
        "matches": 0,
        "feedback": 0,
    }
    if TechnologyOffer.objects.exists():
        return counts
    approver = User.objects.filter(role=User.Role.ADMIN, is_active=True).order_by("pk").first()
    if approver is None:
        return counts
    today = timezone.localdate()
    all_facts = facts()
    models: dict[str, Any] = {
        "offers": TechnologyOffer,
        "requests": TechnologyRequest,
        "experts": Expert,
        "intermediaries": Intermediary,
    }
    interest_facts = all_facts.pop("interests")
    target_facts = all_facts.pop("targets")
    feedback_facts = all_facts.pop("feedback")
    with transaction.atomic():
        for kind, items in all_facts.items():
            for fact in items:
                owner = User.objects.filter(username=fact.owner).first()
                if owner is None:
                    continue
                data = fact.model_dump(
                    exclude={"owner", "organization", "fields", "deadline_days", "submitted"}
                )
                for key, value in list(data.items()):
                    if isinstance(value, tuple):
                        data[key] = list(value)
                if "country" in data:
                    data["country"] = Country.objects.filter(pk=data["country"]).first()
                if kind == "offers":
                    data["valid_until"] = today + dt.timedelta(days=365)
                if kind == "requests":
                    data["deadline"] = today + dt.timedelta(days=fact.deadline_days)
                org = (
                    Organization.objects.filter(key=fact.organization).first()
                    if fact.organization
                    else None
                )
                member = org is not None and audience.org(org.pk) in organization_principals(owner)
                if member:
                    data["owner_organization"] = org
                record = services.record_save(
                    user=owner,
                    instance=models[kind](),
                    data=data,
                    m2m={"fields": list(Field.objects.filter(slug__in=fact.fields))},
                )
                if org is not None and not member:
                    # A partner's record: the officer links it to the registry organisation.
                    record = services.record_save(
                        user=approver, instance=record, data={"owner_organization": org}
                    )
                services.transition(user=owner, record=record, to=Status.SUBMITTED)
                if not fact.submitted:
                    services.transition(user=approver, record=record, to=Status.PUBLISHED)
                counts[kind] += 1
        for target in target_facts:
            country = Country.objects.filter(pk=target.country).first()
            if country is None:
                continue
            company = services.record_save(
                user=approver,
                instance=TargetCompany(),
                data={
                    "name": target.name,
                    "country": country,
                    "technologies": target.technologies,
                    "notes": target.notes,
                },
                m2m={"fields": list(Field.objects.filter(slug__in=target.fields))},
            )
            counts["targets"] += bool(company.pk)
        for fact in interest_facts:
            counts["interests"] += _load_interest(fact, approver, today)
    from caunoi.market import matching

    counts["matches"] = matching.recompute_all()
    for fb in feedback_facts:
        counts["feedback"] += _load_feedback(fb, approver)
    return counts


def _load_feedback(fact: FeedbackFact, officer: Any) -> int:
    """One demo feedback, through ``matching.set_feedback``; 0 when the pair is not matched."""
    from caunoi.market import matching

    request = TechnologyRequest.objects.filter(title_vi=fact.request).first()
    if request is None:
        return 0
    matches = request.matches.all()
    if fact.offer:
        matches = matches.filter(offer__title_en=fact.offer)
    elif fact.expert:
        matches = matches.filter(expert__name=fact.expert)
    else:
        matches = matches.filter(intermediary__name=fact.intermediary)
    match = matches.first()
    if match is None:
        return 0
    user = request.owner_user if fact.by == "requester" else officer
    matching.set_feedback(user=user, match=match, feedback=fact.feedback)
    return 1


def _load_interest(fact: InterestFact, officer: Any, today: dt.date) -> int:
    """One demo expression, through the services: created (dated ``days_ago``), mediated,
    moved and written on as its steps say (each dated its ``days_ago``, the reply deadline
    of each stage counted from its day: an expression past it is stalled in the officers'
    queue), the outcome recorded when signed."""
    from caunoi.accounts.models import User
    from caunoi.market import interests

    sender = User.objects.filter(username=fact.sender).first()
    if fact.offer:
        record: Any = TechnologyOffer.objects.filter(title_en=fact.offer).first()
    else:
        record = TechnologyRequest.objects.filter(title_vi=fact.request).first()
    if sender is None or record is None:
        return 0
    from_request = (
        TechnologyRequest.objects.filter(title_vi=fact.from_request, owner_user=sender).first()
        if fact.from_request
        else None
    )
    interest = interests.interest_create(
        user=sender,
        record=record,
        message=fact.message,
        from_request=from_request,
        anonymous=fact.anonymous,
    )
    # Every step is dated in the past, in order (a few minutes apart within a day), and each
    # stage's reply deadline counts from the day it was entered, so an expression whose
    # deadline passed is overdue as it would be (and the daily limit, counting the last 24
    # hours, stays clear).
    now = timezone.now()
    count = len(fact.steps) + 1

    def when(index: int, days: int) -> dt.datetime:
        return now - dt.timedelta(days=days, minutes=10 * (count - index))

    created = when(0, fact.days_ago)
    Interest.objects.filter(pk=interest.pk).update(
        created_at=created,
        updated_at=created,
        answer_due=interests.default_due(InterestStatus.SUBMITTED, timezone.localdate(created)),
    )
    interest.events.update(created_at=created)
    interest.refresh_from_db()
    if fact.mediator:
        mediator = User.objects.get(username=fact.mediator)
        interest = interests.interest_set_mediator(
            user=officer, interest=interest, mediator=mediator
        )
        Interest.objects.filter(pk=interest.pk).update(updated_at=created)
    people = {
        "officer": officer,
        "sender": sender,
        "owner": record.owner_user,
        "mediator": interest.mediator,
    }
    last_to_mediator: InterestMessage | None = None
    for index, (step, days) in enumerate(zip(fact.steps, fact.step_days(), strict=True), 1):
        at = when(index, days)
        if step.say:
            msg = interests.message_post(
                user=people[step.say],
                interest=interest,
                body=step.body,
                to=step.to or InterestMessage.To.ALL,
            )
            InterestMessage.objects.filter(pk=msg.pk).update(created_at=at)
            if msg.to == InterestMessage.To.MEDIATOR:
                last_to_mediator = msg
        elif step.relay is not None:
            assert last_to_mediator is not None, fact.key
            msg = interests.message_relay(
                user=people["mediator"],
                interest=interest,
                message=last_to_mediator,
                body=step.relay,
            )
            InterestMessage.objects.filter(pk=msg.pk).update(created_at=at)
        else:
            outcome = None
            if step.to == InterestStatus.SIGNED and fact.outcome is not None:
                outcome = {
                    "agreement_type": fact.outcome.agreement_type,
                    "agreement_value": fact.outcome.agreement_value,
                    "agreement_currency": fact.outcome.agreement_currency,
                    "signed_on": today - dt.timedelta(days=fact.outcome.signed_days_ago),
                }
            interest = interests.interest_transition(
                user=people[step.by],
                interest=interest,
                to=step.to,
                note=step.note,
                outcome=outcome,
            )
            interest.events.filter(pk=interest.events.latest("created_at", "pk").pk).update(
                created_at=at
            )
            entered = timezone.localdate(at)
            due = (
                entered + dt.timedelta(days=step.due_days)
                if step.due_days is not None
                else interests.default_due(step.to, entered)
            )
            moved: dict[str, Any] = {"answer_due": due}
            if step.to == InterestStatus.FORWARDED:
                moved["forwarded_at"] = at
            Interest.objects.filter(pk=interest.pk).update(**moved)
        Interest.objects.filter(pk=interest.pk).update(updated_at=at)
        interest.refresh_from_db()
    return 1
