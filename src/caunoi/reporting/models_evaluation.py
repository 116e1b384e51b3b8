"""Evaluation of international cooperation: criteria sets after the OECD DAC criteria, their
weighted indicators and the values entered with evidence; and the indicator time series
(seed 001's: technology transfer, foreign-invested R&D, alliances, mobility, co-authored
publications), entered or imported, with their source.

Imported into ``reporting.models`` so Django finds them in the reporting app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from caunoi.accounts.models import Unit
from caunoi.taxonomy.models import Country


def _pick(vi: str, en: str) -> str:
    return en if (get_language() or "vi").startswith("en") and en else vi


class DacCriterion(models.TextChoices):
    """The six OECD DAC evaluation criteria (2019 definitions)."""

    RELEVANCE = "relevance", _("Relevance")
    COHERENCE = "coherence", _("Coherence")
    EFFECTIVENESS = "effectiveness", _("Effectiveness")
    EFFICIENCY = "efficiency", _("Efficiency")
    IMPACT = "impact", _("Impact")
    SUSTAINABILITY = "sustainability", _("Sustainability")


class CriteriaSet(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Raised by every edit: an edit based on an older version is refused (409).
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-period_end", "code"]
        verbose_name = _("evaluation criteria set")
        verbose_name_plural = _("evaluation criteria sets")
        constraints = [
            models.CheckConstraint(
                name="criteria_set_period_ordered",
                condition=models.Q(period_end__gte=models.F("period_start")),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reporting:evaluation-detail", args=[self.pk])

    @property
    def title(self) -> str:
        return _pick(self.title_vi, self.title_en)


class EvalCriterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("criterion"), max_length=20, choices=DacCriterion.choices)
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=2, default=1)
    question_vi = models.TextField(_("evaluation question"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("evaluation criterion")
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="eval_criterion_once"),
            models.CheckConstraint(
                name="eval_criterion_weight_positive", condition=models.Q(weight__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_code_display())


class EvalIndicator(models.Model):
    """A weighted indicator of a criterion; its value comes from an indicator source
    (``source_key``) or, when that is blank, from the values officers enter with evidence."""

    criterion = models.ForeignKey(
        EvalCriterion, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(_("code"), max_length=60)
    label_vi = models.CharField(_("label (Vietnamese)"), max_length=400)
    label_en = models.CharField(_("label (English)"), max_length=400, blank=True)
    unit = models.CharField(_("unit of measure"), max_length=40, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=2, default=1)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=2)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    source_key = models.CharField(_("computed from"), max_length=80, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("evaluation indicator")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "code"], name="eval_indicator_code_once"),
            models.CheckConstraint(
                name="eval_indicator_weight_positive", condition=models.Q(weight__gte=0)
            ),
            models.CheckConstraint(
                name="eval_indicator_target_positive", condition=models.Q(target__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _pick(self.label_vi, self.label_en)

    @property
    def is_entered(self) -> bool:
        return not self.source_key


class EvalEntry(models.Model):
    """A value an officer entered for an indicator, for everyone (no unit, no country), a
    unit or a partner country, with its evidence (a file or a link, and a note). Entries are
    kept: the latest per indicator and scope counts, the earlier ones are its history."""

    indicator = models.ForeignKey(EvalIndicator, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("partner country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    note = models.TextField(_("note on the evidence"))
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to="reporting/evaluation/%Y/", blank=True, max_length=300
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-entered_at", "-pk"]
        verbose_name = _("entered indicator value")
        constraints = [
            models.CheckConstraint(
                name="eval_entry_one_scope",
                condition=models.Q(unit__isnull=True) | models.Q(country__isnull=True),
            ),
            models.CheckConstraint(
                name="eval_entry_has_evidence",
                condition=~models.Q(evidence_url="", evidence_file=""),
            ),
        ]
        indexes = [models.Index(fields=["indicator", "-entered_at"], name="eval_entry_latest_idx")]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.value}"


class SeriesIndicator(models.Model):
    """An indicator followed year by year (seed 001's list), with where its figures come from."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label_vi = models.CharField(_("label (Vietnamese)"), max_length=400)
    label_en = models.CharField(_("label (English)"), max_length=400, blank=True)
    unit = models.CharField(_("unit of measure"), max_length=40, blank=True)
    description_vi = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator series")
        verbose_name_plural = _("indicator series")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _pick(self.label_vi, self.label_en)


class SeriesOrigin(models.TextChoices):
    ENTERED = "entered", _("Entered")
    IMPORTED = "imported", _("Imported")


class SeriesValue(models.Model):
    """One year's value of a series, for Vietnam as a whole (``partner`` blank) or with one
    partner country (``partner``: ISO2, e.g. co-publications with Korea)."""

    indicator = models.ForeignKey(SeriesIndicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveIntegerField(_("year"))
    partner = models.CharField(_("partner country"), max_length=2, blank=True, default="")
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    origin = models.CharField(max_length=10, choices=SeriesOrigin.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["indicator", "year", "partner"]
        verbose_name = _("series value")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "partner"], name="series_value_once"
            ),
            models.CheckConstraint(
                name="series_year_plausible",
                condition=models.Q(year__gte=1900) & models.Q(year__lte=2100),
            ),
        ]
        indexes = [models.Index(fields=["indicator", "partner", "year"], name="series_partner_idx")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year} {self.partner or 'VN'}: {self.value}"
