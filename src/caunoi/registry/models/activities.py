"""Delegations in and out, events, and the S&T representatives posted abroad."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from caunoi.registry.models.agreements import Agreement
from caunoi.registry.models.base import RegistryRecord, TitledRecord
from caunoi.registry.models.projects import Project
from caunoi.taxonomy.models import Country


class Delegation(TitledRecord):
    class Direction(models.TextChoices):
        OUTGOING = "out", _("Outgoing (đoàn ra)")
        INCOMING = "in", _("Incoming (đoàn vào)")

    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    members_count = models.PositiveIntegerField(_("number of members"), default=1)
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"))
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), related_name="delegations", blank=True
    )
    host = models.CharField(_("host"), max_length=300, blank=True)
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegations",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegations",
    )
    trip_report = models.TextField(_("trip report"), blank=True)

    class Meta:
        ordering = ["-start_on", "-id"]
        indexes = [
            # Delegation list, newest first (the default sort).
            models.Index(fields=["-start_on", "-id"], name="delegation_start_idx"),
        ]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(
                name="delegation_dates_ordered",
                condition=models.Q(end_on__gte=models.F("start_on")),
            ),
            models.CheckConstraint(
                name="delegation_has_members", condition=models.Q(members_count__gte=1)
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("entity-detail", args=["delegations", self.pk])


class Event(TitledRecord):
    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        TECHMART = "techmart", _("Techmart")
        EXHIBITION = "exhibition", _("Exhibition")
        WORKSHOP = "workshop", _("Workshop")
        FORUM = "forum", _("Forum")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    organizer = models.CharField(_("organiser"), max_length=300, blank=True)
    url = models.URLField(_("web page"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-start_on", "-id"]
        indexes = [
            # Event list, newest first (the default sort).
            models.Index(fields=["-start_on", "-id"], name="event_start_idx"),
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                name="event_dates_ordered", condition=models.Q(end_on__gte=models.F("start_on"))
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("entity-detail", args=["events", self.pk])


class Representative(RegistryRecord):
    """A post in the network of S&T representatives abroad."""

    post = models.CharField(_("post"), max_length=300)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="representatives",
    )
    person = models.CharField(_("representative"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    coverage = models.ManyToManyField(
        Country, verbose_name=_("countries covered"), related_name="covered_by", blank=True
    )
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["country__name_vi"]
        constraints = [
            models.CheckConstraint(
                name="representative_dates_ordered",
                condition=models.Q(until__isnull=True)
                | models.Q(since__isnull=True)
                | models.Q(until__gte=models.F("since")),
            ),
        ]
        verbose_name = _("S&T representative")
        verbose_name_plural = _("S&T representatives")

    def __str__(self) -> str:
        return self.post

    def get_absolute_url(self) -> str:
        return reverse("entity-detail", args=["representatives", self.pk])
