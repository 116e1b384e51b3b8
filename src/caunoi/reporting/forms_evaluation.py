"""The criteria-set editor's forms: the set's head, one row per OECD DAC criterion (taken in
or not, its weight and evaluation question) and one row per indicator (its criterion, code,
labels, source or "entered with evidence", weight, target and direction).

Like the template editor: every problem is named on its row and field, in the interface
language; empty indicator rows are ignored; nothing is saved until all rows are right.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _

from caunoi.core.indicators import indicator_sources
from caunoi.reporting.evaluation_sets import MAX_WEIGHT
from caunoi.reporting.models_evaluation import CriteriaSet, DacCriterion

INDICATOR_EXTRA = 3
MORE_ROWS = 3
ENTERED = ""  # the source choice of an indicator entered with evidence


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _weight(**kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Weight"),
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any"}),
        **kwargs,
    )


class SetHeadForm(forms.Form):
    code = forms.SlugField(
        label=_("Criteria set code"),
        max_length=60,
        help_text=_("Latin letters, digits and hyphens, e.g. hieu-qua-htqt-2026."),
    )
    title_vi = forms.CharField(label=_("Title (Vietnamese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    period_start = _date(_("Period from"))
    period_end = _date(_("Period to"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class CriterionForm(forms.Form):
    """One of the six DAC criteria: taken into the set or not, with its weight."""

    code = forms.ChoiceField(choices=DacCriterion.choices, widget=forms.HiddenInput)
    included = forms.BooleanField(label=_("In the set"), required=False)
    weight = _weight(required=False, initial=1)
    question_vi = forms.CharField(
        label=_("Evaluation question"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @property
    def criterion_label(self) -> str:
        code = self["code"].value()
        return str(DacCriterion(code).label) if code in DacCriterion.values else str(code)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("included"):
            weight = data.get("weight")
            if weight is None:
                self.add_error("weight", _("Give the criterion a weight."))
            elif weight <= 0 or weight > MAX_WEIGHT:
                self.add_error("weight", _("A weight is a positive number."))
        return data


def source_choices() -> list[tuple[str, Any]]:
    return [
        (ENTERED, _("Entered with evidence")),
        *((s.key, f"{s.label_vi} ({s.unit})") for s in indicator_sources()),
    ]


class IndicatorForm(forms.Form):
    criterion = forms.ChoiceField(
        label=_("Criterion"), choices=[("", "—"), *DacCriterion.choices], required=False
    )
    code = forms.CharField(label=_("Indicator code"), max_length=60, required=False)
    label_vi = forms.CharField(label=_("Label (Vietnamese)"), max_length=400, required=False)
    label_en = forms.CharField(label=_("Label (English)"), max_length=400, required=False)
    source_key = forms.ChoiceField(
        label=_("Value from"),
        required=False,
        error_messages={"invalid_choice": _("Unknown indicator source: %(value)s.")},
    )
    unit = forms.CharField(label=_("Unit of measure"), max_length=40, required=False)
    weight = _weight(required=False, initial=1)
    target = forms.DecimalField(
        label=_("Target"),
        max_digits=18,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[("higher", _("Higher is better")), ("lower", _("Lower is better"))],
        initial="higher",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source_key"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = source_choices()

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("code") or data.get("label_vi"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank():
            return data
        for field, message in (
            ("criterion", _("Choose the criterion of this indicator.")),
            ("code", _("Give the indicator a code.")),
            ("label_vi", _("Give the indicator a Vietnamese label.")),
        ):
            if not data.get(field):
                self.add_error(field, message)
        if data.get("code"):
            try:
                validate_slug(data["code"])
            except forms.ValidationError:
                self.add_error("code", _("Use Latin letters, digits and hyphens only."))
        weight = data.get("weight")
        if weight is None:
            if "weight" not in self.errors:
                self.add_error("weight", _("Give the indicator a weight."))
        elif weight <= 0 or weight > MAX_WEIGHT:
            self.add_error("weight", _("A weight is a positive number."))
        target = data.get("target")
        if target is None:
            if "target" not in self.errors:
                self.add_error("target", _("Give the indicator a target."))
        elif target <= 0:
            self.add_error("target", _("The target is a positive number."))
        return data


CriterionFormSet = forms.formset_factory(CriterionForm, extra=0)
IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=INDICATOR_EXTRA)


def criteria_initial(structure: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The six criterion rows, in the DAC order, from a set's structure (or all taken, weight
    1, for a new set)."""
    given = {c["code"]: c for c in structure or []}
    rows = []
    for criterion in DacCriterion:
        spec = given.get(criterion.value)
        rows.append(
            {
                "code": criterion.value,
                "included": spec is not None or structure is None,
                "weight": spec["weight"] if spec else Decimal(1),
                "question_vi": spec.get("question_vi", "") if spec else "",
            }
        )
    return rows


def indicators_initial(structure: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "criterion": c["code"],
            "code": i["code"],
            "label_vi": i["label_vi"],
            "label_en": i["label_en"],
            "source_key": i["source_key"],
            "unit": i["unit"],
            "weight": i["weight"],
            "target": i["target"],
            "direction": "higher" if i["higher_is_better"] else "lower",
        }
        for c in structure
        for i in c["indicators"]
    ]


def head_initial(cs: CriteriaSet) -> dict[str, Any]:
    return {
        "code": cs.code,
        "title_vi": cs.title_vi,
        "title_en": cs.title_en,
        "description": cs.description,
        "period_start": cs.period_start,
        "period_end": cs.period_end,
        "version": cs.version,
    }


def structure_spec(criterion_forms: Any, indicator_forms: Any) -> list[dict[str, Any]]:
    """The ``criteria`` argument of ``evaluation_sets`` from two valid formsets; problems
    across rows (a code used twice, a criterion not taken in) go on their row's field."""
    criteria: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for form in criterion_forms:
        data = form.cleaned_data
        if not data or not data.get("included"):
            continue
        spec = {
            "code": data["code"],
            "weight": data["weight"],
            "question_vi": data.get("question_vi", ""),
            "indicators": [],
        }
        by_code[data["code"]] = spec
        criteria.append(spec)
    seen: set[str] = set()
    for form in indicator_forms:
        data = form.cleaned_data
        if not data or form.is_blank():
            continue
        if data["code"] in seen:
            form.add_error("code", _("Two indicators have this code."))
            continue
        seen.add(data["code"])
        owner = by_code.get(data["criterion"])
        if owner is None:
            form.add_error("criterion", _("This criterion is not in the set: tick it above."))
            continue
        owner["indicators"].append(
            {
                "code": data["code"],
                "label_vi": data["label_vi"],
                "label_en": data.get("label_en", ""),
                "unit": data.get("unit", ""),
                "weight": data["weight"],
                "target": data["target"],
                "higher_is_better": data.get("direction") != "lower",
                "source_key": data.get("source_key", ""),
            }
        )
    return criteria


def weight_sums(criterion_forms: Any, indicator_forms: Any) -> dict[str, Any]:
    """The weights as entered (valid or not), summed: each criterion's share of the set and
    the sum of its indicators' weights, shown beside the editor."""

    def number(form: Any, name: str) -> Decimal | None:
        raw = form[name].value()
        try:
            value = Decimal(str(raw).replace(",", ".")) if raw not in (None, "") else None
        except ArithmeticError:
            return None
        return value if value is not None and value.is_finite() else None

    rows = []
    for form in criterion_forms:
        included = form["included"].value()
        if included in (False, None, "", "off", "false"):
            continue
        code = form["code"].value()
        rows.append({"code": code, "label": form.criterion_label, "weight": number(form, "weight")})
    ind_sums: dict[str, Decimal] = {}
    ind_counts: dict[str, int] = {}
    for form in indicator_forms:
        crit = form["criterion"].value()
        if not crit or not (form["code"].value() or form["label_vi"].value()):
            continue
        weight = number(form, "weight")
        ind_sums[crit] = ind_sums.get(crit, Decimal(0)) + (weight or 0)
        ind_counts[crit] = ind_counts.get(crit, 0) + 1
    total = sum((r["weight"] or Decimal(0)) for r in rows if (r["weight"] or 0) > 0)
    for r in rows:
        w = r["weight"]
        r["share"] = float(w / total * 100) if total and w and w > 0 else None
        r["indicator_sum"] = ind_sums.get(r["code"], Decimal(0))
        r["indicator_count"] = ind_counts.get(r["code"], 0)
    return {"rows": rows, "total": total}
