"""Reporting pages, under /reporting/."""

from __future__ import annotations

from django.urls import include, path

from caunoi.reporting import views, views_admin, views_autosave, views_indicators

app_name = "reporting"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("evaluation/", include("caunoi.reporting.urls_evaluation")),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/indicators/", views_indicators.campaign_indicators, name="indicators"),
    path(
        "<int:pk>/indicators/<str:code>/",
        views_indicators.campaign_indicators,
        name="indicator",
    ),
    path("<int:pk>/report.<str:fmt>", views.campaign_report, name="report"),
    path("<int:pk>/reports/", views.report_generate, name="report-generate"),
    path("reports/<int:pk>/", views.report_job, name="report-job"),
    path("reports/<int:pk>/file/", views.report_file, name="report-file"),
    path("admin/templates/", views_admin.template_list, name="admin-templates"),
    path("admin/templates/new/", views_admin.template_new, name="admin-template-new"),
    path("admin/templates/<int:pk>/", views_admin.template_detail, name="admin-template"),
    path(
        "admin/templates/<int:pk>/publish/",
        views_admin.template_publish,
        name="admin-template-publish",
    ),
    path("admin/campaigns/new/", views_admin.campaign_new, name="admin-campaign-new"),
    path("admin/campaigns/<int:pk>/", views_admin.campaign_edit, name="admin-campaign"),
    path(
        "admin/campaigns/<int:pk>/units/",
        views_admin.campaign_units,
        name="admin-campaign-units",
    ),
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
