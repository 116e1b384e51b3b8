"""Partner organisations: international bodies, foreign agencies, universities, exchanges."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from caunoi.registry.models.base import RegistryRecord
from caunoi.taxonomy.models import Country
from vntext.collation import sort_string


class Organization(RegistryRecord):
    class Kind(models.TextChoices):
        INTERNATIONAL = "international", _("International organisation")
        REGIONAL = "regional", _("Regional organisation")
        GOVERNMENT_AGENCY = "government_agency", _("Government agency")
        UNIVERSITY = "university", _("University")
        RESEARCH_INSTITUTE = "research_institute", _("Research institute")
        COMPANY = "company", _("Company")
        TECHNOLOGY_EXCHANGE = "technology_exchange", _("Technology exchange")
        FUND = "fund", _("Fund or development agency")
        OTHER = "other", _("Other")

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    website = models.URLField(_("website"), blank=True)
    ror = models.CharField(_("ROR id"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Vietnamese alphabetical order of name_vi as a plain string (vntext.collation.sort_string),
    # kept by save() and the bulk loaders; the list's name sort uses it.
    sort_name = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["sort_name", "id"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        indexes = [
            # Partner list filtered by type and country.
            models.Index(fields=["kind", "country"], name="org_kind_country_idx"),
            # The partner list sorted by name, in Vietnamese order (ties broken by id).
            models.Index(fields=["sort_name", "id"], name="org_sort_name_idx"),
        ]

    # How far up the parent chain clean() looks for the organisation itself; a longer chain
    # is refused as well (real hierarchies are a few levels deep).
    MAX_PARENT_DEPTH = 50

    def clean(self) -> None:
        super().clean()
        if self.parent_id is None:
            return
        if self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An organisation cannot be its own parent.")})
        if self.pk is None:
            return
        # The chain above the chosen parent must not reach this organisation again.
        seen = {self.parent_id}
        current: int = self.parent_id
        for _depth in range(self.MAX_PARENT_DEPTH):
            above = Organization.objects.filter(pk=current).values_list("parent_id", flat=True)
            if (up := above.first()) is None:
                return
            current = up
            if current == self.pk or current in seen:
                raise ValidationError(
                    {"parent": _("This parent is already below the organisation.")}
                )
            seen.add(current)
        raise ValidationError({"parent": _("The chain of parent organisations is too long.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_name = sort_string(self.name_vi)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name_vi" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name_vi

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("entity-detail", args=["partners", self.pk])
