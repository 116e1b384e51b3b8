"""Forms for marketplace records: the form parses and shows the model's rules at once; the
service validates again and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from caunoi.market.models import (
    Cooperation,
    Expert,
    Intermediary,
    ServiceKind,
    TargetCompany,
    TechnologyOffer,
    TechnologyRequest,
    split_languages,
    validate_languages,
)
from caunoi.registry.models import Organization
from caunoi.taxonomy.models import Field


class ListField(forms.CharField):
    """A list of short texts, typed separated by commas or semicolons."""

    def __init__(self, *, upper: bool = False, **kwargs: Any) -> None:
        self.upper = upper
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Separate values with commas."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        items = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
        return [p.upper() for p in items] if self.upper else items


class LanguagesField(forms.CharField):
    """``en C1, fr B2``: a language code and a CEFR level per item (``models.split_languages``)."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(f"{v.get('language')} {v.get('level')}" for v in value)
        return value

    def to_python(self, value: Any) -> list[dict[str, str]]:  # type: ignore[override]
        out, bad = split_languages(super().to_python(value) or "")
        if bad:
            raise forms.ValidationError(
                _("Write each language as a code and a CEFR level, e.g. “en C1”.")
            )
        return out

    def validate(self, value: Any) -> None:
        """Unknown codes and levels and a language given twice, all at once (the model's
        rule, ``models.validate_languages``)."""
        super().validate(value)
        validate_languages(value)


def _cooperation() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("cooperation sought"),
        choices=Cooperation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class MarketForm(forms.ModelForm):  # type: ignore[type-arg]
    fields_ = forms.ModelMultipleChoiceField(
        label=_("fields and priority technologies"),
        queryset=Field.objects.all(),
        required=False,
    )

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "owner_organization" in self.fields:
            qs = organizations if organizations is not None else Organization.objects.none()
            self.fields["owner_organization"].queryset = qs  # type: ignore[attr-defined]
        if self.instance.pk and hasattr(self.instance, "fields"):
            self.initial["fields_"] = list(self.instance.fields.all())
        self._number_bounds()

    def _number_bounds(self) -> None:
        """A number's HTML ``min`` / ``max`` are the model's bounds (a TRL 1–9, not the
        positive integer field's 0), so the browser asks what the server will accept."""
        for name, field in self.fields.items():
            if not isinstance(field, forms.IntegerField):
                continue
            try:
                model_field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            for validator in model_field._validators:  # the declared bounds only
                if isinstance(validator, MinValueValidator):
                    field.widget.attrs["min"] = validator.limit_value
                elif isinstance(validator, MaxValueValidator):
                    field.widget.attrs["max"] = validator.limit_value

    def _post_clean(self) -> None:
        """The model's (and the service's) rules on what parsed, so that one submission shows
        every error: a field the form already refused is left to its own message.

        The checks run on a copy of the record; the service validates again when it writes.
        """
        import copy

        from caunoi.market.services import past_date_errors
        from caunoi.registry.services import _validation_errors

        trial = copy.copy(self.instance)
        for name, value in self.cleaned_data.items():
            if name != "fields_" and name in self._meta.fields:  # type: ignore[operator]
                setattr(trial, name, value)
        refused = set(self.errors)
        model_fields = {f.name for f in trial._meta.concrete_fields}
        exclude = {n for n in model_fields if n not in self.fields or n in refused}
        errors: dict[str, list[str]] = {}
        try:
            trial.full_clean(exclude=exclude, validate_unique=False, validate_constraints=True)
        except ValidationError as exc:
            errors.update(_validation_errors(exc))
        until = {TechnologyOffer: "valid_until", TechnologyRequest: "deadline"}.get(type(trial))
        if until and until not in refused:
            before = getattr(self.instance, until) if self.instance.pk else None
            if not self.instance.pk or getattr(trial, until) != before:
                errors.update(past_date_errors(trial))
        for name, messages in errors.items():
            field = name if name in self.fields else None
            if field is not None and field in refused:
                continue
            for message in messages:
                if field is None or message not in self.errors.get(field, []):
                    self.add_error(field, message)

    def values(self) -> tuple[dict[str, Any], dict[str, Any]]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "fields_"}
        m2m = {"fields": self.cleaned_data.get("fields_") or []}
        return data, m2m


class OfferForm(MarketForm):
    cooperation = _cooperation()
    keywords = ListField(label=_("keywords"))
    patent_numbers = ListField(label=_("patent numbers"))

    class Meta:
        model = TechnologyOffer
        fields = [
            "title_vi",
            "title_en",
            "summary_vi",
            "summary_en",
            "description",
            "innovation",
            "stage",
            "trl",
            "ip_status",
            "patent_numbers",
            "cooperation",
            "owner_organization",
            "country",
            "keywords",
            "language",
            "valid_until",
            "price_min",
            "price_max",
            "price_currency",
            "price_negotiable",
            "needs_lab",
            "needs_equipment",
            "needs_staff",
            "needs_notes",
        ]
        widgets = {"valid_until": forms.DateInput(attrs={"type": "date"})}


class RequestForm(MarketForm):
    cooperation = _cooperation()
    preferred_countries = ListField(label=_("preferred countries (ISO codes)"), upper=True)

    class Meta:
        model = TechnologyRequest
        fields = [
            "title_vi",
            "title_en",
            "summary_vi",
            "summary_en",
            "need",
            "purpose",
            "preferred_countries",
            "preferred_owners",
            "characteristics",
            "cooperation",
            "min_trl",
            "staff_count",
            "staff_qualifications",
            "equipment",
            "has_lab",
            "budget_min",
            "budget_max",
            "currency",
            "prior_transfers",
            "owner_organization",
            "province",
            "size",
            "sector",
            "deadline",
            "confidentiality",
        ]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"})}


class ExpertForm(MarketForm):
    languages = LanguagesField(
        label=_("languages (CEFR level)"),
        required=False,
        help_text=_("For example: en C1, ko B2"),
    )

    class Meta:
        model = Expert
        fields = [
            "name",
            "category",
            "profile",
            "affiliation",
            "owner_organization",
            "country",
            "languages",
            "orcid",
            "availability",
        ]


class IntermediaryForm(MarketForm):
    service_kinds = forms.MultipleChoiceField(
        label=_("kinds of service"),
        choices=ServiceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = ListField(label=_("regions served"))

    class Meta:
        model = Intermediary
        fields = [
            "name",
            "service_kinds",
            "services",
            "owner_organization",
            "country",
            "regions",
            "fees",
        ]


class TargetCompanyForm(MarketForm):
    class Meta:
        model = TargetCompany
        fields = ["name", "country", "technologies", "notes"]


class TransitionForm(forms.Form):
    status = forms.CharField(max_length=20)
    note = forms.CharField(required=False, max_length=4000)
    version = forms.IntegerField(required=False, min_value=1)


class InterestTransitionForm(TransitionForm):
    """A stage change of an expression of interest: an officer may set the next stage's reply
    deadline; signing records the outcome (validated by the model)."""

    answer_due = forms.DateField(required=False)
    agreement_type = forms.CharField(required=False, max_length=20)
    agreement_value = forms.DecimalField(required=False, max_digits=15, decimal_places=2)
    agreement_currency = forms.CharField(required=False, max_length=3)
    signed_on = forms.DateField(required=False)

    def outcome(self) -> dict[str, object]:
        data = self.cleaned_data
        return {
            "agreement_type": data.get("agreement_type") or "",
            "agreement_value": data.get("agreement_value"),
            "agreement_currency": data.get("agreement_currency") or "",
            "signed_on": data.get("signed_on"),
        }


class InterestOutcomeForm(forms.Form):
    """An officer's correction of an agreement signed: the whole outcome as the page shows
    it (validated by the model, as when signing)."""

    version = forms.IntegerField(required=False, min_value=1)
    agreement_type = forms.CharField(required=False, max_length=20)
    agreement_value = forms.DecimalField(required=False, max_digits=15, decimal_places=2)
    agreement_currency = forms.CharField(required=False, max_length=3)
    signed_on = forms.DateField(required=False)
    note = forms.CharField(required=False, max_length=4000)

    def outcome(self) -> dict[str, object]:
        data = self.cleaned_data
        return {
            "agreement_type": data.get("agreement_type") or "",
            "agreement_value": data.get("agreement_value"),
            "agreement_currency": data.get("agreement_currency") or "",
            "signed_on": data.get("signed_on"),
        }
