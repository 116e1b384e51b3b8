from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "caunoi.reporting"
    verbose_name = _("Reporting campaigns")

    def ready(self) -> None:
        from caunoi.reporting import panels

        panels.register_panels()
