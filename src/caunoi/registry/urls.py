"""The registry's pages, under /registry/: one set of generic views for the seven record types."""

from __future__ import annotations

from django.urls import include, path, register_converter

from caunoi.registry import pickers, views
from caunoi.registry.entities import ENTITIES


class EntityConverter:
    """Only the registry's own slugs match: an unknown type is a 404 from the resolver."""

    regex = "|".join(sorted(ENTITIES, key=len, reverse=True))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(EntityConverter, "entity")

urlpatterns = [
    path("affiliations/", include("caunoi.registry.urls_affiliations")),
    path("partners/suggest/", pickers.organization_suggestions, name="organization-suggest"),
    path(
        "agreements/<int:pk>/transition/",
        views.agreement_transition,
        name="agreement-transition",
    ),
    path("agreements/charts/", views.agreement_charts, name="agreement-charts"),
    path("agreements/<int:pk>/documents/", views.agreement_upload, name="agreement-upload"),
    path(
        "agreements/<int:pk>/documents/<int:doc_id>/",
        views.agreement_document,
        name="agreement-document",
    ),
    path("<entity:slug>/", views.entity_list, name="entity-list"),
    path("<entity:slug>/new/", views.entity_edit, name="entity-create"),
    path("<entity:slug>/import/", views.entity_import, name="entity-import"),
    path(
        "<entity:slug>/import/template.xlsx",
        views.entity_import_template,
        name="entity-import-template",
    ),
    path("<entity:slug>/<int:pk>/", views.entity_detail, name="entity-detail"),
    path("<entity:slug>/<int:pk>/edit/", views.entity_edit, name="entity-edit"),
    path("<entity:slug>/<int:pk>/delete/", views.entity_delete, name="entity-delete"),
]
