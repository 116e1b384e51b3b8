from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    name = "caunoi.kb"
    label = "kb"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from caunoi.kb import search, sections

        search.register_sources()
        sections.register()
