"""Vietnam's memberships in international organisations."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from caunoi.accounts.models import Unit
from caunoi.registry.models.base import CURRENCY_CHOICES, MONEY_VALIDATORS, RegistryRecord
from caunoi.registry.models.partners import Organization


class Membership(RegistryRecord):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        OBSERVER = "observer", _("Observer")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    since = models.DateField(_("member since"), null=True, blank=True)
    focal_unit = models.ForeignKey(
        Unit,
        verbose_name=_("focal point unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="focal_memberships",
    )
    annual_fee = models.DecimalField(
        _("annual fee"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=MONEY_VALIDATORS,
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, blank=True)
    obligations = models.TextField(_("obligations"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        ordering = ["organization__name_vi"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_fee_not_negative",
                condition=models.Q(annual_fee__isnull=True) | models.Q(annual_fee__gte=0),
            ),
            models.CheckConstraint(
                name="membership_fee_has_currency",
                condition=models.Q(annual_fee__isnull=True) | ~models.Q(currency=""),
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)

    def get_absolute_url(self) -> str:
        return reverse("entity-detail", args=["memberships", self.pk])
