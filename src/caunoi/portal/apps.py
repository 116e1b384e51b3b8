from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top app: the pages that gather every domain (dashboard, fields, countries), the demo."""

    name = "caunoi.portal"
    verbose_name = _("Portal")
