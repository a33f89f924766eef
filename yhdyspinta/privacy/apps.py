from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Personal data (GDPR): a person's own data as a page and JSON, erasure on request by
    staff, and the retention job. It reads every app that holds personal data; none uses it."""

    name = "yhdyspinta.privacy"
    verbose_name = "Personal data"
