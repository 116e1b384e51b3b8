"""Links that change one facet of the current search (and go back to page 1)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with_facet(context: Any, name: str, value: str) -> str:
    params = context["request"].GET.copy()
    params.pop("page", None)
    if value:
        params[name] = value
    else:
        params.pop(name, None)
    return str(params.urlencode())
