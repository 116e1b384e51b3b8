"""Form widgets shared by every app: the type-ahead picker.

A picker is a real ``<select>`` (so the form works without JavaScript) plus a search box
that asks a suggestion endpoint of the app owning the data (``hx-get``). With JavaScript
(``static/caunoi.js``) the select is hidden and its chosen options are shown as removable
chips; choosing a suggestion selects (or adds) the option, so what is posted is always the
select's value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

#: Most suggestions an endpoint returns for one term.
SUGGESTION_LIMIT = 10


def _picker_context(widget: Any, context: dict[str, Any]) -> dict[str, Any]:
    url = reverse(widget.source)
    if widget.params:
        url += "?" + urlencode(widget.params)
    context["widget"]["picker"] = {"url": url, "multiple": widget.allow_multiple_selected}
    return context


class _PickerMixin:
    """What both pickers add to Django's select: the suggestion endpoint and its label id."""

    def __init__(
        self,
        source: str,
        *,
        params: Mapping[str, str] | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs=attrs)  # type: ignore[call-arg]
        self.source = source
        self.params = dict(params or {})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        return _picker_context(self, super().get_context(name, value, attrs))  # type: ignore[misc]

    def id_for_label(self, id_: str, index: str = "0") -> str:
        return f"{id_}_search" if id_ else id_


class Picker(_PickerMixin, forms.Select):
    """Type-ahead choice of one value (a foreign key, a list filter)."""

    template_name = "core/widgets/picker.html"


class MultiPicker(_PickerMixin, forms.SelectMultiple):
    """Type-ahead choice of several values (a many-to-many)."""

    template_name = "core/widgets/picker.html"


def use_picker(field: forms.Field, source: str, **params: str) -> None:
    """Give a (model) choice field a picker asking the endpoint named ``source``."""
    assert isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
    multiple = isinstance(field.widget, forms.SelectMultiple)
    widget: Picker | MultiPicker = (MultiPicker if multiple else Picker)(
        source, params=params, attrs=dict(field.widget.attrs)
    )
    widget.choices = field.choices  # type: ignore[assignment]
    widget.is_required = field.required
    field.widget = widget


def suggestions(request: HttpRequest, items: Iterable[tuple[str, str, str]]) -> HttpResponse:
    """The suggestion fragment: ``(value, label, detail)`` per item, as buttons in a listbox."""
    return render(
        request,
        "core/widgets/suggestions.html",
        {"items": list(items)[:SUGGESTION_LIMIT], "term": request.GET.get("term", "")},
    )


def term(request: HttpRequest) -> str:
    """The text typed into a picker (bounded, so a long paste cannot be expensive)."""
    return (request.GET.get("term") or "").strip()[:100]
