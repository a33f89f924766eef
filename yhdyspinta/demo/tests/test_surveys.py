"""The generated demo data reproduces the published 2026 table, as rows and in the database."""

import csv
import statistics
from collections import Counter
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.db.models import Avg, Count, F

from yhdyspinta.demo import surveys as demo_data
from yhdyspinta.surveys.models import Answer, Invitation, Response, Survey, Wave

ONE_DECIMAL = Decimal("0.1")


def published() -> dict[str, dict[str, str]]:
    """The project's copy of the published table, row by row."""
    with demo_data.DATA_FILE.open(encoding="utf-8", newline="") as f:
        return {row["area"]: row for row in csv.DictReader(f)}


TABLE = published()
AREAS = [a for a in TABLE if a not in ("ALL", "RANGE", "N_PER_ITEM")]
ITEMS = list(demo_data.ITEMS)


def rounded(total: int, n: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    value = Fraction(total, n)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        ONE_DECIMAL, rounding=rounding
    )


@pytest.fixture(scope="module")
def wave_2026():
    return demo_data.generate_wave(2026)


def values(rows, item, area=None):
    return [
        r.ratings[item]
        for r in rows
        if (area is None or r.area == area) and isinstance(r.ratings[item], int)
    ]


def test_the_table_has_every_area_and_item():
    assert len(AREAS) == 22
    assert [k for k in TABLE["ALL"] if k not in ("area", "n_respondents")] == ITEMS
    assert sum(int(TABLE[a]["n_respondents"]) for a in AREAS) == int(TABLE["ALL"]["n_respondents"])


def test_each_area_has_its_published_number_of_respondents(wave_2026):
    counts = Counter(r.area for r in wave_2026)
    assert counts == {a: int(TABLE[a]["n_respondents"]) for a in AREAS}


def test_every_area_mean_rounds_to_the_published_one_whichever_way_halves_go(wave_2026):
    for area in AREAS:
        for item in ITEMS:
            answers = values(wave_2026, item, area)
            assert answers, (area, item)
            expected = Decimal(TABLE[area][item])
            assert rounded(sum(answers), len(answers)) == expected, (area, item)
            assert rounded(sum(answers), len(answers), ROUND_HALF_EVEN) == expected, (area, item)


def test_each_item_has_its_published_number_of_answers_and_overall_mean(wave_2026):
    for item in ITEMS:
        answers = values(wave_2026, item)
        assert len(answers) == int(TABLE["N_PER_ITEM"][item]), item
        assert rounded(sum(answers), len(answers)) == Decimal(TABLE["ALL"][item]), item
        assert rounded(sum(answers), len(answers), ROUND_HALF_EVEN) == Decimal(TABLE["ALL"][item])


def test_the_range_is_the_lowest_and_highest_area_mean(wave_2026):
    for item in ITEMS:
        means = [rounded(sum(v), len(v)) for v in (values(wave_2026, item, area) for area in AREAS)]
        assert f"{min(means)}-{max(means)}" == TABLE["RANGE"][item], item


def test_the_rest_are_cant_say_and_a_few_blanks(wave_2026):
    others = Counter(
        r.ratings[item] for r in wave_2026 for item in ITEMS if not isinstance(r.ratings[item], int)
    )
    assert set(others) == {demo_data.CANT_SAY, None}
    assert others[demo_data.CANT_SAY] > 5 * others[None] > 0


def test_answers_within_a_respondent_go_together(wave_2026):
    """Those who rate one item well tend to rate the others well too: not random noise."""
    pairs = [
        (r.ratings["regular_meetings"], r.ratings["openness_partnership"])
        for r in wave_2026
        if isinstance(r.ratings["regular_meetings"], int)
        and isinstance(r.ratings["openness_partnership"], int)
    ]
    assert statistics.correlation([a for a, _ in pairs], [b for _, b in pairs]) > 0.4


def test_headline_rating_a_third_good_and_almost_a_quarter_poor(wave_2026):
    ratings = Counter(r.ratings[demo_data.HEADLINE] for r in wave_2026)
    total = len(wave_2026)
    assert 0.31 <= (ratings[4] + ratings[5]) / total <= 0.35
    assert 0.21 <= (ratings[1] + ratings[2]) / total <= 0.25


def test_positions_are_the_three_of_the_survey(wave_2026):
    positions = Counter(r.position for r in wave_2026)
    assert set(positions) == set(demo_data.POSITIONS)
    assert positions["chair"] < positions["manager"] < positions["sector_director"]


def test_generation_is_deterministic(wave_2026):
    assert demo_data.generate_wave(2026) == wave_2026
    assert demo_data.generate_wave(2023) == demo_data.generate_wave(2023)


def test_earlier_waves_are_lower_and_have_the_same_keys(wave_2026):
    def share_good(rows):
        answers = [v for item in ITEMS for v in values(rows, item)]
        return sum(v >= 4 for v in answers) / len(answers)

    shares = []
    for year in (2022, 2023, 2024):
        rows = demo_data.generate_wave(year)
        assert 400 < len(rows) < 560
        assert {a for a in Counter(r.area for r in rows)} == set(AREAS)
        assert all(set(r.ratings) == set(wave_2026[0].ratings) for r in rows)
        shares.append(share_good(rows))
    shares.append(share_good(wave_2026))
    assert shares == sorted(shares)


@pytest.mark.django_db
def test_database_reproduces_the_published_table():
    result = demo_data.create_demo_survey_data()
    assert result["created"]
    survey = Survey.objects.get(key=demo_data.DEMO_SURVEY_KEY)
    assert survey.is_demo
    assert survey.title.endswith("(demo)")
    assert list(survey.waves.order_by("opens_at").values_list("name", flat=True)) == [
        "2022",
        "2023",
        "2024",
        "2026",
    ]
    wave = Wave.objects.get(survey=survey, name="2026")

    per_area = {
        row["area__short_name"]: row["n"]
        for row in Response.objects.filter(wave=wave)
        .values("area__short_name")
        .annotate(n=Count("pk"))
    }
    assert per_area == {a: int(TABLE[a]["n_respondents"]) for a in AREAS}

    for item in ITEMS:
        rows = (
            Answer.objects.filter(response__wave=wave, question__key=item)
            .values("response__area__short_name")
            .annotate(mean=Avg("scale_value"), n=Count("scale_value"))
        )
        by_area = {row["response__area__short_name"]: row for row in rows}
        assert set(by_area) == set(AREAS), item
        for area in AREAS:
            mean = Decimal(str(by_area[area]["mean"])).quantize(ONE_DECIMAL, ROUND_HALF_UP)
            assert mean == Decimal(TABLE[area][item]), (area, item)
        assert sum(row["n"] for row in by_area.values()) == int(TABLE["N_PER_ITEM"][item])
        overall = Answer.objects.filter(response__wave=wave, question__key=item).aggregate(
            mean=Avg("scale_value")
        )["mean"]
        assert Decimal(str(overall)).quantize(ONE_DECIMAL, ROUND_HALF_UP) == Decimal(
            TABLE["ALL"][item]
        )

    helsinki = Response.objects.get(wave=wave, area__short_name="Helsinki")
    assert helsinki.organisation.code == "091"
    assert not Response.objects.filter(wave=wave).exclude(organisation__area=F("area")).exists()
    assert set(Response.objects.values_list("organisation__kind", flat=True)) == {"municipality"}

    invitations = Invitation.objects.filter(wave=wave)
    assert invitations.filter(used=True).count() == Response.objects.filter(wave=wave).count()
    assert 950 <= invitations.count() <= 1050
    assert invitations.filter(email__endswith="@demo.invalid").count() == invitations.count()

    again = demo_data.create_demo_survey_data()
    assert not again["created"]
    assert Survey.objects.filter(key=demo_data.DEMO_SURVEY_KEY).count() == 1
    for key in ("waves", "responses", "answers", "invitations"):
        assert again[key] == result[key], key


@pytest.mark.django_db
def test_rebuild_replaces_the_demo_survey():
    first = demo_data.create_demo_survey_data()
    second = demo_data.create_demo_survey_data(rebuild=True)
    assert second["created"]
    assert Survey.objects.filter(key=demo_data.DEMO_SURVEY_KEY).count() == 1
    assert Response.objects.count() == first["responses"] == second["responses"]
    assert Invitation.objects.count() == first["invitations"]
