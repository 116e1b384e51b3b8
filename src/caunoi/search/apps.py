from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The search service. Apps register their sources (``caunoi.search.sources.register``) in
    their own ``ready()``; each registered source gets the signals that keep the index in step."""

    name = "caunoi.search"
    label = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from caunoi.core.signals import database_restored
        from caunoi.search import indexing, sources

        sources.on_register(indexing.connect_source, indexing.disconnect_source)
        database_restored.connect(_new_epoch, dispatch_uid="search-new-epoch")


def _new_epoch(sender: object, *, using: str, **kwargs: object) -> None:
    from caunoi.search import lexical

    lexical.renew_epoch(using)
