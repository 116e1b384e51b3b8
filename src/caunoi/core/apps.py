from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """With the database cache (``CAUNOI_CACHE=database``), ``migrate`` creates its table
    (``createcachetable`` does nothing for another backend or when the table exists; core
    has no models, so this listens to every app's signal: a few cheap checks per migrate)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "caunoi.core"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, dispatch_uid="core-cache-table")
