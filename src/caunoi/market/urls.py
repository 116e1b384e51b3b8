"""The marketplace's pages, under /market/."""

from __future__ import annotations

from django.urls import path, register_converter

from caunoi.market import views, views_interests
from caunoi.market.kinds import KINDS


class KindConverter:
    """Only the marketplace's public record types (the target register has its own routes)."""

    regex = "|".join(sorted(KINDS, key=len, reverse=True))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindConverter, "mkind")

app_name = "market"
urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("mine/matches/", views.my_matches, name="my-matches"),
    path("review/", views.review, name="review"),
    path("matches/<int:pk>/feedback/", views.match_feedback, name="match-feedback"),
    path(
        "matches/<int:pk>/provider-feedback/",
        views.match_provider_feedback,
        name="match-provider-feedback",
    ),
    path("offers/import/", views.record_import, {"kind": "offers"}, name="offer-import"),
    path("requests/import/", views.record_import, {"kind": "requests"}, name="request-import"),
    path("experts/import/", views.record_import, {"kind": "experts"}, name="expert-import"),
    path(
        "offers/import/template.<str:fmt>",
        views.import_template,
        {"kind": "offers"},
        name="offer-import-template",
    ),
    path(
        "requests/import/template.<str:fmt>",
        views.import_template,
        {"kind": "requests"},
        name="request-import-template",
    ),
    path(
        "experts/import/template.<str:fmt>",
        views.import_template,
        {"kind": "experts"},
        name="expert-import-template",
    ),
    path("interests/", views_interests.interest_list, name="interests"),
    path("interests/<int:pk>/", views_interests.interest_detail, name="interest-detail"),
    path(
        "interests/<int:pk>/transition/",
        views_interests.interest_transition,
        name="interest-transition",
    ),
    path("interests/<int:pk>/messages/", views_interests.interest_message, name="interest-message"),
    path("interests/<int:pk>/due/", views_interests.interest_due, name="interest-due"),
    path("interests/<int:pk>/outcome/", views_interests.interest_outcome, name="interest-outcome"),
    path(
        "interests/<int:pk>/mediator/", views_interests.interest_mediator, name="interest-mediator"
    ),
    path("targets/", views.record_list, {"kind": "targets"}, name="target-list"),
    path("targets/new/", views.record_edit, {"kind": "targets"}, name="target-create"),
    path("targets/<int:pk>/", views.record_detail, {"kind": "targets"}, name="target-detail"),
    path("targets/<int:pk>/edit/", views.record_edit, {"kind": "targets"}, name="target-edit"),
    path("<mkind:kind>/", views.record_list, name="list"),
    path("<mkind:kind>/new/", views.record_edit, name="create"),
    path("<mkind:kind>/<int:pk>/", views.record_detail, name="detail"),
    path("<mkind:kind>/<int:pk>/edit/", views.record_edit, name="edit"),
    path("<mkind:kind>/<int:pk>/transition/", views.record_transition, name="transition"),
    path(
        "<mkind:kind>/<int:pk>/interest/", views_interests.interest_create, name="interest-create"
    ),
]
