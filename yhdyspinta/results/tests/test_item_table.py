"""The per-group item table: hand-computed figures, small-group protection, and the published
2026 table reproduced from the calibrated demo data."""

import csv
import itertools
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import municipality
from yhdyspinta.results.selectors import good_and_poor, item_table
from yhdyspinta.surveys import services
from yhdyspinta.surveys.tests.conftest import invite, make_survey, make_wave

pytestmark = pytest.mark.django_db

EXAMPLES = itertools.count()
PUBLISHED = Path(__file__).resolve().parents[2] / "demo" / "data" / "published_2026_municipal.csv"


def one(value: float) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def answer(wave, code, email, **ratings):
    _, token = invite(wave, municipality(code), email=email)
    services.submit_response(token=token, answers={"position": "manager", **ratings})


def test_hand_computed_means_n_range_and_suppression():
    wave = make_wave(make_survey())
    # Pirkanmaa (Tampere 837, Nokia 536): three respondents; Helsinki (091): one.
    answer(wave, "837", "a@example.org", regular_meetings="5", decision_openness="2")
    answer(wave, "837", "b@example.org", regular_meetings="4", decision_openness="cant_say")
    answer(wave, "536", "c@example.org", regular_meetings="3")
    answer(wave, "091", "d@example.org", regular_meetings="1", decision_openness="1")

    table = item_table(wave=wave, threshold=1)
    rows = {g.code: g for g in table.groups}
    # Every area is listed; those with no respondents are withheld like those with too few.
    assert len(rows) == 22
    assert {code for code, g in rows.items() if g.n} == {"08", "90"}
    assert all(g.suppressed for code, g in rows.items() if code not in ("08", "90"))
    assert rows["08"].n == 3 and rows["90"].n == 1
    assert rows["08"].cells["regular_meetings"].mean == 4.0  # (5+4+3)/3
    assert rows["08"].cells["regular_meetings"].n == 3
    assert rows["08"].cells["decision_openness"].n == 1  # can't say and blank are not values
    assert table.all.n == 4
    assert table.all.cells["regular_meetings"].mean == pytest.approx(13 / 4)
    assert table.all.cells["decision_openness"].n == 2
    assert table.range["regular_meetings"] == (1.0, 4.0)

    table = item_table(wave=wave, threshold=3)
    rows = {g.code: g for g in table.groups}
    # Helsinki's single respondent is withheld everywhere ...
    assert rows["90"].suppressed and rows["90"].cells["regular_meetings"].mean is None
    # ... and so is Pirkanmaa's regular_meetings: with the total shown, Helsinki's value
    # would follow from it (complementary suppression).
    assert rows["08"].cells["regular_meetings"].suppressed
    assert table.range["regular_meetings"] is None
    assert table.all.cells["regular_meetings"].mean == pytest.approx(13 / 4)


def test_too_few_respondents_in_all_withholds_everything():
    wave = make_wave(make_survey())
    answer(wave, "837", "a@example.org", regular_meetings="5")
    table = item_table(wave=wave, threshold=5)
    assert table.all.suppressed and table.all.cells["regular_meetings"].mean is None


def test_filter_by_position_withholds_small_groups():
    wave = make_wave(make_survey())
    for n in range(5):
        answer(wave, "837", f"m{n}@example.org", regular_meetings="4")
    _, token = invite(wave, municipality("837"), email="chair@example.org")
    services.submit_response(token=token, answers={"position": "chair", "regular_meetings": "1"})
    chairs = {g.code: g for g in item_table(wave=wave, position="chair").groups}
    assert chairs["08"].suppressed  # one chair in Pirkanmaa: withheld at the default 5
    # Pirkanmaa's row of all positions (6) is shown in the unfiltered table, so its managers
    # (5) would give the chair away: withheld too.
    everyone = {g.code: g for g in item_table(wave=wave).groups}
    assert not everyone["08"].suppressed
    managers = {g.code: g for g in item_table(wave=wave, position="manager").groups}
    assert managers["08"].suppressed
    by_position = item_table(wave=wave, group_by="position", threshold=1)
    sizes = {g.code: g.n for g in by_position.groups if g.n}
    assert sizes == {"chair": 1, "manager": 5}
    # At a threshold of 1 nothing needs withholding.
    managers = {g.code: g for g in item_table(wave=wave, position="manager", threshold=1).groups}
    assert managers["08"].cells["regular_meetings"].mean == 4.0


def test_good_and_poor():
    wave = make_wave(make_survey())
    for n, value in enumerate(["5", "4", "3", "2", "cant_say"]):
        answer(wave, "837", f"r{n}@example.org", headline_rating=value)
    headline = wave.survey.questions.get(key="headline_rating")
    figures = good_and_poor(wave=wave, question=headline)
    assert figures["n"] == 4 and figures["cant_say"] == 1
    assert figures["good"] == 50.0 and figures["poor"] == 25.0
    assert figures["distribution"] == {1: 0, 2: 1, 3: 1, 4: 1, 5: 1}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["837", "091", "049"]),
            st.sampled_from(["1", "2", "3", "4", "5", "cant_say", ""]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_all_respondents_mean_is_the_n_weighted_mean_of_the_groups(answers):
    wave = make_wave(make_survey(key=f"prop_{next(EXAMPLES)}"))
    for n, (code, value) in enumerate(answers):
        answer(wave, code, f"p{n}@example.org", regular_meetings=value)
    table = item_table(wave=wave, threshold=1)
    cells = [g.cells["regular_meetings"] for g in table.groups]
    substantive = [v for _, v in answers if v not in ("", "cant_say")]
    assert sum(c.n for c in cells) == table.all.cells["regular_meetings"].n == len(substantive)
    if substantive:
        weighted = sum(c.mean * c.n for c in cells if c.n) / len(substantive)
        assert table.all.cells["regular_meetings"].mean == pytest.approx(weighted)


def test_demo_2026_reproduces_the_published_table():
    from yhdyspinta.demo.surveys import create_demo_survey_data
    from yhdyspinta.surveys.models import Wave

    create_demo_survey_data()
    wave = Wave.objects.get(survey__key="municipal_leadership_demo", name="2026")
    table = item_table(wave=wave, threshold=1)
    rows = {g.name: g for g in table.groups}
    keys = [item.key for item in table.items]
    with PUBLISHED.open(encoding="utf-8") as f:
        published = list(csv.DictReader(f))
    for row in published:
        if row["area"] == "ALL":
            assert table.all.n == int(row["n_respondents"])
            for key in keys:
                assert one(table.all.cells[key].mean) == row[key], key
        elif row["area"] == "RANGE":
            for key in keys:
                low, high = table.range[key]
                assert f"{one(low)}-{one(high)}" == row[key], key
        elif row["area"] == "N_PER_ITEM":
            for key in keys:
                assert str(table.all.cells[key].n) == row[key], key
        else:
            group = rows[row["area"]]
            assert group.n == int(row["n_respondents"]), row["area"]
            for key in keys:
                assert one(group.cells[key].mean) == row[key], (row["area"], key)

    # With the default threshold (5) Helsinki (N=1) is withheld and out of the range.
    protected = item_table(wave=wave)
    helsinki = next(g for g in protected.groups if g.code == "90")
    assert helsinki.suppressed
    assert all(c.mean is None for c in helsinki.cells.values())
    # Helsinki's 4.0 no longer sets the top of the range; Keski-Uusimaa's 3.9 does.
    low, high = protected.range["regular_meetings"]
    assert (one(low), one(high)) == ("2.4", "3.9")
