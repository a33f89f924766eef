"""Count the tallies of the responses stored before tallies existed."""

from collections import Counter

from django.db import migrations
from django.db.models import Count


def count(apps, schema_editor):
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    Tally = apps.get_model("surveys", "Tally")
    rows: Counter = Counter()
    for row in Response.objects.values(
        "wave_id", "area__code", "position", "organisation__kind"
    ).annotate(n=Count("pk")):
        group = (row["wave_id"], row["area__code"] or "", row["position"], row["organisation__kind"])
        rows[(*group, "", 0)] += row["n"]
    ratings = (
        Answer.objects.filter(question__type="likert")
        .exclude(scale_value__isnull=True, cant_say=False)
        .values(
            "response__wave_id",
            "response__area__code",
            "response__position",
            "response__organisation__kind",
            "question__key",
            "scale_value",
        )
        .annotate(n=Count("pk"))
    )
    for row in ratings:
        group = (
            row["response__wave_id"],
            row["response__area__code"] or "",
            row["response__position"],
            row["response__organisation__kind"],
        )
        rows[(*group, row["question__key"], row["scale_value"] or 0)] += row["n"]
    Tally.objects.bulk_create(
        [
            Tally(
                wave_id=wave_id,
                area_code=area_code,
                position=position,
                organisation_kind=kind,
                question_key=key,
                value=value,
                n=n,
            )
            for (wave_id, area_code, position, kind, key, value), n in rows.items()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_rating_tallies")]

    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
