from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "caunoi.market"
    verbose_name = _("Technology marketplace")

    def ready(self) -> None:
        from caunoi.market import audience, search

        audience.connect()
        search.register_sources()
