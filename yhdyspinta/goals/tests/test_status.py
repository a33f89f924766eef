"""The status rule, against figures computed by hand."""

from decimal import Decimal as D

import pytest

from yhdyspinta.goals.status import Figures, Status, goal_status, indicator_status, path_value


def higher(*measurements):
    # Baseline 60 % in 2022, target 80 % in 2026: the path rises 5 points a year.
    return Figures(True, D("60"), 2022, D("80"), 2026, tuple((y, D(v)) for y, v in measurements))


def lower(*measurements):
    # Baseline 12.0 in 2020, target 9.0 in 2023: the path falls 1.0 a year.
    rows = tuple((y, D(v)) for y, v in measurements)
    return Figures(False, D("12.0"), 2020, D("9.0"), 2023, rows)


def test_path_by_hand():
    assert path_value(higher(), 2024) == 70
    assert path_value(higher(), 2023) == 65
    assert path_value(lower(), 2022) == 10
    # After the target year the path stays at the target.
    assert path_value(higher(), 2030) == 80


@pytest.mark.parametrize(
    ("measurements", "expected"),
    [
        ((), Status.NO_DATA),
        (((2022, "75"),), Status.NO_DATA),  # in the baseline year only
        (((2021, "90"),), Status.NO_DATA),  # before it
        (((2024, "70"),), Status.ON_TRACK),  # exactly on the path
        (((2024, "75"),), Status.ON_TRACK),  # ahead of it
        (((2024, "69.9"),), Status.AT_RISK),  # just behind, better than the baseline
        (((2024, "60"),), Status.OFF_TRACK),  # no better than the baseline
        (((2024, "55"),), Status.OFF_TRACK),  # worse
        (((2025, "80"),), Status.ACHIEVED),  # the target reached early
        (((2026, "85"),), Status.ACHIEVED),  # the target passed
        (((2028, "79"),), Status.AT_RISK),  # past the target year, short of it
        (((2024, "75"), (2025, "66")), Status.AT_RISK),  # the latest year counts
    ],
)
def test_higher_is_better(measurements, expected):
    assert indicator_status(higher(*measurements)) == expected


@pytest.mark.parametrize(
    ("measurements", "expected"),
    [
        ((), Status.NO_DATA),
        (((2020, "8"),), Status.NO_DATA),
        (((2021, "11.0"),), Status.ON_TRACK),  # exactly on the path
        (((2022, "9.5"),), Status.ON_TRACK),  # ahead of it (lower)
        (((2021, "11.5"),), Status.AT_RISK),
        (((2021, "12.0"),), Status.OFF_TRACK),  # equal to the baseline
        (((2022, "12.5"),), Status.OFF_TRACK),  # worse than the baseline
        (((2023, "9.0"),), Status.ACHIEVED),
        (((2022, "8.5"),), Status.ACHIEVED),  # the target passed
        (((2024, "9.5"),), Status.AT_RISK),  # past the target year, path held at 9.0
        (((2021, "11.0"), (2022, "11.9")), Status.AT_RISK),
    ],
)
def test_lower_is_better(measurements, expected):
    assert indicator_status(lower(*measurements)) == expected


def test_goal_takes_the_worst_with_data():
    assert goal_status([Status.ON_TRACK, Status.AT_RISK, Status.NO_DATA]) == Status.AT_RISK
    assert goal_status([Status.ACHIEVED, Status.ON_TRACK]) == Status.ON_TRACK
    assert goal_status([Status.ACHIEVED, Status.OFF_TRACK, Status.AT_RISK]) == Status.OFF_TRACK
    assert goal_status([Status.ACHIEVED, Status.NO_DATA]) == Status.ACHIEVED
    assert goal_status([Status.NO_DATA, Status.NO_DATA]) == Status.NO_DATA
    assert goal_status([]) == Status.NO_DATA
