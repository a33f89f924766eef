"""Demo waves of the county leadership survey (2023-2026) and the regional council survey (2026).

Both are generated and labelled as demo ("(demo)" in the survey's title, `is_demo`). What is
taken from the published source (Kuntaliitto's presentation of 19 May 2026, see
`data/PROVENANCE.md`): the county survey ran in 2023-2026 and its rating of cooperation is
shown as a trend; the regional council survey of 3-5/2026 got one answer from each of the 18
councils, 9 from regional mayors, 4 from regional development directors and 5 from other
directors. The presentation prints no county-level figures, so the ratings here are invented:
a gentle rise over the years, each area with its own level, and no claim beyond that.

Each county gets six to nine respondents a wave (its chairs, director and sector directors),
so that an area's county side can be shown beside its municipalities (five at least).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time
from typing import TextIO
from zoneinfo import ZoneInfo

from django.db import transaction

from yhdyspinta.registry.models import Organisation
from yhdyspinta.surveys import tallies
from yhdyspinta.surveys.builtin import load_template
from yhdyspinta.surveys.definition import build_survey, texts
from yhdyspinta.surveys.models import Answer, AnswerMode, Question, Response, Survey, Wave

COUNTY_KEY = "county_leadership_demo"
COUNCIL_KEY = "regional_council_demo"
COUNTY_YEARS = (2023, 2024, 2025, 2026)
COUNCIL_YEAR = 2026
# The published split of the 18 councils' respondents.
COUNCIL_POSITIONS = ["manager"] * 9 + ["sector_director"] * 4 + ["other_director"] * 5
TIME_ZONE = ZoneInfo("Europe/Helsinki")
SEED = 20260519


def _survey(template: str, key: str) -> Survey:
    definition = load_template(template)
    definition["key"] = key
    definition["title"] = {
        lang: f"{text} (demo)" if text else "" for lang, text in texts(definition["title"]).items()
    }
    return build_survey(definition, is_demo=True)


def _wave(survey: Survey, year: int, *, opens: date, closes: date, mode: str) -> Wave:
    return Wave.objects.create(
        survey=survey,
        name=str(year),
        opens_at=datetime.combine(opens, time(9, 0), tzinfo=TIME_ZONE),
        closes_at=datetime.combine(closes, time(16, 0), tzinfo=TIME_ZONE),
        privacy=Wave.Privacy.ANONYMOUS,
        answer_mode=mode,
    )


def _rating(rng: random.Random, level: float) -> int | None:
    """A 1-5 answer around `level`, or None for "can't say" now and then."""
    if rng.random() < 0.06:
        return None
    return max(1, min(5, round(rng.gauss(level, 0.8))))


def _ratings(survey: Survey) -> list[Question]:
    return list(
        survey.questions.filter(type=Question.Type.LIKERT).order_by("parent__order", "order")
    )


def _answers(response: Response, questions: list[Question], rng, level: float) -> list[Answer]:
    answers = []
    for question in questions:
        value = _rating(rng, level + rng.uniform(-0.3, 0.3))
        if value is None:
            answers.append(Answer(response=response, question=question, cant_say=True))
        else:
            answers.append(Answer(response=response, question=question, scale_value=value))
    return answers


def _positions(survey: Survey) -> list[str]:
    question = survey.questions.get(key="position")
    return [choice.value for choice in question.choices.all()]


def create_county_waves(rng: random.Random) -> Survey:
    survey = _survey("county_leadership", COUNTY_KEY)
    questions = _ratings(survey)
    positions = _positions(survey)
    areas = list(Organisation.objects.areas().active().order_by("code"))
    base = {area.pk: rng.uniform(2.6, 3.5) for area in areas}
    for step, year in enumerate(COUNTY_YEARS):
        wave = _wave(
            survey,
            year,
            opens=date(year, 2, 20),
            closes=date(year, 3, 20),
            mode=AnswerMode.PER_PERSON,
        )
        answers: list[Answer] = []
        for area in areas:
            level = base[area.pk] + 0.12 * step  # the gentle rise of the trend
            for _ in range(rng.randint(6, 9)):
                response = Response.objects.create(
                    wave=wave,
                    organisation=area,
                    area=area,
                    position=rng.choice(positions),
                    submitted_on=date(year, 3, rng.randint(1, 19)),
                )
                answers += _answers(response, questions, rng, level)
        Answer.objects.bulk_create(answers, batch_size=2000)
        tallies.rebuild(wave)
    return survey


def create_council_wave(rng: random.Random) -> Survey:
    survey = _survey("regional_council", COUNCIL_KEY)
    questions = _ratings(survey)
    wave = _wave(
        survey,
        COUNCIL_YEAR,
        opens=date(COUNCIL_YEAR, 3, 16),
        closes=date(COUNCIL_YEAR, 5, 15),
        mode=AnswerMode.PER_ORGANISATION,
    )
    councils = list(
        Organisation.objects.filter(kind=Organisation.Kind.REGIONAL_COUNCIL)
        .active()
        .order_by("code")
    )
    positions = COUNCIL_POSITIONS[:]
    rng.shuffle(positions)
    answers: list[Answer] = []
    for council, position in zip(councils, positions, strict=False):
        counties = Organisation.objects.areas().filter(region_id=council.region_id)
        response = Response.objects.create(
            wave=wave,
            organisation=council,
            area=counties.first() if counties.count() == 1 else None,
            position=position,
            submitted_on=date(COUNCIL_YEAR, 4, rng.randint(1, 30)),
        )
        answers += _answers(response, questions, rng, rng.uniform(2.8, 3.8))
    Answer.objects.bulk_create(answers)
    tallies.rebuild(wave)
    return survey


def create_demo_leadership_waves(*, stdout: TextIO | None = None) -> bool:
    """The two demo surveys, once; a second call changes nothing."""
    if Survey.objects.filter(key__in=[COUNTY_KEY, COUNCIL_KEY]).exists():
        return False
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    with transaction.atomic():
        county = create_county_waves(rng)
        council = create_council_wave(rng)
    if stdout is not None:
        for survey in (county, council):
            count = Response.objects.filter(wave__survey=survey).count()
            stdout.write(f"Created the survey “{survey.title}”: {count} responses.\n")
    return True
