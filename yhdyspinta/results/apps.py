from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _drop_cached_results(sender, instance, **kwargs) -> None:
    from .cache import invalidate

    invalidate(instance.wave_id)


class ResultsConfig(AppConfig):
    name = "yhdyspinta.results"
    label = "results"
    verbose_name = _("Results")

    def ready(self) -> None:
        from yhdyspinta.surveys.models import Response

        # Whoever stores or removes a response (the answer form, the API, the admin), the
        # cached figures of its wave must not outlive it.
        post_save.connect(_drop_cached_results, sender=Response, dispatch_uid="results-cache")
        post_delete.connect(_drop_cached_results, sender=Response, dispatch_uid="results-cache-d")
