"""A wave's raw responses as rows: one row per response, one column per question key.

Ratings are 1–5; "can't say" is the code `cant_say` (never a number, so it cannot slip into a
mean); multiple choices are joined with ";"; an "other, what?" text has its own column.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .answers import CANT_SAY
from .models import Answer, Question, Response, Wave
from .services import answer_questions

FIXED_COLUMNS = ["response_id", "organisation_code", "area_code", "position"]


def export_questions(wave: Wave) -> list[Question]:
    """The survey's current questions plus any retired ones this wave has answers to."""
    current = [q for q in answer_questions(wave.survey) if q.type not in Question.PROFILE_TYPES]
    known = {q.pk for q in current}
    retired = (
        Question.objects.filter(answers__response__wave=wave, retired_at__isnull=False)
        .exclude(pk__in=known)
        .distinct()
        .order_by("section__order", "order", "pk")
    )
    return current + list(retired)


def columns(questions: list[Question]) -> list[str]:
    names = list(FIXED_COLUMNS)
    for question in questions:
        names.append(question.key)
        if question.allow_other:
            names.append(f"{question.key}.other")
    return names


def _value(answer: Answer) -> Any:
    if answer.cant_say:
        return CANT_SAY
    if answer.scale_value is not None:
        return answer.scale_value
    if answer.number is not None:
        return int(answer.number) if answer.number == answer.number.to_integral() else answer.number
    if answer.choices:
        return ";".join(answer.choices)
    return answer.text


def response_rows(wave: Wave, questions: list[Question]) -> Iterator[list[Any]]:
    responses = (
        Response.objects.filter(wave=wave).select_related("organisation", "area").order_by("pk")
    )
    answers: dict[int, dict[int, Answer]] = {}
    for answer in Answer.objects.filter(response__wave=wave).only(
        "response_id",
        "question_id",
        "scale_value",
        "cant_say",
        "number",
        "text",
        "choices",
        "other_text",
    ):
        answers.setdefault(answer.response_id, {})[answer.question_id] = answer
    for response in responses:
        given = answers.get(response.pk, {})
        row: list[Any] = [
            response.pk,
            response.organisation.code,
            response.area.code if response.area else "",
            response.position,
        ]
        for question in questions:
            answer = given.get(question.pk)
            row.append(_value(answer) if answer else "")
            if question.allow_other:
                row.append(answer.other_text if answer else "")
        yield row
