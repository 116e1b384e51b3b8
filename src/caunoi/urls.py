"""URL map: pages, the API and language switching."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from caunoi.accounts import views as account_views
from caunoi.api import api
from caunoi.core import views as core_views
from caunoi.registry import views as registry_views
from caunoi.search import views as search_views
from caunoi.taxonomy import views as taxonomy_views

handler403 = "caunoi.core.views.error_403"
handler404 = "caunoi.core.views.error_404"
handler500 = "caunoi.core.views.error_500"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/me/", account_views.account, name="account"),
    path("api/v1/", api.urls),
    path("search/", search_views.search_page, name="search"),
    path("jobs/", include("caunoi.jobs.urls")),
    path("fields/", taxonomy_views.field_list, name="field-list"),
    path("fields/<slug:slug>/", taxonomy_views.field_detail, name="field-detail"),
    path("countries/", taxonomy_views.country_list, name="country-list"),
    path("countries/<str:iso2>/", taxonomy_views.country_detail, name="country-detail"),
    path(
        "agreements/<int:pk>/transition/",
        registry_views.agreement_transition,
        name="agreement-transition",
    ),
    path(
        "agreements/<int:pk>/documents/",
        registry_views.agreement_upload,
        name="agreement-upload",
    ),
    path(
        "agreements/<int:pk>/documents/<int:doc_id>/",
        registry_views.agreement_document,
        name="agreement-document",
    ),
    path("<slug:slug>/", registry_views.entity_list, name="entity-list"),
    path("<slug:slug>/new/", registry_views.entity_edit, name="entity-create"),
    path("<slug:slug>/import/", registry_views.entity_import, name="entity-import"),
    path("<slug:slug>/<int:pk>/", registry_views.entity_detail, name="entity-detail"),
    path("<slug:slug>/<int:pk>/edit/", registry_views.entity_edit, name="entity-edit"),
    path("<slug:slug>/<int:pk>/delete/", registry_views.entity_delete, name="entity-delete"),
]
