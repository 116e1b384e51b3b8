from django.urls import path

from caunoi.search import views

urlpatterns = [path("", views.search_page, name="search")]
