"""Reporting campaigns: versioned templates (sections and indicators), campaigns over a set of
reporting units, and the units' submissions (plans and reports) with every version kept.

A campaign keeps the template version it was opened with, and its own list of reporting units
as they were during the period (name, kind, region, and the account unit whose people answer
for it), so a later merger of provinces or a renamed ministry does not rewrite history.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from caunoi.accounts.models import Unit


class IndicatorKind(models.TextChoices):
    TEXT = "text", _("Narrative text")
    NUMBER = "number", _("Number with unit")
    PERCENT = "percent", _("Percentage")
    YESNO = "yesno", _("Yes or no")
    CHOICE = "choice", _("Choice")
    TABLE = "table", _("Table")
    FILE = "file", _("File attachment")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    AVERAGE = "average", _("Average")
    COUNT = "count", _("Count")
    LIST = "list", _("List")


class Region(models.TextChoices):
    """The central level and the six socio-economic regions of the statistics office."""

    CENTRAL = "central", _("Central level")
    NORTHERN_MOUNTAINS = "northern_mountains", _("Northern midlands and mountains")
    RED_RIVER = "red_river", _("Red River Delta")
    NORTH_CENTRAL_COAST = "central_coast", _("North Central and Central Coast")
    CENTRAL_HIGHLANDS = "central_highlands", _("Central Highlands")
    SOUTHEAST = "southeast", _("Southeast")
    MEKONG = "mekong", _("Mekong River Delta")


class SubmissionKind(models.TextChoices):
    PLAN = "plan", _("Implementation plan")
    REPORT = "report", _("Report")


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


def _bilingual(vi: str, en: str) -> str:
    return en if (get_language() or "vi").startswith("en") and en else vi


class Template(models.Model):
    """A reporting form; its content lives in numbered versions."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("reporting template")
        verbose_name_plural = _("reporting templates")

    def __str__(self) -> str:
        return _bilingual(self.title_vi, self.title_en)


class TemplateVersion(models.Model):
    """One frozen version of a template; a campaign opened with it keeps it."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class Section(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(default=0)
    code = models.SlugField(max_length=40)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    # Blank: asked in plans and reports alike; else only in that kind of submission.
    for_kind = models.CharField(
        _("asked in"), max_length=10, choices=SubmissionKind.choices, blank=True
    )

    class Meta:
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="section_code_unique")
        ]

    def __str__(self) -> str:
        return _bilingual(self.title_vi, self.title_en)


class Indicator(models.Model):
    """One question of a template: its answer is stored under ``code`` in a submission."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="indicators")
    # Denormalised from the section, so that codes are unique per version in the database.
    version = models.ForeignKey(
        TemplateVersion, on_delete=models.CASCADE, related_name="indicators"
    )
    order = models.PositiveIntegerField(default=0)
    code = models.SlugField(_("code"), max_length=60)
    label_vi = models.CharField(_("label (Vietnamese)"), max_length=400)
    label_en = models.CharField(_("label (English)"), max_length=400, blank=True)
    help_vi = models.TextField(_("help text"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    unit = models.CharField(_("unit of measure"), max_length=40, blank=True)
    required = models.BooleanField(_("required"), default=False)
    min_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    # choice: [{"value", "label_vi", "label_en"}]; table: [{"code", "label_vi", "kind"}]
    choices = models.JSONField(default=list, blank=True)
    columns = models.JSONField(default=list, blank=True)
    aggregation = models.CharField(
        _("aggregation"), max_length=10, choices=Aggregation.choices, default=Aggregation.LIST
    )

    class Meta:
        ordering = ["section__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="indicator_code_unique"),
            models.CheckConstraint(
                name="indicator_range_ordered",
                condition=models.Q(min_value__isnull=True)
                | models.Q(max_value__isnull=True)
                | models.Q(min_value__lte=models.F("max_value")),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        return _bilingual(self.label_vi, self.label_en)


class Campaign(models.Model):
    """A template version applied to a set of reporting units for a period."""

    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    template_version = models.ForeignKey(
        TemplateVersion, on_delete=models.PROTECT, related_name="campaigns"
    )
    owner_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("run by")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    opens_on = models.DateField(_("opens on"))
    deadline = models.DateField(_("deadline"))
    # Days after the deadline that still count as on time.
    timely_days = models.PositiveIntegerField(_("timely window (days)"), default=0)
    # Days after the deadline at which units can no longer change their submissions; an
    # officer reopens one when needed. None: never locked.
    lock_after_days = models.PositiveIntegerField(_("lock after (days)"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Raised by every change of the settings: a change based on an older one is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = _("reporting campaign")
        verbose_name_plural = _("reporting campaigns")
        constraints = [
            models.CheckConstraint(
                name="campaign_dates_ordered",
                condition=models.Q(period_start__lte=models.F("period_end"))
                & models.Q(opens_on__lte=models.F("deadline")),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _bilingual(self.title_vi, self.title_en)

    @property
    def timely_until(self) -> dt.date:
        return self.deadline + dt.timedelta(days=self.timely_days)

    @property
    def locks_on(self) -> dt.date | None:
        if self.lock_after_days is None:
            return None
        return self.deadline + dt.timedelta(days=self.lock_after_days)

    def is_locked(self, today: dt.date | None = None) -> bool:
        locks_on = self.locks_on
        return locks_on is not None and (today or timezone.localdate()) > locks_on


class CampaignUnit(models.Model):
    """A reporting unit of one campaign, as it was then; ``unit`` answers for it now."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=60)
    name_vi = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("unit type"), max_length=20, choices=Unit.Kind.choices)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    plan_requested = models.BooleanField(_("plan requested"), default=True)
    report_requested = models.BooleanField(_("report requested"), default=True)
    added_on = models.DateField(_("added on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "kind", "name_vi"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="campaign_unit_unique"),
            models.CheckConstraint(
                name="campaign_unit_requests_something",
                condition=models.Q(plan_requested=True) | models.Q(report_requested=True),
            ),
        ]
        indexes = [
            # "My submissions": the campaigns a user's unit answers for.
            models.Index(fields=["unit", "campaign"], name="campaign_unit_by_unit"),
        ]

    def __str__(self) -> str:
        return self.name_vi


class Submission(models.Model):
    """A unit's plan or report in a campaign; ``answers`` maps indicator codes to values."""

    campaign_unit = models.ForeignKey(
        CampaignUnit, on_delete=models.CASCADE, related_name="submissions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SubmissionKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    answers = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # The first time it was sent: completeness and timeliness count from it.
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    # For a report that reached the campaign's officers outside the platform (e-mail, post)
    # and was entered by them on the unit's behalf: the day it arrived, which is then the
    # day it counts as first sent (``services.submission_save``).
    received_on = models.DateField(_("received on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An officer reopened it after the campaign locked.
    reopened = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["campaign_unit", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign_unit", "kind"], name="submission_one_per_kind"
            ),
            models.CheckConstraint(
                name="submission_sent_has_date",
                condition=models.Q(state="draft") | models.Q(first_submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_unit} · {self.get_kind_display()}"


class SubmissionVersion(models.Model):
    """Every saved state of a submission, for the history and its differences."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=SubmissionState.choices)
    answers = models.JSONField(default=dict, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["submission", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="submission_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission} v{self.number}"


class ReminderStage(models.TextChoices):
    WEEK_BEFORE = "week_before", _("A week before the deadline")
    DAY_BEFORE = "day_before", _("The day before the deadline")
    OVERDUE = "overdue", _("After the deadline")
    ESCALATION = "escalation", _("After the timely window")


class Reminder(models.Model):
    """A reminder sent to a unit that had not submitted: each stage once per unit."""

    campaign_unit = models.ForeignKey(
        CampaignUnit, on_delete=models.CASCADE, related_name="reminders"
    )
    stage = models.CharField(max_length=20, choices=ReminderStage.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign_unit", "stage"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_unit} · {self.stage}"


from caunoi.reporting.models_evaluation import (  # noqa: E402,F401  (evaluation models)
    CriteriaSet,
    DacCriterion,
    EvalCriterion,
    EvalEntry,
    EvalIndicator,
    SeriesIndicator,
    SeriesOrigin,
    SeriesValue,
)
