"""Forms for the registry's pages and imports.

The business rules they show next to their fields come from `registry.rules`, which the
services enforce for every caller (the API validates with its own schemas, not with forms).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caunoi.accounts import permissions
from caunoi.accounts.models import Unit, User
from caunoi.core.widgets import use_picker
from caunoi.registry import rules
from caunoi.registry.models import (
    Agreement,
    AgreementParty,
    Delegation,
    Event,
    Membership,
    Organization,
    Project,
    Representative,
)
from caunoi.taxonomy.models import Country, Field


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _limit(form: forms.BaseForm, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


#: The suggestion endpoint of each model the registry forms pick from (type-ahead pickers).
PICKER_SOURCES = {
    Country: "country-suggest",
    Field: "field-suggest",
    Organization: "organization-suggest",
}


class RecordForm(forms.ModelForm):  # type: ignore[type-arg]
    """Adds the owning unit and publication flag for administrators only."""

    m2m_fields: tuple[str, ...] = ("fields",)
    #: Extra suggestion parameters per form field (``scope`` of the organisation picker).
    picker_params: dict[str, dict[str, str]] = {}

    #: The version of the record the form was opened on; an update based on an older one is
    #: refused by the services (optimistic concurrency).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is None:
            self.fields.pop("version")
        else:
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version
        if user is None or not permissions.can_publish(user):
            self.fields.pop("is_public", None)
            self.fields.pop("owner_unit", None)
        if "owner_unit" in self.fields:
            self.fields["owner_unit"].required = False
            self.fields["owner_unit"].help_text = _("Left empty, the unit of the person saving.")
        if "fields" in self.fields:
            _limit(self, "fields", Field.objects.order_by("kind", "code"))
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
                source = PICKER_SOURCES.get(field.queryset.model)
                if source:
                    use_picker(field, source, **self.picker_params.get(name, {}))
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
            if isinstance(field.widget, forms.SelectMultiple):
                field.widget.attrs.setdefault("size", "6")
            field.widget.attrs.setdefault("id", f"id_{name}")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        creating = self.instance.pk is None
        self.add_rule_errors(rules.record_errors(self._meta.model, data, creating=creating))
        return data

    def add_rule_errors(self, errors: rules.Errors, rename: dict[str, str] | None = None) -> None:
        for name, messages in errors.items():
            name = (rename or {}).get(name, name)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    def expected_version(self) -> int | None:
        """The version the writer read (None when creating)."""
        value = self.cleaned_data.get("version")
        return int(value) if value is not None else None

    def model_data(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in self.m2m_fields
            and k != "version"
            and k in {f.name for f in self._meta.model._meta.concrete_fields}
        }

    def m2m_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) or [] for k in self.m2m_fields if k in self.fields}


class OrganizationForm(RecordForm):
    aliases_text = forms.CharField(
        label=_("aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )

    class Meta:
        model = Organization
        fields = [
            "name_vi",
            "name_en",
            "acronym",
            "key",
            "kind",
            "country",
            "parent",
            "website",
            "ror",
            "description",
            "fields",
            "owner_unit",
            "is_public",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].required = False
        self.fields["key"].help_text = _("Left empty, it is made from the acronym or name.")
        if self.instance.pk:
            self.fields["aliases_text"].initial = "\n".join(self.instance.aliases or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}  # an empty key is made by the service
        data["aliases"] = [
            a.strip() for a in (data.pop("aliases_text", "") or "").splitlines() if a.strip()
        ]
        return data

    def model_data(self) -> dict[str, Any]:
        data = super().model_data()
        data["aliases"] = self.cleaned_data.get("aliases", [])
        return data


class AgreementForm(RecordForm):
    picker_params = {
        "vn_organizations": {"scope": "vn"},
        "foreign_organizations": {"scope": "foreign"},
    }
    vn_organizations = forms.ModelMultipleChoiceField(
        label=_("Vietnamese parties (organisations)"),
        required=False,
        queryset=Organization.objects.filter(country_id="VN"),
    )
    vn_state = forms.BooleanField(label=_("The State of Viet Nam is a party"), required=False)
    foreign_countries = forms.ModelMultipleChoiceField(
        label=_("Foreign parties (states)"), required=False, queryset=Country.objects.all()
    )
    foreign_organizations = forms.ModelMultipleChoiceField(
        label=_("Foreign parties (organisations)"),
        required=False,
        queryset=Organization.objects.exclude(country_id="VN"),
    )

    class Meta:
        model = Agreement
        fields = [
            "title_vi",
            "title_en",
            "kind",
            "level",
            "status",
            "signed_on",
            "signed_place",
            "effective_on",
            "expires_on",
            "auto_renew",
            "legal_basis",
            "summary",
            "obligations",
            "fields",
            "owner_unit",
            "is_public",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "obligations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields.pop("status")
            parties = list(self.instance.parties.all())
            self.fields["vn_organizations"].initial = [
                p.organization_id for p in parties if p.side == "vn" and p.organization_id
            ]
            self.fields["vn_state"].initial = any(p.side == "vn" and p.country_id for p in parties)
            self.fields["foreign_countries"].initial = [
                p.country_id for p in parties if p.side == "foreign" and p.country_id
            ]
            self.fields["foreign_organizations"].initial = [
                p.organization_id for p in parties if p.side == "foreign" and p.organization_id
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The form's own pickers keep each party on its side; the foreign party is required.
        self.add_rule_errors(
            rules.party_errors(self.parties()), rename={"parties": "foreign_countries"}
        )
        return data

    def parties(self) -> list[rules.Party]:
        data = self.cleaned_data
        rows: list[rules.Party] = []
        if data.get("vn_state"):
            rows.append((AgreementParty.Side.VIETNAM, Country.objects.get(pk="VN"), None))
        rows += [(AgreementParty.Side.VIETNAM, None, o) for o in data.get("vn_organizations") or []]
        rows += [
            (AgreementParty.Side.FOREIGN, c, None) for c in data.get("foreign_countries") or []
        ]
        rows += [
            (AgreementParty.Side.FOREIGN, None, o) for o in data.get("foreign_organizations") or []
        ]
        return rows


class MembershipForm(RecordForm):
    picker_params = {"organization": {"scope": "international"}}

    class Meta:
        model = Membership
        fields = [
            "organization",
            "status",
            "since",
            "focal_unit",
            "annual_fee",
            "currency",
            "obligations",
            "fields",
            "owner_unit",
            "is_public",
        ]
        widgets = {"obligations": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(
            self,
            "organization",
            Organization.objects.filter(
                kind__in=[Organization.Kind.INTERNATIONAL, Organization.Kind.REGIONAL]
            ),
        )
        _limit(self, "focal_unit", Unit.objects.all())


class ProjectForm(RecordForm):
    participants = forms.ModelMultipleChoiceField(
        label=_("foreign partners (implementing)"),
        required=False,
        queryset=Organization.objects.all(),
    )

    class Meta:
        model = Project
        fields = [
            "title_vi",
            "title_en",
            "code",
            "kind",
            "status",
            "lead_organization",
            "funder",
            "agreement",
            "budget",
            "currency",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "description",
            "outputs",
            "fields",
            "owner_unit",
            "is_public",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "outputs": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "agreement", Agreement.objects.only("id", "title_vi", "title_en"))
        if self.instance.pk:
            self.fields["participants"].initial = [
                p.organization_id
                for p in self.instance.participants.all()
                if p.role == "implementing"
            ]


class DelegationForm(RecordForm):
    m2m_fields = ("fields", "countries")

    class Meta:
        model = Delegation
        fields = [
            "title_vi",
            "title_en",
            "direction",
            "purpose",
            "members_count",
            "start_on",
            "end_on",
            "countries",
            "host",
            "agreement",
            "project",
            "trip_report",
            "fields",
            "owner_unit",
            "is_public",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "trip_report": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "agreement", Agreement.objects.only("id", "title_vi", "title_en"))
        _limit(self, "project", Project.objects.only("id", "title_vi", "title_en"))


class EventForm(RecordForm):
    class Meta:
        model = Event
        fields = [
            "title_vi",
            "title_en",
            "kind",
            "start_on",
            "end_on",
            "city",
            "country",
            "organizer",
            "url",
            "description",
            "fields",
            "owner_unit",
            "is_public",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RepresentativeForm(RecordForm):
    m2m_fields = ("fields", "coverage")

    class Meta:
        model = Representative
        fields = [
            "post",
            "country",
            "person",
            "email",
            "phone",
            "coverage",
            "since",
            "until",
            "fields",
            "owner_unit",
            "is_public",
        ]


class TransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("new status"), choices=Agreement.Status.choices)
    expires_on = forms.DateField(label=_("new expiry date"), required=False)


class DocumentUploadForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=300, required=False)
    file = forms.FileField(label=_("file"))
