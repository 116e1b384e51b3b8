import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "caunoi.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from caunoi.accounts import panels, permissions, receivers
        from caunoi.core import audience

        audience.register_principals("accounts", permissions.principals)
        panels.register_panels()
        receivers.connect()
        from caunoi.accounts.tasks import notifications_digest
        from caunoi.jobs.schedule import register_schedule

        register_schedule(
            "accounts.notifications-digest",
            notifications_digest,
            every=dt.timedelta(days=1),
            at=dt.time(7, 0),
            label=_("Daily digest of notifications"),
        )
