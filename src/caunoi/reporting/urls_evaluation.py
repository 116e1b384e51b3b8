"""Evaluation pages, under /reporting/evaluation/ (names in the reporting namespace)."""

from __future__ import annotations

from django.urls import path

from caunoi.reporting import views_evaluation as views
from caunoi.reporting import views_evaluation_sets as sets

urlpatterns = [
    path("", views.evaluation_list, name="evaluation-list"),
    path("series/", views.series_page, name="evaluation-series"),
    path("copublications/", views.copublications, name="evaluation-copublications"),
    path("new/", sets.set_new, name="evaluation-set-new"),
    path("<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
    path("<int:pk>/edit/", sets.set_edit, name="evaluation-set-edit"),
    path("<int:pk>/copy/", sets.set_copy, name="evaluation-set-copy"),
    path("<int:pk>/compare/", views.evaluation_compare, name="evaluation-compare"),
    path("<int:pk>/entries/", views.evaluation_entry, name="evaluation-entry"),
    path("entries/<int:pk>/file/", views.evaluation_entry_file, name="evaluation-entry-file"),
]
