from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "caunoi.registry"
    verbose_name = _("Cooperation registry")

    def ready(self) -> None:
        from caunoi.registry import affiliations, search, sections

        search.register_sources()
        sections.register_sections()
        affiliations.connect()
