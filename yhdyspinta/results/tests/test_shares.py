"""Distributions, % good and poor, the two-way protection, trends, and the property that no
exported figure rests on fewer respondents than the threshold."""

import itertools
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import municipality
from yhdyspinta.core.exports import WITHHELD
from yhdyspinta.core.numbers import round_half_up
from yhdyspinta.results import selectors
from yhdyspinta.results.report import area_table_view, range_text, shares_view
from yhdyspinta.surveys import services
from yhdyspinta.surveys.models import Wave
from yhdyspinta.surveys.tests.conftest import invite, make_survey, make_wave

pytestmark = pytest.mark.django_db

EXAMPLES = itertools.count()


def answer(wave, code, email, position="manager", **answers):
    _, token = invite(wave, municipality(code), email=email, position=position)
    services.submit_response(token=token, answers={"position": position, **answers})


def test_shares_hand_computed():
    wave = make_wave(make_survey())
    values = ["5", "4", "4", "3", "2", "1", "cant_say", ""]
    for n, value in enumerate(values):
        answer(wave, "837", f"r{n}@example.org", headline_rating=value)
    headline = wave.survey.questions.get(key="headline_rating")
    table = selectors.share_table(wave=wave, items=[headline], threshold=1)
    shares = table.all.cells["headline_rating"]
    assert shares.n == 6 and shares.cant_say == 1
    assert shares.counts == {1: 1, 2: 1, 3: 1, 4: 2, 5: 1}
    assert shares.good == pytest.approx(50.0)  # 3 of 6
    assert shares.poor == pytest.approx(100 / 3)  # 2 of 6
    assert shares.mean == pytest.approx(19 / 6)
    rows = {g.code: g for g in table.groups}
    assert rows["08"].n == 8  # respondents, whether they rated or not

    view = shares_view("h", "Headline", table, headline, "Area")
    assert view.rows[-1][:4] == ["Kaikki vastaajat", 6, 50.0, pytest.approx(100 / 3)]
    # the chart carries the same numbers as the table
    assert view.chart.series[0][1][-1] == 50.0

    withheld = selectors.share_table(wave=wave, items=[headline], threshold=7)
    assert withheld.all.cells["headline_rating"].good is None
    row = shares_view("h", "Headline", withheld, headline, "Area").rows[-1]
    assert set(row[1:]) == {WITHHELD}


def test_area_by_position_protects_rows_and_columns():
    wave = make_wave(make_survey())
    # Pirkanmaa: 6 managers, 1 chair. Kymenlaakso (Kotka): 6 managers, 6 chairs.
    for n in range(6):
        answer(wave, "837", f"pm{n}@example.org", headline_rating="4")
        answer(wave, "285", f"km{n}@example.org", headline_rating="2")
        answer(wave, "285", f"kc{n}@example.org", position="chair", headline_rating="5")
    answer(wave, "837", "pc@example.org", position="chair", headline_rating="1")
    headline = wave.survey.questions.get(key="headline_rating")
    crossed = selectors.area_by_position(wave=wave, items=[headline], threshold=5)
    cell = {key: group.cells["headline_rating"] for key, group in crossed.items()}
    assert cell["08", "chair"].suppressed  # one chair: too few
    # Pirkanmaa's total is shown elsewhere, so its managers would give the chair away.
    assert cell["08", "manager"].suppressed
    # The chairs' national figure is shown, so Kymenlaakso's chairs would too.
    assert cell["10", "chair"].suppressed
    # Kymenlaakso's managers are then the lone visible cell of the row and column: withheld.
    assert cell["10", "manager"].suppressed


def test_realised_trend_follows_the_waves():
    survey = make_survey()
    first = make_wave(survey, name="2024")
    for n in range(5):
        answer(first, "837", f"a{n}@example.org", regular_meetings="4" if n < 2 else "2")
    # The first wave took place a year earlier.
    Wave.objects.filter(pk=first.pk).update(
        opens_at=first.opens_at - timedelta(days=400),
        closes_at=first.closes_at - timedelta(days=400),
    )
    first.refresh_from_db()
    second = make_wave(survey, name="2026")
    for n in range(5):
        answer(second, "837", f"b{n}@example.org", regular_meetings="5" if n < 4 else "1")
    trend = selectors.realised_trend(wave=second)
    assert [w.name for w in trend.waves] == ["2024", "2026"]
    assert [p.good for p in trend.points["regular_meetings"]] == [40.0, 80.0]
    area = selectors.realised_trend(wave=second, area_code="08")
    assert [p.good for p in area.points["regular_meetings"]] == [40.0, 80.0]
    # the first wave's trend does not see the later one
    assert len(selectors.realised_trend(wave=first).waves) == 1


def test_rounding_and_range_text():
    assert str(round_half_up(2.25)) == "2.3" and str(round_half_up(2.35)) == "2.4"
    assert range_text((2.35, 4.0)) == "2,4-4,0"
    assert range_text(None) == ""


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.lists(
        st.tuples(
            st.sampled_from(["837", "536", "091", "285", "049"]),
            st.sampled_from(["manager", "chair"]),
            st.sampled_from(["1", "2", "3", "4", "5", "cant_say", ""]),
        ),
        min_size=1,
        max_size=25,
    ),
    threshold=st.integers(min_value=2, max_value=6),
)
def test_no_exported_figure_rests_on_fewer_than_the_threshold(answers, threshold):
    wave = make_wave(make_survey(key=f"prop_{next(EXAMPLES)}"))
    for n, (code, position, value) in enumerate(answers):
        answer(wave, code, f"p{n}@example.org", position=position, regular_meetings=value)
    for group_by in ("area", "position"):
        table = selectors.item_table(wave=wave, group_by=group_by, threshold=threshold)
        view = area_table_view(table)
        column = 1 + [i.key for i in table.items].index("regular_meetings")
        for group, row in zip(table.groups, view.rows, strict=False):
            cell = group.cells["regular_meetings"]
            if row[column] not in (WITHHELD, None):
                assert cell.n >= threshold and group.n >= threshold
            if row[-1] != WITHHELD:
                assert group.n >= threshold
        # Complementary: with the total shown, never exactly one withheld cell.
        if not table.all.cells["regular_meetings"].suppressed:
            hidden = [
                g
                for g in table.groups
                if g.cells["regular_meetings"].n and g.cells["regular_meetings"].suppressed
            ]
            assert len(hidden) != 1
        # The range is made of shown figures only.
        bounds = table.range["regular_meetings"]
        shown = [
            g.cells["regular_meetings"].mean
            for g in table.groups
            if not g.cells["regular_meetings"].suppressed and g.cells["regular_meetings"].n
        ]
        assert bounds == ((min(shown), max(shown)) if shown else None)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.lists(
        st.tuples(
            st.sampled_from(["837", "091", "285"]),
            st.sampled_from(["manager", "chair", "sector_director"]),
            st.sampled_from(["1", "3", "5", "cant_say", ""]),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_tallies_kept_on_submission_equal_a_recount_of_the_answers(answers):
    from yhdyspinta.surveys import tallies
    from yhdyspinta.surveys.models import Tally

    wave = make_wave(make_survey(key=f"tally_{next(EXAMPLES)}"))
    for n, (code, position, value) in enumerate(answers):
        answer(wave, code, f"t{n}@example.org", position=position, headline_rating=value)

    def snapshot():
        return sorted(
            Tally.objects.filter(wave=wave).values_list(
                "area_code", "position", "organisation_kind", "question_key", "value", "n"
            )
        )

    kept = snapshot()
    tallies.rebuild(wave)
    assert kept == snapshot()
    respondents = sum(row[-1] for row in kept if row[3] == "")
    assert respondents == len(answers)
