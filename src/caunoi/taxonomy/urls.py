"""The taxonomy's own endpoints, under /taxonomy/: suggestions for the pickers."""

from __future__ import annotations

from django.urls import path

from caunoi.taxonomy import pickers

urlpatterns = [
    path("countries/suggest/", pickers.country_suggestions, name="country-suggest"),
    path("fields/suggest/", pickers.field_suggestions, name="field-suggest"),
]
