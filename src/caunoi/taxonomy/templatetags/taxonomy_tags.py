"""Template tags of the taxonomy: the country picker of list filters."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from caunoi.core.widgets import use_picker
from caunoi.taxonomy.models import Country

register = template.Library()


@register.simple_tag
def country_filter(value: str | None, name: str = "country") -> SafeString:
    """A one-country picker for a GET filter form (``?country=KR``); a plain select without
    JavaScript."""
    field = forms.ModelChoiceField(
        queryset=Country.objects.all(), required=False, to_field_name="iso2", empty_label=_("all")
    )
    use_picker(field, "country-suggest")
    html: SafeString = field.widget.render(
        name, (value or "").upper(), attrs={"id": f"filter-{name}"}
    )
    return html
