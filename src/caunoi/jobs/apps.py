import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "caunoi.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from caunoi.jobs import services, tasks
        from caunoi.jobs.schedule import register_schedule

        services.connect_signals()
        register_schedule(
            "jobs.prune",
            tasks.jobs_prune,
            every=dt.timedelta(days=1),
            at=dt.time(3, 0),
            label=_("Remove old finished jobs"),
        )
