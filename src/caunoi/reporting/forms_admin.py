"""The officers' forms: a template version (its sections and indicators, as two formsets) and
a campaign (dates, windows, the units asked and for what).

A template is edited as rows: a section row per section, an indicator row per indicator that
names its section by code. Choices are written one a line as ``value | Vietnamese label |
English label``; a table's columns as ``code | Vietnamese label | text or number``. Every
problem is named on its row and field, in the interface language; nothing is saved until all
rows are right.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _

from caunoi.accounts.models import Unit
from caunoi.reporting.models import (
    Aggregation,
    Campaign,
    Indicator,
    IndicatorKind,
    SubmissionKind,
    TemplateVersion,
)
from caunoi.reporting.services import lock_problems

SECTION_EXTRA = 2
INDICATOR_EXTRA = 4
MORE_ROWS = 5
COLUMN_KINDS = ("text", "number")


class TemplateHeadForm(forms.Form):
    code = forms.SlugField(
        label=_("Template code"),
        max_length=60,
        help_text=_("Latin letters, digits and hyphens, e.g. de-an-1851."),
    )
    title_vi = forms.CharField(label=_("Title (Vietnamese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)


class SectionForm(forms.Form):
    code = forms.CharField(label=_("Section code"), max_length=40, required=False)
    title_vi = forms.CharField(label=_("Title (Vietnamese)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    for_kind = forms.ChoiceField(
        label=_("Asked in"),
        choices=[("", _("Plans and reports")), *SubmissionKind.choices],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("code") or data.get("title_vi")):
            return data  # an empty row
        if not data.get("code"):
            self.add_error("code", _("Give the section a code."))
        else:
            try:
                validate_slug(data["code"])
            except forms.ValidationError:
                self.add_error("code", _("Use Latin letters, digits and hyphens only."))
        if not data.get("title_vi"):
            self.add_error("title_vi", _("Give the section a Vietnamese title."))
        return data


def _lines(text: str) -> list[list[str]]:
    return [[p.strip() for p in line.split("|")] for line in text.splitlines() if line.strip()]


class IndicatorForm(forms.Form):
    section = forms.CharField(label=_("Section code"), max_length=40, required=False)
    code = forms.CharField(label=_("Indicator code"), max_length=60, required=False)
    label_vi = forms.CharField(label=_("Label (Vietnamese)"), max_length=400, required=False)
    label_en = forms.CharField(label=_("Label (English)"), max_length=400, required=False)
    help_vi = forms.CharField(
        label=_("Help text"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "—"), *IndicatorKind.choices], required=False
    )
    unit = forms.CharField(label=_("Unit of measure"), max_length=40, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    min_value = forms.DecimalField(
        label=_("Minimum"), max_digits=20, decimal_places=4, required=False
    )
    max_value = forms.DecimalField(
        label=_("Maximum"), max_digits=20, decimal_places=4, required=False
    )
    choices = forms.CharField(
        label=_("Choices (one a line: value | Vietnamese label | English label)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    columns = forms.CharField(
        label=_("Table columns (one a line: code | Vietnamese label | text or number)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    aggregation = forms.ChoiceField(
        label=_("Aggregation"), choices=Aggregation.choices, initial=Aggregation.LIST
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("code") or data.get("label_vi") or data.get("kind"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank():
            return data
        for field, message in (
            ("section", _("Name the section of this indicator (its code).")),
            ("code", _("Give the indicator a code.")),
            ("label_vi", _("Give the indicator a Vietnamese label.")),
            ("kind", _("Choose the kind of answer.")),
        ):
            if not data.get(field):
                self.add_error(field, message)
        if data.get("code"):
            try:
                validate_slug(data["code"])
            except forms.ValidationError:
                self.add_error("code", _("Use Latin letters, digits and hyphens only."))
        kind = data.get("kind")
        low, high = data.get("min_value"), data.get("max_value")
        if (low is not None or high is not None) and kind not in (
            IndicatorKind.NUMBER,
            IndicatorKind.PERCENT,
        ):
            self.add_error("min_value", _("Ranges apply to numbers and percentages only."))
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("The maximum is below the minimum."))
        if kind == IndicatorKind.PERCENT and (
            (low is not None and low < 0) or (high is not None and high > 100)
        ):
            self.add_error("max_value", _("A percentage lies between 0 and 100."))
        if data.get("aggregation") in (Aggregation.SUM, Aggregation.AVERAGE) and kind not in (
            IndicatorKind.NUMBER,
            IndicatorKind.PERCENT,
        ):
            self.add_error(
                "aggregation", _("Only numbers and percentages can be summed or averaged.")
            )
        choices: list[dict[str, str]] = []
        for parts in _lines(data.get("choices") or ""):
            if not parts[0]:
                self.add_error("choices", _("Every choice needs a value."))
                break
            choices.append(
                {
                    "value": parts[0],
                    "label_vi": parts[1] if len(parts) > 1 and parts[1] else parts[0],
                    **({"label_en": parts[2]} if len(parts) > 2 and parts[2] else {}),
                }
            )
        if kind == IndicatorKind.CHOICE and len(choices) < 2 and "choices" not in self.errors:
            self.add_error("choices", _("A choice needs at least two options."))
        if len({c["value"] for c in choices}) != len(choices):
            self.add_error("choices", _("Two choices have the same value."))
        columns: list[dict[str, str]] = []
        for parts in _lines(data.get("columns") or ""):
            code = parts[0]
            col_kind = parts[2].lower() if len(parts) > 2 and parts[2] else "text"
            try:
                validate_slug(code)
            except forms.ValidationError:
                self.add_error("columns", _("Column codes use Latin letters, digits and hyphens."))
                break
            if col_kind not in COLUMN_KINDS:
                self.add_error("columns", _("A column is of kind text or number."))
                break
            columns.append(
                {
                    "code": code,
                    "label_vi": parts[1] if len(parts) > 1 and parts[1] else code,
                    "kind": col_kind,
                }
            )
        if kind == IndicatorKind.TABLE and not columns and "columns" not in self.errors:
            self.add_error("columns", _("A table needs its columns."))
        if len({c["code"] for c in columns}) != len(columns):
            self.add_error("columns", _("Two columns have the same code."))
        data["choices_list"] = choices if kind == IndicatorKind.CHOICE else []
        data["columns_list"] = columns if kind == IndicatorKind.TABLE else []
        return data


SectionFormSet = forms.formset_factory(SectionForm, extra=SECTION_EXTRA)
IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=INDICATOR_EXTRA)


def version_initial(version: TemplateVersion) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A version's rows, to prefill the form that publishes the next one."""
    sections = [
        {"code": s.code, "title_vi": s.title_vi, "title_en": s.title_en, "for_kind": s.for_kind}
        for s in version.sections.all()
    ]
    indicators: list[dict[str, Any]] = []
    ind: Indicator
    for ind in version.indicators.select_related("section"):
        indicators.append(
            {
                "section": ind.section.code,
                "code": ind.code,
                "label_vi": ind.label_vi,
                "label_en": ind.label_en,
                "help_vi": ind.help_vi,
                "kind": ind.kind,
                "unit": ind.unit,
                "required": ind.required,
                "min_value": ind.min_value,
                "max_value": ind.max_value,
                "choices": "\n".join(
                    " | ".join(
                        p for p in (c["value"], c.get("label_vi", ""), c.get("label_en", "")) if p
                    )
                    for c in ind.choices
                ),
                "columns": "\n".join(
                    f"{c['code']} | {c.get('label_vi', '')} | {c.get('kind', 'text')}"
                    for c in ind.columns
                ),
                "aggregation": ind.aggregation,
            }
        )
    return sections, indicators


def sections_spec(
    section_forms: Any, indicator_forms: Any
) -> tuple[list[dict[str, Any]], list[str]]:
    """The ``sections`` argument of ``services.template_publish`` from two valid formsets,
    and the problems across rows (a code used twice, an unknown section)."""
    problems: list[str] = []
    sections: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for form in section_forms:
        data = form.cleaned_data
        if not data or not data.get("code"):
            continue
        if data["code"] in by_code:
            form.add_error("code", _("Two sections have this code."))
            continue
        spec = {
            "code": data["code"],
            "title_vi": data["title_vi"],
            "title_en": data.get("title_en", ""),
            "for_kind": data.get("for_kind", ""),
            "indicators": [],
        }
        by_code[data["code"]] = spec
        sections.append(spec)
    seen: set[str] = set()
    for form in indicator_forms:
        data = form.cleaned_data
        if not data or form.is_blank():
            continue
        if data["code"] in seen:
            form.add_error("code", _("Two indicators have this code."))
            continue
        seen.add(data["code"])
        section = by_code.get(data["section"])
        if section is None:
            form.add_error("section", _("No section has this code."))
            continue
        section["indicators"].append(
            {
                "code": data["code"],
                "label_vi": data["label_vi"],
                "label_en": data.get("label_en", ""),
                "help_vi": data.get("help_vi", ""),
                "kind": data["kind"],
                "unit": data.get("unit", ""),
                "required": bool(data.get("required")),
                "min_value": data.get("min_value"),
                "max_value": data.get("max_value"),
                "choices": data["choices_list"],
                "columns": data["columns_list"],
                "aggregation": data["aggregation"],
            }
        )
    if not sections:
        problems.append(str(_("A template needs at least one section.")))
    elif not seen:
        problems.append(str(_("A template needs at least one indicator.")))
    return sections, problems


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class CampaignForm(forms.Form):
    """A campaign's title, template version (when opening it), period, dates and windows."""

    title_vi = forms.CharField(label=_("Title (Vietnamese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    template_version = forms.ModelChoiceField(
        label=_("Template version"), queryset=TemplateVersion.objects.none()
    )
    period_start = _date(_("Period from"))
    period_end = _date(_("Period to"))
    opens_on = _date(_("Opens on"))
    deadline = _date(_("Deadline"))
    timely_days = forms.IntegerField(
        label=_("Timely window (days)"),
        min_value=0,
        max_value=365,
        initial=0,
        help_text=_("Days after the deadline that still count as on time."),
    )
    lock_after_days = forms.IntegerField(
        label=_("Lock after (days)"),
        min_value=0,
        max_value=3650,
        required=False,
        help_text=_(
            "Days after the deadline when units can no longer change anything; empty: never locked."
        ),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            # A campaign keeps the version it was opened with.
            del self.fields["template_version"]
            # The settings' version the form was opened at (a change of an older one is refused).
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
        else:
            field = self.fields["template_version"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = TemplateVersion.objects.select_related("template").order_by(
                "template__code", "-number"
            )

    @staticmethod
    def initial_of(campaign: Campaign) -> dict[str, Any]:
        return {f: getattr(campaign, f) for f in CAMPAIGN_FIELDS}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        opens, deadline = data.get("opens_on"), data.get("deadline")
        if start and end and start > end:
            self.add_error("period_end", _("The period ends before it starts."))
        if opens and deadline and opens > deadline:
            self.add_error("deadline", _("The deadline is before the opening date."))
        if "timely_days" in data and "lock_after_days" in data:
            for field, messages in lock_problems(
                data["timely_days"], data["lock_after_days"]
            ).items():
                for message in messages:
                    self.add_error(field, message)
        return data


CAMPAIGN_FIELDS = (
    "title_vi",
    "title_en",
    "period_start",
    "period_end",
    "opens_on",
    "deadline",
    "timely_days",
    "lock_after_days",
)


def reporting_units() -> Any:
    return Unit.objects.filter(
        kind__in=[Unit.Kind.MINISTRY, Unit.Kind.PROVINCE, Unit.Kind.AGENCY]
    ).order_by("kind", "name_vi")


class CampaignUnitsForm(forms.Form):
    """What a new campaign asks, and of whom."""

    plan = forms.BooleanField(label=_("Ask for an implementation plan"), required=False)
    report = forms.BooleanField(label=_("Ask for a report"), required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("Reporting units"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["units"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = reporting_units()
        self.fields["units"].error_messages["required"] = _("Choose at least one unit.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("plan") or data.get("report")):
            self.add_error("report", _("Ask the units for a plan, a report or both."))
        return data


class UnitAddForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    added_on = forms.DateField(
        label=_("Added on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    plan = forms.BooleanField(label=_("Plan"), required=False, initial=True)
    report = forms.BooleanField(label=_("Report"), required=False, initial=True)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = campaign.units.values_list("unit_id", flat=True)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = reporting_units().exclude(pk__in=taken)


class UnitRemoveForm(forms.Form):
    campaign_unit = forms.IntegerField(widget=forms.HiddenInput)
    removed_on = forms.DateField(
        label=_("Removed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
