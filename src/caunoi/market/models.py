"""The technology marketplace: offers (supply), requests (demand, "đặt hàng công nghệ"),
intermediaries, experts, the officers' register of target companies, and matches.

Every record is owned by the person who wrote it (``owner_user``) and, optionally, by their
organisation in the registry (``owner_organization``); both are audience principals
(``user:<id>``, ``org:<id>``). Records go through one editorial workflow
(``WORKFLOW``); only an officer's approval makes one public.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from caunoi.registry.models import Organization
from caunoi.registry.models.base import CURRENCY_CHOICES, MONEY_VALIDATORS
from caunoi.taxonomy.models import Country, Field

# Offer prices are stated in these currencies (indicative rates in market.matching).
PRICE_CURRENCIES = [c for c in CURRENCY_CHOICES if c[0] in ("VND", "USD", "EUR")]


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Who may move a record from one status to another: "owner" (its writer or their
# organisation), "officer" (administrators and unit officers). Anything else is refused.
WORKFLOW: dict[tuple[str, str], frozenset[str]] = {
    (Status.DRAFT, Status.SUBMITTED): frozenset({"owner", "officer"}),
    (Status.CHANGES_REQUESTED, Status.SUBMITTED): frozenset({"owner", "officer"}),
    (Status.SUBMITTED, Status.IN_REVIEW): frozenset({"officer"}),
    (Status.SUBMITTED, Status.PUBLISHED): frozenset({"officer"}),
    (Status.SUBMITTED, Status.CHANGES_REQUESTED): frozenset({"officer"}),
    (Status.IN_REVIEW, Status.PUBLISHED): frozenset({"officer"}),
    (Status.IN_REVIEW, Status.CHANGES_REQUESTED): frozenset({"officer"}),
    (Status.PUBLISHED, Status.EXPIRED): frozenset({"officer"}),
    (Status.PUBLISHED, Status.WITHDRAWN): frozenset({"owner", "officer"}),
    (Status.DRAFT, Status.WITHDRAWN): frozenset({"owner", "officer"}),
    (Status.SUBMITTED, Status.WITHDRAWN): frozenset({"owner", "officer"}),
    (Status.CHANGES_REQUESTED, Status.WITHDRAWN): frozenset({"owner", "officer"}),
    (Status.EXPIRED, Status.SUBMITTED): frozenset({"owner", "officer"}),
    (Status.EXPIRED, Status.WITHDRAWN): frozenset({"owner", "officer"}),
    (Status.WITHDRAWN, Status.DRAFT): frozenset({"owner", "officer"}),
}
# Statuses in which the owner may still edit (an officer may edit in any status). An
# expired record is the writer's again: they extend its date, then submit it for review.
OWNER_EDITABLE = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED, Status.EXPIRED})


class Cooperation(models.TextChoices):
    LICENCE = "licence", _("Licence agreement")
    TECHNICAL = "technical", _("Technical cooperation")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    ACQUISITION = "acquisition", _("Acquisition")
    COMMERCIAL = "commercial", _("Commercial agreement with technical assistance")
    RESEARCH = "research", _("Research cooperation")
    SERVICES = "services", _("Services agreement")


class Stage(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    DEVELOPMENT = "development", _("Under development")
    PROTOTYPE = "prototype", _("Prototype available")
    PILOT = "pilot", _("Pilot or field tested")
    MARKET = "market", _("Available on the market")


class IpStatus(models.TextChoices):
    GRANTED = "granted", _("Patent granted")
    PENDING = "pending", _("Patent pending")
    KNOW_HOW = "know_how", _("Secret know-how")
    COPYRIGHT = "copyright", _("Copyright")
    TRADEMARK = "trademark", _("Trademark")
    DESIGN = "design", _("Design rights")
    NONE = "none", _("No protection")


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered here")
    KISTI = "kisti", "KISTI"
    KIAT = "kiat", "KIAT"
    IPI = "ipi", "IPI"
    IMAG = "imag", "IMAG"
    SHANGHAI = "shanghai", _("Shanghai technology exchange")


class Language(models.TextChoices):
    VI = "vi", pgettext_lazy("language", "Vietnamese")
    EN = "en", pgettext_lazy("language", "English")
    BOTH = "vi+en", pgettext_lazy("language", "Vietnamese and English")


CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
# Vietnam's six-level foreign-language framework (Bậc 1–6) is aligned with CEFR A1–C2.
VN_LEVELS = {level: n for n, level in enumerate(CEFR_LEVELS, start=1)}

# Names of the languages experts most often state (others show as the code, or Django's name).
LANGUAGE_NAMES = {
    "vi": pgettext_lazy("language", "Vietnamese"),
    "en": pgettext_lazy("language", "English"),
    "fr": pgettext_lazy("language", "French"),
    "de": pgettext_lazy("language", "German"),
    "ru": pgettext_lazy("language", "Russian"),
    "ja": pgettext_lazy("language", "Japanese"),
    "ko": pgettext_lazy("language", "Korean"),
    "zh": pgettext_lazy("language", "Chinese"),
    "es": pgettext_lazy("language", "Spanish"),
    "it": pgettext_lazy("language", "Italian"),
    "th": pgettext_lazy("language", "Thai"),
    "lo": pgettext_lazy("language", "Lao"),
    "km": pgettext_lazy("language", "Khmer"),
    "nl": pgettext_lazy("language", "Dutch"),
    "he": pgettext_lazy("language", "Hebrew"),
}


def language_name(code: str) -> str:
    """A language's name in the reader's language, from its code (``en``, ``zh-hans``)."""
    code = code.lower()
    if code in LANGUAGE_NAMES:
        return str(LANGUAGE_NAMES[code])
    base = code.split("-")[0]
    if base in LANGUAGE_NAMES:
        return str(LANGUAGE_NAMES[base])
    from django.utils.translation import get_language_info

    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_level(level: str) -> str:
    """A CEFR level with its step of Vietnam's framework: "C1 (Bậc 5)"."""
    n = VN_LEVELS.get(level)
    if n is None:
        return level
    return str(_("%(level)s (Level %(n)d)")) % {"level": level, "n": n}


def languages_display(values: Any) -> str:
    """``[{"language": "en", "level": "C1"}]`` as "English C1 (Bậc 5)", joined by commas."""
    return ", ".join(
        f"{language_name(str(v.get('language', '')))} {language_level(str(v.get('level', '')))}"
        for v in values or ()
        if isinstance(v, dict)
    )


class ExpertCategory(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic expert")
    FOREIGN = "foreign", _("Foreign expert")
    OVERSEAS_VIETNAMESE = "overseas_vn", _("Overseas Vietnamese expert")


class ServiceKind(models.TextChoices):
    """What an intermediary offers (the kinds of the law on technology transfer's services)."""

    BROKERAGE = "brokerage", _("Technology brokerage")
    CONSULTING = "consulting", _("Technology transfer consulting")
    ASSESSMENT = "assessment", _("Technology assessment")
    VALUATION = "valuation", _("Technology valuation")
    IP_VALUATION = "ip_valuation", _("IP valuation")
    IP_SERVICES = "ip_services", _("IP registration and protection")
    COMMERCIALISATION = "commercialisation", _("Commercialisation and promotion")
    FINANCING = "financing", _("Financing and investment")
    TRAINING = "training", _("Training")


def _choices_list(values: Any, allowed: set[str], name: str) -> None:
    """A JSON list of choice values: refuses any value not among them."""
    if not isinstance(values, list) or any(v not in allowed for v in values):
        raise ValidationError(
            _("Choose values among: %(allowed)s.") % {"allowed": ", ".join(sorted(allowed))},
            code=name,
        )


def validate_cooperation(values: Any) -> None:
    _choices_list(values, set(Cooperation.values), "cooperation")


def validate_service_kinds(values: Any) -> None:
    _choices_list(values, set(ServiceKind.values), "service_kinds")


def validate_string_list(values: Any) -> None:
    if not isinstance(values, list) or any(not isinstance(v, str) or len(v) > 200 for v in values):
        raise ValidationError(_("Enter a list of short texts."), code="strings")


def validate_countries(values: Any) -> None:
    validate_string_list(values)
    unknown = set(values) - set(Country.objects.filter(pk__in=values).values_list("pk", flat=True))
    if unknown:
        raise ValidationError(
            _("Unknown country codes: %(codes)s.") % {"codes": ", ".join(sorted(unknown))},
            code="countries",
        )


def known_language(code: str) -> bool:
    """An ISO 639-1 code the platform can name (its own list and Django's), optionally with
    a region or script (``zh-hans``, ``pt-br``)."""
    from django.conf.locale import LANG_INFO

    code = code.strip().lower()
    base = code.split("-")[0]
    return any(c in LANGUAGE_NAMES or c in LANG_INFO for c in (code, base)) and 2 <= len(base) <= 3


def language_problems(values: Any) -> list[tuple[str, str]]:
    """Every problem of an expert's languages, as (path under ``languages``, message):
    ``("1.language", "…")`` for an unknown code or one listed twice, ``("0.level", "…")``
    for a level that is not CEFR A1–C2, ``("", "…")`` when the value is not such a list."""
    shape = _("Languages: each language needs a code and a CEFR level (A1, A2, B1, B2, C1 or C2).")
    if not isinstance(values, list):
        return [("", str(shape))]
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for i, v in enumerate(values):
        if not (isinstance(v, dict) and set(v) == {"language", "level"}):
            problems.append((str(i), str(shape)))
            continue
        code, level = v["language"], v["level"]
        if not isinstance(code, str) or not known_language(code):
            shown = code if isinstance(code, str) else "…"
            problems.append(
                (
                    f"{i}.language",
                    _(
                        "Languages: “%(code)s” is not a known language code; write its ISO "
                        "639-1 code (en, fr, ko, zh…)."
                    )
                    % {"code": shown[:20]},
                )
            )
        elif code.lower() in seen:
            problems.append(
                (
                    f"{i}.language",
                    _("Languages: %(language)s is listed twice; give each language once.")
                    % {"language": language_name(code)},
                )
            )
        else:
            seen.add(code.lower())
        if level not in CEFR_LEVELS:
            shown = level if isinstance(level, str) else "…"
            problems.append(
                (
                    f"{i}.level",
                    _(
                        "Languages: “%(level)s” is not a CEFR level; choose A1, A2, B1, B2, "
                        "C1 or C2."
                    )
                    % {"level": shown[:20]},
                )
            )
    return problems


def split_languages(text: str) -> tuple[list[dict[str, str]], list[str]]:
    """``en:C1; fr:B2`` (also ``en C1, fr B2``): one language code and one level per item,
    items separated by semicolons or commas, code and level by a colon or a space. Returns
    the ``languages`` value (codes lowercased, levels uppercased, not yet checked: that is
    ``language_problems``) and the items that are not a code and a level."""
    out: list[dict[str, str]] = []
    bad: list[str] = []
    for item in (p.strip() for p in text.replace(";", ",").split(",")):
        if not item:
            continue
        parts = item.replace(":", " ").split()
        if len(parts) != 2:
            bad.append(item)
            continue
        out.append({"language": parts[0].lower(), "level": parts[1].upper()})
    return out, bad


def validate_languages(values: Any) -> None:
    """``[{"language": "en", "level": "C1"}, ...]``: known codes, each once, CEFR levels A1–C2
    (every problem at once)."""
    messages = list(dict.fromkeys(message for _path, message in language_problems(values)))
    if messages:
        raise ValidationError(messages, code="languages")


class MarketRecord(models.Model):
    """What every marketplace record shares: owner, workflow status, review, version."""

    status = models.CharField(
        pgettext_lazy("market", "status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fields = models.ManyToManyField(
        Field, verbose_name=_("fields and priority technologies"), blank=True, related_name="+"
    )
    review_note = models.TextField(_("officer's note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(
        pgettext_lazy("market", "created"), default=timezone.now, editable=False
    )
    updated_at = models.DateTimeField(
        pgettext_lazy("market", "updated"), default=timezone.now, editable=False
    )
    version = models.PositiveIntegerField(
        pgettext_lazy("market", "version"), default=1, editable=False
    )

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class Bilingual(MarketRecord):
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_vi = models.TextField(_("summary (Vietnamese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if (get_language() or "vi").startswith("en"):
            return self.title_en or self.title_vi
        return self.title_vi or self.title_en

    @property
    def summary(self) -> str:
        if (get_language() or "vi").startswith("en"):
            return self.summary_en or self.summary_vi
        return self.summary_vi or self.summary_en

    def clean(self) -> None:
        if not (self.title_vi.strip() or self.title_en.strip()):
            message = _("Give a title in Vietnamese or in English.")
            raise ValidationError({"title_vi": message, "title_en": message})


class TechnologyOffer(Bilingual):
    """A technology on offer (after the EEN technology-offer profile and WIPO GREEN)."""

    description = models.TextField(_("description"), blank=True)
    innovation = models.TextField(_("innovation and advantages"), blank=True)
    stage = models.CharField(
        _("stage of development"), max_length=20, choices=Stage.choices, blank=True
    )
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level (TRL)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    ip_status = models.CharField(
        _("intellectual property"), max_length=20, choices=IpStatus.choices, blank=True
    )
    patent_numbers = models.JSONField(
        _("patent numbers"), default=list, blank=True, validators=[validate_string_list]
    )
    cooperation = models.JSONField(
        _("cooperation sought"), default=list, blank=True, validators=[validate_cooperation]
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country of the owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    keywords = models.JSONField(
        _("keywords"), default=list, blank=True, validators=[validate_string_list]
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.MANUAL
    )
    source_ref = models.CharField(_("reference at the source"), max_length=120, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.VI
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Indicative price (what a licence or acquisition costs), compared with request budgets.
    price_min = models.DecimalField(
        _("price from"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=MONEY_VALIDATORS,
    )
    price_max = models.DecimalField(
        _("price up to"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=MONEY_VALIDATORS,
    )
    price_currency = models.CharField(
        _("price currency"), max_length=3, choices=PRICE_CURRENCIES, default="VND", blank=True
    )
    price_negotiable = models.BooleanField(_("price negotiable"), default=False)
    # What receiving the technology takes (compared with a request's absorption capacity).
    needs_lab = models.BooleanField(_("needs a laboratory at the receiver"), default=False)
    needs_equipment = models.BooleanField(_("needs equipment at the receiver"), default=False)
    needs_staff = models.PositiveIntegerField(
        _("qualified staff needed at the receiver"), null=True, blank=True
    )
    needs_notes = models.TextField(
        _("capacity needed (laboratory, equipment, staff qualifications)"), blank=True
    )

    class Meta:
        verbose_name = _("technology offer")
        verbose_name_plural = _("technology offers")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trl__isnull=True) | models.Q(trl__gte=1, trl__lte=9),
                name="market_offer_trl_1_9",
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse("market:detail", args=["offers", self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if (
            self.price_min is not None
            and self.price_max is not None
            and self.price_min > self.price_max
        ):
            errors["price_max"] = [_("The upper bound is below the lower one.")]
        if (self.price_min is not None or self.price_max is not None) and not self.price_currency:
            errors["price_currency"] = [pgettext_lazy("market", "Give the currency of the price.")]
        if errors:
            raise ValidationError(errors)


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public: the requester is named")
    ANONYMOUS = "anonymous", _("Anonymous: published without the requester's name")
    OFFICERS = "officers", _("Officers only: never published")


class EnterpriseSize(models.TextChoices):
    MICRO = "micro", _("Micro (under 10 staff)")
    SMALL = "small", _("Small (10–99 staff)")
    MEDIUM = "medium", _("Medium (100–199 staff)")
    LARGE = "large", _("Large (200 staff or more)")


class TechnologyRequest(Bilingual):
    """A technology request ("đặt hàng công nghệ") with the fields the ministry defined."""

    need = models.TextField(_("technical need (requirements, process, specifications)"))
    purpose = models.TextField(_("purpose of use"), blank=True)
    preferred_countries = models.JSONField(
        _("preferred countries"), default=list, blank=True, validators=[validate_countries]
    )
    preferred_owners = models.TextField(_("preferred owners of the technology"), blank=True)
    characteristics = models.TextField(_("desired characteristics of the technology"), blank=True)
    cooperation = models.JSONField(
        _("cooperation sought"), default=list, blank=True, validators=[validate_cooperation]
    )
    min_trl = models.PositiveSmallIntegerField(
        _("lowest acceptable TRL"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    # Absorption capacity of the receiving unit.
    staff_count = models.PositiveIntegerField(_("technical staff"), null=True, blank=True)
    staff_qualifications = models.TextField(_("staff qualifications"), blank=True)
    equipment = models.TextField(_("equipment and facilities"), blank=True)
    has_lab = models.BooleanField(_("has a laboratory"), null=True, blank=True)
    budget_min = models.DecimalField(
        _("budget from"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=MONEY_VALIDATORS,
    )
    budget_max = models.DecimalField(
        _("budget up to"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=MONEY_VALIDATORS,
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCY_CHOICES, default="VND", blank=True
    )
    prior_transfers = models.TextField(_("prior technology transfers"), blank=True)
    # The requesting enterprise.
    province = models.CharField(_("province"), max_length=100, blank=True)
    size = models.CharField(
        _("enterprise size"), max_length=10, choices=EnterpriseSize.choices, blank=True
    )
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    deadline = models.DateField(pgettext_lazy("market", "deadline"), null=True, blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=10,
        choices=Confidentiality.choices,
        default=Confidentiality.PUBLIC,
    )

    class Meta:
        verbose_name = _("technology request")
        verbose_name_plural = _("technology requests")
        ordering = ["-updated_at", "-id"]

    def get_absolute_url(self) -> str:
        return reverse("market:detail", args=["requests", self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if (
            self.budget_min is not None
            and self.budget_max is not None
            and self.budget_min > self.budget_max
        ):
            errors["budget_max"] = [_("The upper bound is below the lower one.")]
        if (self.budget_min is not None or self.budget_max is not None) and not self.currency:
            errors["currency"] = [pgettext_lazy("market", "Give the currency of the budget.")]
        if errors:
            raise ValidationError(errors)


class Intermediary(MarketRecord):
    """A brokerage, consulting or valuation service for technology and IP."""

    name = models.CharField(_("name"), max_length=300)
    service_kinds = models.JSONField(
        _("kinds of service"),
        default=list,
        blank=True,
        validators=[validate_service_kinds],
        help_text=_("Brokerage, consulting, valuation of technology or IP …"),
    )
    services = models.TextField(_("services"))
    regions = models.JSONField(
        _("regions served"), default=list, blank=True, validators=[validate_string_list]
    )
    fees = models.TextField(_("fees"), blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("intermediary")
        verbose_name_plural = _("intermediaries")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("market:detail", args=["intermediaries", self.pk])

    @property
    def title(self) -> str:
        return self.name


ORCID_FORM = r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]"


def orcid_checks(orcid: str) -> bool:
    """The ORCID check digit (ISO 7064 MOD 11-2 over the first 15 digits; 10 is written X)."""
    digits = orcid.replace("-", "")
    total = 0
    for d in digits[:-1]:
        total = (total + int(d)) * 2
    result = (12 - total % 11) % 11
    return digits[-1] == ("X" if result == 10 else str(result))


class Expert(MarketRecord):
    """An expert (foreign experts and overseas Vietnamese scientists included)."""

    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(
        _("expert category"), max_length=12, choices=ExpertCategory.choices, blank=True
    )
    profile = models.TextField(_("profile"), blank=True)
    affiliation = models.CharField(_("organisation"), max_length=300, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    languages = models.JSONField(
        _("languages (CEFR level)"), default=list, blank=True, validators=[validate_languages]
    )
    orcid = models.CharField(
        _("ORCID"),
        max_length=19,
        blank=True,
        validators=[
            RegexValidator(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$", _("An ORCID is 0000-0000-0000-0000."))
        ],
    )
    availability = models.CharField(_("availability"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("market:detail", args=["experts", self.pk])

    def clean(self) -> None:
        super().clean()
        if self.orcid and re.fullmatch(ORCID_FORM, self.orcid) and not orcid_checks(self.orcid):
            raise ValidationError(
                {"orcid": _("This ORCID's check digit is wrong; copy it again from orcid.org.")}
            )

    @property
    def title(self) -> str:
        return self.name


class TargetCompany(models.Model):
    """A foreign company holding core technology or IP worth acquiring (officers only)."""

    name = models.CharField(_("name"), max_length=300)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    technologies = models.TextField(_("core technologies and IP"))
    fields = models.ManyToManyField(Field, verbose_name=_("fields"), blank=True, related_name="+")
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(
        pgettext_lazy("market", "created"), default=timezone.now, editable=False
    )
    updated_at = models.DateTimeField(
        pgettext_lazy("market", "updated"), default=timezone.now, editable=False
    )
    version = models.PositiveIntegerField(
        pgettext_lazy("market", "version"), default=1, editable=False
    )

    class Meta:
        verbose_name = _("target company")
        verbose_name_plural = _("target companies")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("market:target-detail", args=[self.pk])


class Match(models.Model):
    """A scored pairing of a request with an offer, an expert or an intermediary.

    Written by the matching task from the ranking package's output (score and explanation);
    no ranking happens in this app. Exactly one of offer, expert, intermediary is set.
    """

    class Feedback(models.TextChoices):
        NONE = "", _("No feedback")
        NOT_RELEVANT = "not_relevant", _("Not relevant")
        TOO_EARLY = "too_early", _("Too early stage")
        BENEFIT_UNCLEAR = "benefit_unclear", _("Benefit unclear")
        TOO_EXPENSIVE = "too_expensive", _("Too expensive")
        INTERESTED = "interested", _("Interested")

    request = models.ForeignKey(TechnologyRequest, on_delete=models.CASCADE, related_name="matches")
    offer = models.ForeignKey(
        TechnologyOffer, null=True, blank=True, on_delete=models.CASCADE, related_name="matches"
    )
    expert = models.ForeignKey(
        Expert, null=True, blank=True, on_delete=models.CASCADE, related_name="matches"
    )
    intermediary = models.ForeignKey(
        Intermediary, null=True, blank=True, on_delete=models.CASCADE, related_name="matches"
    )
    score = models.FloatField(_("score"))
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    # The requester's feedback (or an officer's for them), and the provider's: the owner of
    # the offer, expert or intermediary (or an officer for them), each side its own column.
    feedback = models.CharField(
        _("feedback"), max_length=20, choices=Feedback.choices, blank=True, default=""
    )
    provider_feedback = models.CharField(
        _("provider's feedback"),
        max_length=20,
        choices=Feedback.choices,
        blank=True,
        default="",
    )
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["request", "-score"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(offer__isnull=False, expert__isnull=True, intermediary__isnull=True)
                    | models.Q(offer__isnull=True, expert__isnull=False, intermediary__isnull=True)
                    | models.Q(offer__isnull=True, expert__isnull=True, intermediary__isnull=False)
                ),
                name="market_match_one_counterpart",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.request} ↔ {self.offer or self.expert or self.intermediary} ({self.score:.2f})"
        )


class MatchStatistics(models.Model):
    """The term statistics matches of one candidate kind are weighed with (a snapshot).

    Taken by a full recompute; incremental updates (one changed offer scored against every
    request) use the same snapshot, so their scores equal a full recompute's. ``df`` maps a
    term to the number of published candidates containing it, ``n`` is their number.
    """

    kind = models.CharField(max_length=20, unique=True)
    n = models.PositiveIntegerField()
    df = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("match statistics")
        verbose_name_plural = _("match statistics")

    def __str__(self) -> str:
        return f"{self.kind}: {self.n}"


class RequestVector(models.Model):
    """A request's query embedding, reused by match recomputes while the text it was made
    from (``text_hash``: SHA-256 of that text) and the engine (``engine``) are unchanged.

    The search service stores passage vectors of documents; a request is matched as a query
    (another prefix, another vector), so its vector is kept here. Internal: no page shows it.
    """

    request = models.OneToOneField(
        TechnologyRequest, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    text_hash = models.CharField(max_length=64)
    engine = models.CharField(max_length=60)
    embedding = models.BinaryField()  # float32, L2-normalised
    embedded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"request {self.request_id}"


class CandidateAnalysis(models.Model):
    """The lexical analysis of a match candidate's text (``techmatch.encode_analysis``),
    kept between match recomputes: read back while the text (``text_hash``: SHA-256 of the
    language and the text the core analyses) and the analysis (``analyzer``:
    ``techmatch.analysis_fingerprint()``) are unchanged, made again otherwise.
    Internal: no page shows it."""

    kind = models.CharField(max_length=20)  # offer, expert, intermediary
    object_id = models.PositiveBigIntegerField()
    text_hash = models.CharField(max_length=64)
    analyzer = models.CharField(max_length=40)
    data = models.TextField()
    analysed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="candidate_analysis_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


# --- expressions of interest (after the EEN partnering process) --------------------------------


class InterestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    FORWARDED = "forwarded", _("Forwarded to the owner")
    ACCEPTED = "accepted", _("Accepted by the owner")
    DECLINED = "declined", _("Declined by the owner")
    NEGOTIATING = "negotiating", _("In negotiation")
    SIGNED = "signed", _("Agreement signed")
    NOT_CONCLUDED = "not_concluded", _("Not concluded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Who may move an expression from one stage to the next: "officer" (administrators and unit
# officers), "owner" (the writer of the offer or request, or their organisation), "sender"
# (who expressed the interest).
INTEREST_WORKFLOW: dict[tuple[str, str], frozenset[str]] = {
    (InterestStatus.SUBMITTED, InterestStatus.FORWARDED): frozenset({"officer"}),
    (InterestStatus.SUBMITTED, InterestStatus.DECLINED): frozenset({"officer"}),
    (InterestStatus.FORWARDED, InterestStatus.ACCEPTED): frozenset({"owner", "officer"}),
    (InterestStatus.FORWARDED, InterestStatus.DECLINED): frozenset({"owner", "officer"}),
    (InterestStatus.ACCEPTED, InterestStatus.NEGOTIATING): frozenset(
        {"owner", "sender", "officer"}
    ),
    (InterestStatus.NEGOTIATING, InterestStatus.SIGNED): frozenset({"officer"}),
    (InterestStatus.ACCEPTED, InterestStatus.NOT_CONCLUDED): frozenset(
        {"owner", "sender", "officer"}
    ),
    (InterestStatus.NEGOTIATING, InterestStatus.NOT_CONCLUDED): frozenset(
        {"owner", "sender", "officer"}
    ),
    **{
        (frm, InterestStatus.WITHDRAWN): frozenset({"sender", "officer"})
        for frm in (
            InterestStatus.SUBMITTED,
            InterestStatus.FORWARDED,
            InterestStatus.ACCEPTED,
            InterestStatus.NEGOTIATING,
        )
    },
}
# Still waiting for an outcome: these count against the limits and on the dashboard.
INTEREST_OPEN = frozenset(
    {
        InterestStatus.SUBMITTED,
        InterestStatus.FORWARDED,
        InterestStatus.ACCEPTED,
        InterestStatus.NEGOTIATING,
    }
)


class Interest(models.Model):
    """An expression of interest in a published offer or request, with a message.

    Exactly one of ``offer`` / ``request`` is the record the interest is in (database
    check). ``from_request`` is, for an interest in an offer, the sender's own request it
    came from (a match); when that request is anonymous, or the sender asked for it,
    ``anonymous`` hides the sender from the owner (``audience.sender_visible``).
    """

    offer = models.ForeignKey(
        TechnologyOffer,
        verbose_name=_("technology offer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interests",
    )
    request = models.ForeignKey(
        TechnologyRequest,
        verbose_name=_("technology request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interests",
    )
    from_request = models.ForeignKey(
        TechnologyRequest,
        verbose_name=_("on behalf of the request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    anonymous = models.BooleanField(_("name not disclosed to the owner"), default=False)
    message = models.TextField(_("message"), max_length=4000)
    status = models.CharField(
        _("stage"),
        max_length=20,
        choices=InterestStatus.choices,
        default=InterestStatus.SUBMITTED,
        db_index=True,
    )
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True, editable=False)
    # The reply deadline of the current stage (every open stage has one: the setting's
    # default on entering it, changed by an officer); reminders go once per stage and date.
    answer_due = models.DateField(_("reply due"), null=True, blank=True, editable=False)
    overdue_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    outcome_note = models.TextField(_("outcome"), blank=True)
    # Mediation: an intermediary's user or an officer relays the messages between the
    # parties (neither party then reads the other's messages directly).
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mediator_intermediary = models.ForeignKey(
        "Intermediary",
        verbose_name=_("mediating intermediary"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediated_interests",
    )
    # Outcome data, recorded when an agreement is signed (read by the indicators).
    agreement_type = models.CharField(
        _("type of agreement"), max_length=20, choices=Cooperation.choices, blank=True
    )
    agreement_value = models.DecimalField(
        _("value of the agreement"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=MONEY_VALIDATORS,
    )
    agreement_currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCY_CHOICES, blank=True
    )
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    created_at = models.DateTimeField(
        pgettext_lazy("market", "created"), default=timezone.now, editable=False
    )
    updated_at = models.DateTimeField(
        pgettext_lazy("market", "updated"), default=timezone.now, editable=False
    )
    version = models.PositiveIntegerField(
        pgettext_lazy("market", "version"), default=1, editable=False
    )

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(offer__isnull=False, request__isnull=True)
                    | models.Q(offer__isnull=True, request__isnull=False)
                ),
                name="market_interest_one_record",
            )
        ]
        indexes = [models.Index(fields=["sender", "created_at"], name="market_int_sender_day")]

    def __str__(self) -> str:
        return str(_("Interest in “%(title)s”") % {"title": self.record})

    def get_absolute_url(self) -> str:
        return reverse("market:interest-detail", args=[self.pk])

    @property
    def record(self) -> Any:
        """The offer or request this interest is in."""
        return self.offer if self.offer_id else self.request

    @property
    def is_open(self) -> bool:
        return self.status in INTEREST_OPEN

    @property
    def is_overdue(self) -> bool:
        """An open stage past its reply deadline."""
        return (
            self.status in INTEREST_OPEN
            and self.answer_due is not None
            and self.answer_due < timezone.localdate()
        )

    @property
    def is_mediated(self) -> bool:
        return self.mediator_id is not None

    def clean(self) -> None:
        """The outcome: type and date of an agreement signed, a value with its currency."""
        errors: dict[str, list[Any]] = {}
        if self.agreement_value is not None:
            if self.agreement_value < 0:
                errors["agreement_value"] = [_("The value cannot be negative.")]
            if not self.agreement_currency:
                errors["agreement_currency"] = [_("Give the currency of the value.")]
        if self.status == InterestStatus.SIGNED:
            if not self.agreement_type:
                errors["agreement_type"] = [_("Choose the type of agreement signed.")]
            if self.signed_on is None:
                errors["signed_on"] = [_("Give the date the agreement was signed.")]
        if self.signed_on is not None:
            if self.signed_on > timezone.localdate():
                errors["signed_on"] = [_("The date signed cannot be in the future.")]
            elif self.created_at and self.signed_on < timezone.localdate(self.created_at):
                errors["signed_on"] = [
                    _("The date signed is before the expression of interest was sent.")
                ]
        if errors:
            raise ValidationError(errors)


class InterestEvent(models.Model):
    """One change of stage: who, when, from, to and the optional outcome note."""

    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=InterestStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=InterestStatus.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.interest_id}: {self.from_status} → {self.to_status}"


class InterestMessage(models.Model):
    """A message between the parties, through the platform: neither sees the other's
    e-mail address, and an undisclosed party is never named."""

    class To(models.TextChoices):
        ALL = "all", _("Everyone on the expression")
        MEDIATOR = "mediator", _("The mediator")
        SENDER = "sender", _("The interested party")
        OWNER = "owner", _("The owner")

    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=4000)
    # Who reads it besides its author and the officers (the mediator reads everything).
    to = models.CharField(max_length=10, choices=To.choices, default=To.ALL)
    relay_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="relays"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.interest_id}: {self.body[:40]}"


class Reminder(models.Model):
    """A reminder already sent: one per record and threshold (validity deadlines), so the
    daily task never sends the same reminder twice."""

    kind = models.CharField(max_length=20)  # "offer" or "request"
    record_id = models.PositiveIntegerField()
    threshold = models.PositiveSmallIntegerField()  # days before the deadline
    deadline = models.DateField()  # the deadline it was about (a new deadline reminds again)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "record_id", "threshold", "deadline"], name="market_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} −{self.threshold}d"


class MatchNotice(models.Model):
    """A request's owner was told about this counterpart once: matches recomputed later do
    not notify again."""

    request = models.ForeignKey(TechnologyRequest, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)  # offer, expert, intermediary
    target_id = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "target_id"], name="market_match_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.kind} {self.target_id}"


class InterestReminder(models.Model):
    """An overdue reminder already sent: one per expression, stage and deadline, so the daily
    task never repeats one (a new deadline or a later stage reminds again)."""

    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=20, choices=InterestStatus.choices)
    deadline = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["interest", "stage", "deadline"], name="market_interest_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.interest_id} {self.stage} {self.deadline}"
