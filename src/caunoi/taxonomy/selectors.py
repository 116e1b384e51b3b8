"""Reads of the reference data that other apps use through registration (search facets)."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q
from django.utils.translation import get_language

from caunoi.taxonomy.models import Country, Field
from vntext.collation import sort_key


def country_labels(values: list[str]) -> dict[str, str]:
    return {c.iso2: c.name for c in Country.objects.filter(iso2__in=values)}


def field_labels(values: list[str]) -> dict[str, str]:
    return {f.slug: f.name for f in Field.objects.filter(slug__in=values)}


def field_family(slug: str) -> set[str]:
    """A field and its sub-fields (filtering by a field includes what is tagged below it)."""
    return set(
        Field.objects.filter(Q(slug=slug) | Q(parent__slug=slug)).values_list("slug", flat=True)
    ) or {slug}


def _code_key(code: str) -> tuple[Any, ...]:
    """Field codes in numeric order: 2.2 before 2.10, then the priority technologies P01..."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\s]", code))


def fields_in_code_order() -> list[Field]:
    fields = list(Field.objects.select_related("parent"))
    fields.sort(key=lambda f: (f.kind, _code_key(f.code)))
    return fields


def countries_in_vietnamese_order() -> list[Country]:
    """Every country, alphabetically by its name in the active language."""
    countries = list(Country.objects.all())
    if get_language() == "en":
        countries.sort(key=lambda c: (c.name_en or c.name_vi).casefold())
    else:
        countries.sort(key=lambda c: sort_key(c.name_vi))
    return countries
