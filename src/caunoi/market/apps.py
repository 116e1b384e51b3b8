import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "caunoi.market"
    verbose_name = _("Technology marketplace")

    def ready(self) -> None:
        from caunoi.jobs.schedule import register_schedule
        from caunoi.market import audience, indicators, interests, notices, search, sections
        from caunoi.market.services import record_transitioned, record_written
        from caunoi.market.tasks import (
            embeddings_stored,
            market_expiry,
            market_reminders,
            schedule_matching,
        )
        from caunoi.search.tasks import embeddings_stored as search_embeddings_stored

        record_written.connect(schedule_matching, dispatch_uid="market.matching")
        search_embeddings_stored.connect(embeddings_stored, dispatch_uid="market.embeddings")
        record_transitioned.connect(notices.record_transitioned, dispatch_uid="market.notices")
        interests.register_kinds()
        notices.register_kinds()
        audience.connect()
        search.register_sources()
        sections.register_sections()
        indicators.register_sources()
        register_schedule(
            "market.expiry",
            market_expiry,
            every=dt.timedelta(days=1),
            at=dt.time(5, 30),
            label=_("Expire marketplace offers and requests"),
        )
        register_schedule(
            "market.reminders",
            market_reminders,
            every=dt.timedelta(days=1),
            at=dt.time(6, 30),
            label=_("Marketplace reminders: validity deadlines, overdue expressions of interest"),
        )
