"""Demo marketplace records (``demo_data/*.json``, validated by pydantic), written through the
services as the outside demo accounts and approved by an administrator. Idempotent: nothing
is loaded when any offer exists."""

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
    Intermediary,
    IpStatus,
    Language,
    Source,
    Stage,
    Status,
    TechnologyOffer,
    TechnologyRequest,
)

DATA_DIR = Path(__file__).parent / "demo_data"


class _Fact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    owner: str = Field(min_length=1)  # username of an outside demo account
    organization: str = ""  # registry organisation key
    fields: tuple[str, ...] = ()


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
    profile: str
    affiliation: str
    country: str
    languages: tuple[dict[str, str], ...]
    orcid: str
    availability: str


class IntermediaryFact(_Fact):
    name: str
    services: str
    regions: tuple[str, ...]
    fees: str
    country: str


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
    ):
        rows = json.loads((data_dir / f"{name}.json").read_text(encoding="utf-8"))
        out[name] = [model.model_validate(row) for row in rows]
    return out


def load_market_demo() -> dict[str, int]:
    """Write the demo marketplace once (after the outside demo accounts exist)."""
    from caunoi.accounts.models import User
    from caunoi.market import services
    from caunoi.registry.models import Organization
    from caunoi.taxonomy.models import Country, Field

    counts = {"offers": 0, "requests": 0, "experts": 0, "intermediaries": 0}
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
    with transaction.atomic():
        for kind, items in all_facts.items():
            for fact in items:
                owner = User.objects.filter(username=fact.owner).first()
                if owner is None:
                    continue
                data = fact.model_dump(exclude={"owner", "organization", "fields", "deadline_days"})
                for key, value in list(data.items()):
                    if isinstance(value, tuple):
                        data[key] = list(value)
                if "country" in data:
                    data["country"] = Country.objects.filter(pk=data["country"]).first()
                if kind == "offers":
                    data["valid_until"] = today + dt.timedelta(days=365)
                if kind == "requests":
                    data["deadline"] = today + dt.timedelta(days=fact.deadline_days)
                if fact.organization:
                    data["owner_organization"] = Organization.objects.filter(
                        key=fact.organization
                    ).first()
                record = services.record_save(
                    user=owner,
                    instance=models[kind](),
                    data=data,
                    m2m={"fields": list(Field.objects.filter(slug__in=fact.fields))},
                )
                services.transition(user=owner, record=record, to=Status.SUBMITTED)
                services.transition(user=approver, record=record, to=Status.PUBLISHED)
                counts[kind] += 1
    return counts
