from django.db import migrations


def load(apps, schema_editor):
    from yhdyspinta.cooperation.national import load_council_terms, load_national_forums

    load_council_terms(apps.get_model("cooperation", "CouncilTerm"))
    load_national_forums(
        apps.get_model("registry", "Organisation"),
        apps.get_model("cooperation", "Forum"),
        apps.get_model("cooperation", "Meeting"),
    )


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
