import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "caunoi.registry"
    verbose_name = _("Cooperation registry")

    def ready(self) -> None:
        from caunoi.jobs.schedule import register_schedule
        from caunoi.registry import affiliations, search, sections
        from caunoi.registry.tasks import agreements_digest

        search.register_sources()
        sections.register_sections()
        affiliations.connect()
        register_schedule(
            "registry.agreements-digest",
            agreements_digest,
            every=dt.timedelta(days=1),
            at=dt.time(6, 0),
            label=_("Daily agreement digest"),
        )
