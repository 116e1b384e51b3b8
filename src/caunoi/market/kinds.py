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


def _edited(form: type[forms.MarketForm]) -> tuple[str, ...]:
    """The fields a form edits, but the titles (the page's heading)."""
    return tuple(f for f in form._meta.fields or () if f not in ("title_vi", "title_en"))


KINDS: dict[str, Kind] = {
    k.slug: k
    for k in (
        # Offers and requests show what their forms edit, below the title; an offer also
        # shows where it came from (set by imports, not by the form).
        Kind("offers", TechnologyOffer, forms.OfferForm, (*_edited(forms.OfferForm), "source")),
        Kind("requests", TechnologyRequest, forms.RequestForm, _edited(forms.RequestForm)),
        Kind(
            "experts",
            Expert,
            forms.ExpertForm,
            ("category", "profile", "affiliation", "country", "languages", "orcid", "availability"),
        ),
        Kind(
            "intermediaries",
            Intermediary,
            forms.IntermediaryForm,
            ("service_kinds", "services", "owner_organization", "country", "regions", "fees"),
        ),
    )
}
TARGETS = Kind(
    "targets", TargetCompany, forms.TargetCompanyForm, ("country", "technologies", "notes")
)
# Fields that name the requester: hidden from whoever may not see an anonymous requester.
REQUESTER_FIELDS = frozenset({"owner_organization", "owner_user"})
