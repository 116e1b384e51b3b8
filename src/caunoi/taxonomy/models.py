"""One bilingual taxonomy shared by every record: fields of S&T and countries."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Bilingual(models.Model):
    """Shows the Vietnamese or English name by the active language."""

    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name_vi


class Field(Bilingual):
    """A field of S&T (OECD Fields of Science and Technology) or a national priority technology."""

    class Kind(models.TextChoices):
        FOS = "fos", _("Field of science and technology")
        PRIORITY = "priority", _("Priority technology")

    code = models.CharField(_("code"), max_length=20, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent field"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("field of S&T")
        verbose_name_plural = _("fields of S&T")

    def get_absolute_url(self) -> str:
        return reverse("field-detail", args=[self.slug])


class Country(Bilingual):
    """An ISO 3166-1 country; its Vietnamese official name and aliases come from vntext."""

    iso2 = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    iso3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def get_absolute_url(self) -> str:
        return reverse("country-detail", args=[self.iso2.lower()])
