"""The knowledge base's pages, under /kb/."""

from __future__ import annotations

from django.urls import path

from caunoi.kb import ask_views, views

app_name = "kb"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("upload/", views.document_upload, name="upload"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/file/", views.document_file, name="file"),
    path("<int:pk>/proposal/", views.proposal_page, name="proposal"),
    path("<int:pk>/proposal/reject/", views.proposal_reject, name="proposal-reject"),
    path("ask/", ask_views.ask_page, name="ask"),
]
