import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "caunoi.reporting"
    verbose_name = _("Reporting campaigns")

    def ready(self) -> None:
        from caunoi.jobs.schedule import register_schedule
        from caunoi.reporting import indicator_sources, panels, reminders
        from caunoi.reporting.tasks import reporting_reminders

        panels.register_panels()
        indicator_sources.register_sources()
        reminders.register_kinds()
        register_schedule(
            "reporting.reminders",
            reporting_reminders,
            every=dt.timedelta(days=1),
            at=dt.time(7, 0),
            label=_("Remind units of their reports"),
        )
