"""Which registry organisation an outside user belongs to, as an officer confirmed it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caunoi.registry.models.partners import Organization


class Affiliation(models.Model):
    """An outside user's request to be linked to an organisation, and the officer's decision.

    ``organization`` is empty while the organisation the person named at sign-up
    (``user.claimed_organization``) matched none in the registry: the officer links an
    existing one or creates it when approving.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        # An organisation people are linked to is not deleted from under them.
        on_delete=models.PROTECT,
        related_name="affiliations",
    )
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.PENDING
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("organisation link")
        verbose_name_plural = _("organisation links")
        constraints = [
            # A person asks for (or holds) a link to one organisation once at a time.
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=~models.Q(state="rejected"),
                name="affiliation_one_live_per_user_org",
            ),
            models.CheckConstraint(
                name="affiliation_approved_has_org",
                condition=~models.Q(state="approved") | models.Q(organization__isnull=False),
            ),
            models.CheckConstraint(
                name="affiliation_decided_has_time",
                condition=models.Q(state="pending") | models.Q(decided_at__isnull=False),
            ),
        ]
        indexes = [
            # The officers' queue: pending requests, oldest first.
            models.Index(fields=["state", "requested_at"], name="affiliation_state_idx"),
        ]

    def __str__(self) -> str:
        target = self.organization or self.user.claimed_organization
        return f"{self.user} → {target}"
