"""Cooperation projects (protocol research tasks, multilateral, ODA and loan projects).

Roles and statuses follow the IATI activity standard (OrganisationRole, ActivityStatus).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from caunoi.registry.models.agreements import Agreement
from caunoi.registry.models.base import CURRENCY_CHOICES, MONEY_VALIDATORS, TitledRecord
from caunoi.registry.models.partners import Organization
from caunoi.taxonomy.models import Country


class Project(TitledRecord):
    class Kind(models.TextChoices):
        PROTOCOL = "protocol", _("Bilateral protocol research task")
        BILATERAL = "bilateral", _("Bilateral project")
        MULTILATERAL = "multilateral", _("Multilateral project")
        ODA = "oda", _("ODA project")
        LOAN = "loan", _("Loan project")

    class Status(models.TextChoices):  # IATI ActivityStatus
        PIPELINE = "pipeline", _("Pipeline / identification")
        IMPLEMENTATION = "implementation", _("Implementation")
        FINALISATION = "finalisation", _("Finalisation")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")
        SUSPENDED = "suspended", _("Suspended")

    code = models.CharField(_("code"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PIPELINE
    )
    lead_organization = models.ForeignKey(
        Organization,
        verbose_name=_("Vietnamese lead organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    funder = models.ForeignKey(
        Organization,
        verbose_name=_("funder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funded_projects",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement implemented"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=MONEY_VALIDATORS,
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    outputs = models.TextField(_("outputs and results"), blank=True)
    # Derived from the funder and participants' seats by the services (see Agreement).
    countries = models.ManyToManyField(
        Country,
        verbose_name=_("countries"),
        blank=True,
        editable=False,
        related_name="linked_projects",
    )

    class Meta:
        ordering = ["-planned_start", "-id"]
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")
        constraints = [
            models.CheckConstraint(
                name="project_budget_not_negative",
                condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0),
            ),
            models.CheckConstraint(
                name="project_budget_has_currency",
                condition=models.Q(budget__isnull=True) | ~models.Q(currency=""),
            ),
            models.CheckConstraint(
                name="project_planned_dates_ordered",
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
            ),
            models.CheckConstraint(
                name="project_actual_dates_ordered",
                condition=models.Q(actual_end__isnull=True)
                | models.Q(actual_start__isnull=True)
                | models.Q(actual_end__gte=models.F("actual_start")),
            ),
        ]
        indexes = [
            # Project list filtered by kind and status.
            models.Index(fields=["kind", "status"], name="project_kind_status_idx"),
            # Project list, newest first (the default sort), and the start-date column sort.
            models.Index(fields=["-planned_start", "-id"], name="project_start_idx"),
            # Sorting the list by title.
            models.Index(fields=["title_vi", "id"], name="project_title_idx"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("entity-detail", args=["projects", self.pk])


class ProjectParticipant(models.Model):
    class Role(models.TextChoices):  # IATI OrganisationRole
        FUNDING = "funding", _("Funding")
        ACCOUNTABLE = "accountable", _("Accountable")
        EXTENDING = "extending", _("Extending")
        IMPLEMENTING = "implementing", _("Implementing")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="project_roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organization", "role"], name="participant_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.get_role_display()}"
