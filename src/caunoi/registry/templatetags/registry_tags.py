"""Template helpers for rendering registry records generically."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format
from django.utils.html import format_html

from caunoi.registry.selectors import record_title, ref_label, ref_visible

register = template.Library()


def _display(value: Any) -> Any:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "—"
    if isinstance(value, dt.date):
        return date_format(value, "d/m/Y")
    if isinstance(value, Decimal):
        return intcomma(value.normalize() if value == value.to_integral() else value)
    return value


def _user(context: Any) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def ref(context: Any, obj: Any) -> Any:
    """A reference to another record: a link with its name, or "(not public)" (no link, no
    name) when the reader may not open it, or "—" when there is none."""
    if obj is None:
        return "—"
    if not ref_visible(_user(context), obj):
        return ref_label(_user(context), obj)
    url = getattr(obj, "get_absolute_url", None)
    return format_html('<a href="{}">{}</a>', url(), obj) if url else str(obj)


@register.simple_tag(takes_context=True)
def title(context: Any, record: Any) -> str:
    """A record's title as the reader may see it (a membership names its organisation)."""
    return record_title(_user(context), record)


@register.simple_tag(takes_context=True)
def cell(context: Any, record: Any, name: str) -> Any:
    user = _user(context)
    if name == "parties":
        names = (
            str(p.country) if p.country else ref_label(user, p.organization)
            for p in record.parties.all()
            if p.side == "foreign"
        )
        return ", ".join(names) or "—"
    if name in ("organization", "funder"):
        return ref_label(user, getattr(record, name)) or "—"
    if name == "countries":
        return ", ".join(str(c) for c in record.countries.all()) or "—"
    if name == "status":
        return format_html(
            '<span class="status s-{}">{}</span>', record.status, record.get_status_display()
        )
    display = getattr(record, f"get_{name}_display", None)
    if display is not None:
        return display()
    value = getattr(record, name)
    if name == "annual_fee" and value is not None:
        return f"{_display(value)} {record.currency}"
    if name == "budget" and value is not None:
        return f"{_display(value)} {record.currency}"
    return _display(value)


@register.filter
def show(value: Any) -> Any:
    return _display(value)


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current list query string with some parameters replaced (sorting, paging)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    params.pop("export", None)
    return str(params.urlencode())


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def countries_filter(value: str | None, name: str = "country") -> Any:
    """The list filter's countries: a multiple choice (``?country=KR&country=JP``) that shows
    every applied country selected — a plain ``<select multiple>`` without JavaScript, the
    chosen countries as removable chips with a search box for adding one with it."""
    from django import forms

    from caunoi.core.widgets import use_picker
    from caunoi.taxonomy.models import Country

    field = forms.ModelMultipleChoiceField(
        queryset=Country.objects.all(), required=False, to_field_name="iso2"
    )
    use_picker(field, "country-suggest")
    chosen = [c.strip().upper() for c in (value or "").split(",") if c.strip()]
    return field.widget.render(name, chosen, attrs={"id": f"filter-{name}"})
