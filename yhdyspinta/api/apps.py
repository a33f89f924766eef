from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "yhdyspinta.api"
    label = "api"
    verbose_name = "API"
