"""URL map: each app's pages under its own prefix, the API and language switching."""

from django.urls import include, path, re_path

from caunoi.api import api, api_not_found
from caunoi.core.views import favicon

handler400 = "caunoi.core.views.error_400"
handler403 = "caunoi.core.views.error_403"
handler404 = "caunoi.core.views.error_404"
handler500 = "caunoi.core.views.error_500"

urlpatterns = [
    path("", include("caunoi.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("caunoi.accounts.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found, name="api-not-found"),  # the API's 404 shape, not HTML
    path("search/", include("caunoi.search.urls")),
    path("registry/", include("caunoi.registry.urls")),
    path("market/", include("caunoi.market.urls")),
    path("reporting/", include("caunoi.reporting.urls")),
    path("kb/", include("caunoi.kb.urls")),
    path("taxonomy/", include("caunoi.taxonomy.urls")),
    path("jobs/", include("caunoi.jobs.urls")),
    path("favicon.ico", favicon, name="favicon"),
]
