"""Agreements, their parties and source documents, and the status lifecycle."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caunoi.registry.models.base import TitledRecord
from caunoi.registry.models.partners import Organization
from caunoi.taxonomy.models import Country


class Agreement(TitledRecord):
    class Kind(models.TextChoices):
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental agreement")
        MINISTRY = "ministry", _("Ministry-level agreement")
        MOU = "mou", _("Memorandum of understanding")
        LETTER_OF_INTENT = "loi", _("Letter of intent")
        COMMITTEE_MINUTES = "minutes", _("Minutes of an intergovernmental committee")
        PROTOCOL = "protocol", _("Protocol")
        CONTRACT = "contract", _("Contract")
        OTHER = "other", _("Other")

    class Level(models.TextChoices):
        STATE = "state", _("State")
        GOVERNMENT = "government", _("Government")
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Agency or unit")
        PROVINCE = "province", _("Province")

    class Status(models.TextChoices):
        NEGOTIATING = "negotiating", _("Negotiating")
        SIGNED = "signed", _("Signed")
        IN_FORCE = "in_force", _("In force")
        EXPIRING = "expiring", _("Expiring")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")
        RENEWED = "renewed", _("Renewed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEGOTIATING
    )
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    signed_place = models.CharField(_("place of signing"), max_length=200, blank=True)
    effective_on = models.DateField(_("entry into force"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    auto_renew = models.BooleanField(_("renews automatically"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    obligations = models.TextField(_("obligations and commitments"), blank=True)
    # Derived from the parties (states, and the seats of organisations) by the services, so
    # "everything with Korea" is one indexed join instead of ORed joins through parties.
    countries = models.ManyToManyField(
        Country,
        verbose_name=_("countries"),
        blank=True,
        editable=False,
        related_name="linked_agreements",
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=500,
        blank=True,
        help_text=_('For example "Quyết định số 735/QĐ-TTg".'),
    )

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                name="agreement_expiry_after_signing",
                condition=models.Q(expires_on__isnull=True)
                | models.Q(signed_on__isnull=True)
                | models.Q(expires_on__gte=models.F("signed_on")),
            ),
            models.CheckConstraint(
                name="agreement_force_after_signing",
                condition=models.Q(effective_on__isnull=True)
                | models.Q(signed_on__isnull=True)
                | models.Q(effective_on__gte=models.F("signed_on")),
            ),
        ]
        indexes = [
            # Expiring-agreements dashboard and digest: status in (in_force, expiring) by expiry.
            models.Index(fields=["status", "expires_on"], name="agreement_status_expiry_idx"),
            # Public list, newest first (the default sort; ties broken by id).
            models.Index(
                fields=["is_public", "-signed_on", "-id"], name="agreement_public_signed_idx"
            ),
            # Staff list, newest first, and the signing-date column sort either way.
            models.Index(fields=["-signed_on", "-id"], name="agreement_signed_idx"),
            # Sorting the list by title or by expiry date.
            models.Index(fields=["title_vi", "id"], name="agreement_title_idx"),
            models.Index(fields=["expires_on", "id"], name="agreement_expires_idx"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("entity-detail", args=["agreements", self.pk])

    def days_to_expiry(self) -> int | None:
        if self.expires_on is None:
            return None
        return (self.expires_on - timezone.localdate()).days


# Allowed status changes; the server refuses every other one.
AGREEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    Agreement.Status.NEGOTIATING: frozenset({Agreement.Status.SIGNED, Agreement.Status.TERMINATED}),
    Agreement.Status.SIGNED: frozenset({Agreement.Status.IN_FORCE, Agreement.Status.TERMINATED}),
    Agreement.Status.IN_FORCE: frozenset(
        {
            Agreement.Status.EXPIRING,
            Agreement.Status.EXPIRED,
            Agreement.Status.TERMINATED,
            Agreement.Status.RENEWED,
        }
    ),
    Agreement.Status.EXPIRING: frozenset(
        {Agreement.Status.EXPIRED, Agreement.Status.TERMINATED, Agreement.Status.RENEWED}
    ),
    Agreement.Status.EXPIRED: frozenset({Agreement.Status.RENEWED}),
    Agreement.Status.RENEWED: frozenset(
        {Agreement.Status.EXPIRING, Agreement.Status.EXPIRED, Agreement.Status.TERMINATED}
    ),
    Agreement.Status.TERMINATED: frozenset(),
}


class AgreementParty(models.Model):
    """One signatory: a state or an organisation, on the Vietnamese or the foreign side."""

    class Side(models.TextChoices):
        VIETNAM = "vn", _("Vietnamese side")
        FOREIGN = "foreign", _("Foreign side")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("state"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    signatory = models.CharField(_("signed by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.CheckConstraint(
                name="party_is_state_or_organization",
                condition=(models.Q(country__isnull=False) & models.Q(organization__isnull=True))
                | (models.Q(country__isnull=True) & models.Q(organization__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization or self.country)


class AgreementDocument(models.Model):
    """A source document (the signed text, a translation, minutes) attached to an agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="agreements/%Y/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")

    def __str__(self) -> str:
        return self.title
