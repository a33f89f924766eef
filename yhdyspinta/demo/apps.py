from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Generated demo data, labelled as demo: people, survey answers and a division of work.

    The top of the app graph: it uses every domain app and none uses it.
    """

    name = "yhdyspinta.demo"
    verbose_name = "Demo"
