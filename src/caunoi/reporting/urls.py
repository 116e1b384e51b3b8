"""Reporting pages, under /reporting/."""

from __future__ import annotations

from django.urls import include, path

from caunoi.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("evaluation/", include("caunoi.reporting.urls_evaluation")),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/report.<str:fmt>", views.campaign_report, name="report"),
    path("<int:pk>/reports/", views.report_generate, name="report-generate"),
    path("reports/<int:pk>/", views.report_job, name="report-job"),
    path("reports/<int:pk>/file/", views.report_file, name="report-file"),
    path("submissions/<int:pk>/", views.submission_page, name="submission"),
    path("submissions/<int:pk>/review/", views.submission_review, name="submission-review"),
    path("submissions/<int:pk>/history/", views.submission_history, name="submission-history"),
    path("submissions/<int:pk>/xlsx/", views.submission_xlsx, name="submission-xlsx"),
    path(
        "submissions/<int:pk>/files/<slug:code>/",
        views.submission_file,
        name="submission-file",
    ),
]
