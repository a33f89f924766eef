from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "yhdyspinta.cooperation"
    label = "cooperation"
    verbose_name = _("Negotiations, forums and agreements")
