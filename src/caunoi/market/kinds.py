"""The marketplace's record types as the pages and the API see them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from caunoi.market import forms
from caunoi.market.models import (
    Expert,
    Intermediary,
    TargetCompany,
    TechnologyOffer,
    TechnologyRequest,
)


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[models.Model]
    form: type[forms.MarketForm]
    # Fields shown on the record's page, in this order.
    detail: tuple[str, ...]

    @property
    def label(self) -> Any:
        return self.model._meta.verbose_name

    @property
    def label_plural(self) -> Any:
        return self.model._meta.verbose_name_plural


KINDS: dict[str, Kind] = {
    k.slug: k
    for k in (
        Kind(
            "offers",
            TechnologyOffer,
            forms.OfferForm,
            (
                "summary_vi",
                "summary_en",
                "description",
                "innovation",
                "stage",
                "trl",
                "ip_status",
                "patent_numbers",
                "cooperation",
                "owner_organization",
                "country",
                "keywords",
                "source",
                "language",
                "valid_until",
            ),
        ),
        Kind(
            "requests",
            TechnologyRequest,
            forms.RequestForm,
            (
                "summary_vi",
                "summary_en",
                "need",
                "purpose",
                "preferred_countries",
                "preferred_owners",
                "characteristics",
                "cooperation",
                "min_trl",
                "staff_count",
                "staff_qualifications",
                "equipment",
                "budget_min",
                "budget_max",
                "currency",
                "prior_transfers",
                "owner_organization",
                "province",
                "size",
                "sector",
                "deadline",
                "confidentiality",
            ),
        ),
        Kind(
            "experts",
            Expert,
            forms.ExpertForm,
            ("profile", "affiliation", "country", "languages", "orcid", "availability"),
        ),
        Kind(
            "intermediaries",
            Intermediary,
            forms.IntermediaryForm,
            ("services", "owner_organization", "country", "regions", "fees"),
        ),
    )
}
TARGETS = Kind(
    "targets", TargetCompany, forms.TargetCompanyForm, ("country", "technologies", "notes")
)
# Fields that name the requester: hidden from whoever may not see an anonymous requester.
REQUESTER_FIELDS = frozenset({"owner_organization", "owner_user"})
