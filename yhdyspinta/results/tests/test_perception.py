"""The perception gap against a hand computation from two surveys' responses."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import area, municipality
from yhdyspinta.results.perception import gap_years, perception_gap
from yhdyspinta.surveys import tallies
from yhdyspinta.surveys.builtin import load_template
from yhdyspinta.surveys.definition import build_survey
from yhdyspinta.surveys.models import Answer, Response, Wave

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


def survey(template, key):
    definition = load_template(template)
    definition["key"] = key
    return build_survey(definition)


def wave(survey_, year=2026):
    return Wave.objects.create(
        survey=survey_,
        name=str(year),
        opens_at=datetime(year, 2, 1, 9, tzinfo=HELSINKI),
        closes_at=datetime(year, 3, 1, 16, tzinfo=HELSINKI),
    )


def respond(wave_, organisation, area_, ratings):
    """One response per dict of {item key: value}; None is "can't say"."""
    questions = {q.key: q for q in wave_.survey.questions.all()}
    for answer_set in ratings:
        response = Response.objects.create(
            wave=wave_,
            organisation=organisation,
            area=area_,
            position="manager",
            submitted_on=date(2026, 2, 10),
        )
        for key, value in answer_set.items():
            Answer.objects.create(
                response=response,
                question=questions[key],
                scale_value=value,
                cant_say=value is None,
            )


def test_gap_equals_a_hand_computation():
    municipal = wave(survey("municipal_leadership", "m_test"))
    county = wave(survey("county_leadership", "c_test"))
    pirkanmaa, tampere = area("08"), municipality("837")
    uusimaa, espoo = area("03"), municipality("049")
    # Municipal leaders of Pirkanmaa: headline 4,3,5,2,4,3 (mean 21/6 = 3.5); regular meetings
    # 3,3,3,3,3 and one "can't say" (mean 3.0 on n = 5).
    respond(
        municipal,
        tampere,
        pirkanmaa,
        [
            {"headline_rating": h, "regular_meetings": r}
            for h, r in [(4, 3), (3, 3), (5, 3), (2, 3), (4, 3), (3, None)]
        ],
    )
    respond(municipal, espoo, uusimaa, [{"headline_rating": 1, "regular_meetings": 1}] * 6)
    # County leaders of Pirkanmaa: headline 4,4,3,5,4 (mean 4.0); meetings 5,4,4,4,3 (mean 4.0).
    respond(
        county,
        pirkanmaa,
        pirkanmaa,
        [
            {"headline_rating": h, "regular_meetings": r}
            for h, r in [(4, 5), (4, 4), (3, 4), (5, 4), (4, 3)]
        ],
    )
    # West Uusimaa's county side has two respondents, Central Uusimaa's three: both withheld
    # (with one alone withheld, the total would give it away and Pirkanmaa would be withheld).
    respond(county, uusimaa, uusimaa, [{"headline_rating": 5, "regular_meetings": 5}] * 2)
    respond(county, area("02"), area("02"), [{"headline_rating": 2, "regular_meetings": 2}] * 3)
    for each in (municipal, county):
        tallies.rebuild(each)

    assert gap_years() == [2026]
    gap = perception_gap(pirkanmaa, 2026)
    rows = {row.key: row for row in gap.rows}
    assert gap.rows[0].key == "headline_rating"
    assert rows["headline_rating"].municipal == pytest.approx(3.5)
    assert rows["headline_rating"].county == pytest.approx(4.0)
    assert rows["headline_rating"].difference == pytest.approx(0.5)
    assert (rows["headline_rating"].municipal_n, rows["headline_rating"].county_n) == (6, 5)
    assert rows["regular_meetings"].municipal == pytest.approx(3.0)
    assert rows["regular_meetings"].municipal_n == 5
    assert rows["regular_meetings"].difference == pytest.approx(1.0)

    uusimaa_gap = {row.key: row for row in perception_gap(uusimaa, 2026).rows}
    assert uusimaa_gap["headline_rating"].municipal == pytest.approx(1.0)
    assert uusimaa_gap["headline_rating"].county is None  # two respondents: withheld
    assert uusimaa_gap["headline_rating"].difference is None

    assert perception_gap(pirkanmaa, 2025).rows == []  # no waves that year
