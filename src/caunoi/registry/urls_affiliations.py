"""Officers' pages for outside users' organisation links, under /registry/affiliations/."""

from django.urls import path

from caunoi.registry import views_affiliations

urlpatterns = [
    path("", views_affiliations.affiliation_list, name="affiliation-list"),
    path("<int:pk>/", views_affiliations.affiliation_detail, name="affiliation-detail"),
]
