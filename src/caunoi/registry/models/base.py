"""What every registry record shares: an owning unit, publication, fields, timestamps."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from caunoi.accounts.models import Unit
from caunoi.taxonomy.models import Field

# Money amounts (budgets, fees) stay below 10^13 with two decimals: 15 significant digits,
# which SQLite (which stores decimals as 64-bit floats) and PostgreSQL both keep exactly.
MONEY_LIMIT = Decimal("9999999999999.99")
MONEY_VALIDATORS = [
    MaxValueValidator(MONEY_LIMIT, message=_("Enter an amount below 10,000 billion (10^13).")),
    MinValueValidator(-MONEY_LIMIT, message=_("Enter an amount above -10,000 billion (-10^13).")),
]

CURRENCY_CHOICES = [
    ("VND", "VND"),
    ("USD", "USD"),
    ("EUR", "EUR"),
    ("JPY", "JPY"),
    ("KRW", "KRW"),
    ("CNY", "CNY"),
    ("GBP", "GBP"),
    ("AUD", "AUD"),
    ("CHF", "CHF"),
    ("SGD", "SGD"),
    ("RUB", "RUB"),
    ("CAD", "CAD"),
    ("INR", "INR"),
    ("THB", "THB"),
]


class RegistryRecord(models.Model):
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="+"
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Published records are visible to anonymous visitors and the public API."),
    )
    fields = models.ManyToManyField(
        Field, verbose_name=_("fields of S&T"), blank=True, related_name="%(class)ss"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Raised by one on every change; a write based on an older version is refused."),
    )

    class Meta:
        abstract = True


class TitledRecord(RegistryRecord):
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if (get_language() or "vi").startswith("en") and self.title_en:
            return self.title_en
        return self.title_vi
