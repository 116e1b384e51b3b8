from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "caunoi.taxonomy"
    verbose_name = _("Taxonomy")

    def ready(self) -> None:
        from caunoi.search.sources import register_facet
        from caunoi.taxonomy import selectors

        register_facet("country", labels=selectors.country_labels)
        register_facet("field", labels=selectors.field_labels, expand=selectors.field_family)
