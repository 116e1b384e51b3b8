"""/jobs/: background jobs and their progress."""

from django.urls import path

from caunoi.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
]
