"""The pages that gather everything: the dashboard, fields of S&T and countries."""

from django.urls import path

from caunoi.portal import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("fields/", pages.field_list, name="field-list"),
    path("fields/<slug:slug>/", pages.field_detail, name="field-detail"),
    path("countries/", pages.country_list, name="country-list"),
    path("countries/<str:iso2>/", pages.country_detail, name="country-detail"),
]
