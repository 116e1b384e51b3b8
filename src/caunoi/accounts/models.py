"""Users, the units they belong to, API tokens and the audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """A ministry, province, department or agency that owns records and reports."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department of the ministry")
        MINISTRY = "ministry", _("Ministry or central agency")
        PROVINCE = "province", _("Province or city")
        AGENCY = "agency", _("Agency or institute")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name_vi


class CaunoiUserManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        """`caunoi createsuperuser` makes an HTQT administrator."""
        extra.setdefault("role", User.Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


class OutsideKind(models.TextChoices):
    """What an outside user (not network staff) is, as they declare it at sign-up."""

    ENTERPRISE = "enterprise", _("Enterprise")
    RESEARCH = "research", _("Research organisation")
    PROVIDER = "provider", _("Technology provider")
    INTERMEDIARY = "intermediary", _("Intermediary organisation")
    EXPERT = "expert", _("Expert")


class User(AbstractUser):
    """A signed-in person. Anonymous visitors are the public and are not stored.

    Network staff (administrators, unit officers, viewers) read internal records; outside
    users (enterprises, research organisations, technology providers, intermediaries,
    experts) sign up themselves and read only what is public or theirs.
    """

    objects: ClassVar[CaunoiUserManager] = CaunoiUserManager()

    class Role(models.TextChoices):
        ADMIN = "admin", _("HTQT administrator")
        OFFICER = "officer", _("Unit officer")
        VIEWER = "viewer", _("Viewer")
        EXTERNAL = "external", _("Outside user")

    STAFF_ROLES: ClassVar[frozenset[str]] = frozenset({Role.ADMIN, Role.OFFICER, Role.VIEWER})

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    outside_kind = models.CharField(
        _("kind of outside user"), max_length=20, choices=OutsideKind.choices, blank=True
    )
    email_verified_at = models.DateTimeField(_("e-mail verified"), null=True, blank=True)
    # What the person said at sign-up; an officer links them to a registry organisation.
    claimed_organization = models.CharField(
        _("organisation (as given)"), max_length=300, blank=True
    )
    claimed_country = models.CharField(_("country (as given)"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="officer_has_unit",
                condition=~models.Q(role="officer") | models.Q(unit__isnull=False),
            ),
            models.CheckConstraint(
                name="outside_kind_iff_external",
                condition=(models.Q(role="external") & ~models.Q(outside_kind=""))
                | (~models.Q(role="external") & models.Q(outside_kind="")),
            ),
            # One account per e-mail address, whatever its case (sign-up, password reset).
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_ci_unique",
                violation_error_message=_("An account with this e-mail address already exists."),
            ),
        ]

    def get_full_name(self) -> str:
        """Vietnamese order: family (and middle) name first, then the given name."""
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def is_admin(self) -> bool:
        return self.is_active and (self.role == self.Role.ADMIN or self.is_superuser)

    @property
    def is_officer(self) -> bool:
        return self.is_active and self.role == self.Role.OFFICER

    @property
    def is_network_staff(self) -> bool:
        """Active administrators, unit officers and viewers: they read internal records."""
        return self.is_active and self.role in self.STAFF_ROLES

    @property
    def is_outside(self) -> bool:
        """An enterprise, research organisation, provider, intermediary or expert."""
        return self.role == self.Role.EXTERNAL


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for machine clients; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Empty only for tokens made before tokens expired; set for every new one.
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @staticmethod
    def new_raw() -> str:
        return "cn_" + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(raw: str) -> str:
        return _token_digest(raw)


class AuditEvent(models.Model):
    """One change to one record: who, when, what (field by field)."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")
        TRANSITION = "transition", _("changed status")
        IMPORT = "import", _("imported")
        ATTACH = "attach", _("attached a document")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    model = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The history panel on every detail page: events of one record, newest first.
            models.Index(fields=["model", "object_id", "-created_at"], name="audit_record_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.model}#{self.object_id}"

    @property
    def actor_display(self) -> str:
        """The person's full name, else the username (``system`` for automatic changes)."""
        actor = self.actor
        return (actor.get_full_name() if actor is not None else "") or self.actor_name

    def change_rows(self) -> list[dict[str, Any]]:
        """The changes as people read them: the field's verbose name, choice labels, yes/no,
        dates day-first; rows whose old and new read the same are left out."""
        from django.apps import apps

        try:
            model: Any = apps.get_model(self.model)
        except (LookupError, ValueError):
            model = None
        rows = []
        for name, value in self.changes.items():
            if not (isinstance(value, list) and len(value) == 2):
                continue
            field = None
            if model is not None:
                try:
                    field = model._meta.get_field(name)
                except FieldDoesNotExist:
                    field = None
            label = str(getattr(field, "verbose_name", "") or _AUDIT_LABELS.get(name, name))
            old, new = (_audit_display(field, v) for v in value)
            if old != new:
                rows.append({"field": label, "old": old, "new": new})
        return sorted(rows, key=lambda r: r["field"])


_AUDIT_LABELS = {"parties": _("parties"), "documents": _("documents")}


def _audit_display(field: Any, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(_audit_display(field, v) for v in value)
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    return str(value)


# Each kind of notification and its sentence (a lazy gettext msgid with ``%(param)s``
# placeholders), filled by ``caunoi.accounts.notifications.register_kind``.
NOTIFICATION_KINDS: dict[str, Any] = {}


class Notification(models.Model):
    """An in-app notification, generic: the app that sends one registers its ``kind`` with
    the sentence to show (``caunoi.accounts.notifications.register_kind``)."""

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(default=dict, blank=True)  # what the sentence is filled with
    link = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="accounts_notif_unread"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The registered sentence of its kind, filled from ``params``."""
        template = NOTIFICATION_KINDS.get(self.kind)
        if template is None:
            return self.kind
        try:
            return str(template) % dict(self.params or {})
        except (KeyError, TypeError, ValueError):
            return str(template)


class NotificationSettings(models.Model):
    """How a user wants their notifications by e-mail: each at once, a daily digest, none."""

    class Email(models.TextChoices):
        IMMEDIATE = "immediate", _("An e-mail for each notification")
        DAILY = "daily", _("One daily digest e-mail")
        NONE = "none", _("No e-mail (in the application only)")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email = models.CharField(
        _("e-mail"), max_length=10, choices=Email.choices, default=Email.IMMEDIATE
    )

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"
