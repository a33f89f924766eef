"""Keeping the rating tallies (`Tally`) in step with the responses.

`add` runs inside `submit_response`'s transaction; `rebuild` recounts a wave from its answers
(after a bulk load such as the demo data, or by `manage.py rebuild_tallies` should they ever be
doubted).
"""

from __future__ import annotations

from collections import Counter

from django.db import connection, transaction
from django.db.models import Count, F

from .models import Answer, Question, Response, Tally, Wave

RATING_TYPES = (Question.Type.LIKERT,)
_COLUMNS = ("wave_id", "area_code", "position", "organisation_kind", "question_key", "value", "n")


def _upsert(rows: Counter) -> None:
    """Add the counts; the same statement works on PostgreSQL and SQLite."""
    if not rows:
        return
    table = connection.ops.quote_name(Tally._meta.db_table)
    keys = ", ".join(_COLUMNS[:-1])
    sql = (
        f"INSERT INTO {table} ({', '.join(_COLUMNS)}) VALUES ({', '.join(['%s'] * 7)}) "  # noqa: S608
        f"ON CONFLICT ({keys}) DO UPDATE SET n = {table}.n + excluded.n"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*key, n) for key, n in rows.items()])


def add(*, response: Response, answers: list[Answer], area_code: str, kind: str) -> None:
    """Count one new response and its ratings."""
    group = (response.wave_id, area_code, response.position, kind)
    rows: Counter = Counter({(*group, "", 0): 1})
    for answer in answers:
        if answer.question.type not in RATING_TYPES:
            continue
        if answer.scale_value is not None:
            rows[(*group, answer.question.key, answer.scale_value)] += 1
        elif answer.cant_say:
            rows[(*group, answer.question.key, 0)] += 1
    _upsert(rows)


@transaction.atomic
def rebuild(wave: Wave) -> None:
    # A recount may change the means without changing the number of respondents, which is all
    # `add` moves; the cached results are keyed on both (results/cache.py).
    Wave.objects.filter(pk=wave.pk).update(tally_version=F("tally_version") + 1)
    Tally.objects.filter(wave=wave).delete()
    rows: Counter = Counter()
    respondents = (
        Response.objects.filter(wave=wave)
        .values("area__code", "position", "organisation__kind")
        .annotate(n=Count("pk"))
    )
    for row in respondents:
        group = (wave.pk, row["area__code"] or "", row["position"], row["organisation__kind"])
        rows[(*group, "", 0)] += row["n"]
    ratings = (
        Answer.objects.filter(response__wave=wave, question__type__in=RATING_TYPES)
        .exclude(scale_value__isnull=True, cant_say=False)
        .values(
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
            wave.pk,
            row["response__area__code"] or "",
            row["response__position"],
            row["response__organisation__kind"],
        )
        rows[(*group, row["question__key"], row["scale_value"] or 0)] += row["n"]
    _upsert(rows)
