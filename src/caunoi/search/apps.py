from django.apps import AppConfig
from django.db.models.signals import post_migrate
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
        post_migrate.connect(_reanalyze_after_upgrade, sender=self, dispatch_uid="search-analyzer")


def _new_epoch(sender: object, *, using: str, **kwargs: object) -> None:
    from caunoi.search import lexical

    lexical.renew_epoch(using)


def _reanalyze_after_upgrade(sender: object, *, using: str, **kwargs: object) -> None:
    """``migrate`` is the step of every upgrade: if the new release analyses text otherwise,
    queue the background job that analyses the stored documents again (docs/operations.md)."""
    from django.db import connections

    # Only where the whole platform is migrated (not a throwaway store of some apps).
    if using != "default" or "jobs_job" not in connections[using].introspection.table_names():
        return
    from caunoi.search.reanalysis import reanalyze_enqueue

    reanalyze_enqueue()
