"""The knowledge base's forms: upload (one or many files) and metadata edit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from caunoi.accounts.models import Unit
from caunoi.kb.models import Audience, Document
from caunoi.kb.services import EDITABLE
from caunoi.taxonomy.models import Field


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.html,.htm,.txt"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        """The files sent, each checked by itself later (an empty one is refused by its name
        with the others kept, as the API does); no file at all is "required"."""
        files = [d for d in (data if isinstance(data, (list, tuple)) else [data]) if d]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        for f in files:
            if not getattr(f, "name", None):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return files


class UploadForm(forms.Form):
    upload = MultipleFileField(
        label=_("Files"), help_text=_("PDF, DOCX, HTML or text; several at once if you like.")
    )
    audience = forms.ChoiceField(label=_("Who may read"), choices=Audience.choices, initial="staff")
    owner_unit = forms.ModelChoiceField(
        label=_("Owning unit"), queryset=Unit.objects.all(), required=False
    )


class DocumentForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput)
    st_fields = forms.ModelMultipleChoiceField(
        label=_("Fields of S&T"), queryset=Field.objects.all(), required=False
    )

    class Meta:
        model = Document
        fields = list(EDITABLE)
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}),
            "effective_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, documents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if documents is not None:
            chooser: Any = self.fields["superseded_by"]
            chooser.queryset = documents.exclude(pk=self.instance.pk)
        if self.instance.pk:
            self.fields["st_fields"].initial = list(self.instance.fields.all())
            self.fields["version"].initial = self.instance.version
