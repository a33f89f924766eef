from django.db import migrations


def add_national_themes(apps, schema_editor):
    from yhdyspinta.responsibilities.themes import load_default_themes

    load_default_themes(apps.get_model("responsibilities", "Theme"))


class Migration(migrations.Migration):
    dependencies = [("responsibilities", "0001_themes_and_responsibilities")]

    operations = [migrations.RunPython(add_national_themes, migrations.RunPython.noop)]
