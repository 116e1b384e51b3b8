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
