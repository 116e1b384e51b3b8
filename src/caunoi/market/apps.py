import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "caunoi.market"
    verbose_name = _("Technology marketplace")

    def ready(self) -> None:
        from caunoi.jobs.schedule import register_schedule
        from caunoi.market import audience, search, sections
        from caunoi.market.services import record_written
        from caunoi.market.tasks import market_expiry, schedule_matching

        record_written.connect(schedule_matching, dispatch_uid="market.matching")
        audience.connect()
        search.register_sources()
        sections.register_sections()
        register_schedule(
            "market.expiry",
            market_expiry,
            every=dt.timedelta(days=1),
            at=dt.time(5, 30),
            label=_("Expire marketplace offers and requests"),
        )
