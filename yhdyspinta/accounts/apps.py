from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "yhdyspinta.accounts"
    label = "accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from . import signin_audit  # noqa: F401  (connects the sign-in audit receivers)
