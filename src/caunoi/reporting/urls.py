"""Reporting pages, under /reporting/."""

from __future__ import annotations

from django.urls import path

from caunoi.reporting import views, views_autosave

app_name = "reporting"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/report.<str:fmt>", views.campaign_report, name="report"),
    path("submissions/<int:pk>/", views.submission_page, name="submission"),
    path(
        "submissions/<int:pk>/autosave/",
        views_autosave.submission_autosave,
        name="submission-autosave",
    ),
    path("submissions/<int:pk>/review/", views.submission_review, name="submission-review"),
    path("submissions/<int:pk>/history/", views.submission_history, name="submission-history"),
    path("submissions/<int:pk>/xlsx/", views.submission_xlsx, name="submission-xlsx"),
    path(
        "submissions/<int:pk>/files/<slug:code>/",
        views.submission_file,
        name="submission-file",
    ),
]
