"""One rounding and one way of writing numbers for pages, charts, maps, PPTX and XLSX."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from yhdyspinta.core.numbers import format_number, percent, round_half_up


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [(2.25, 1, "2.3"), (2.35, 1, "2.4"), (2.675, 2, "2.68"), (0.5, 0, "1"), (-0.04, 1, "0.0")],
)
def test_half_up_as_the_value_prints(value, places, expected):
    assert str(round_half_up(value, places)) == expected


@pytest.mark.parametrize(
    ("part", "whole", "printed"), [(23, 40, "58 %"), (11, 40, "28 %"), (29, 200, "15 %")]
)
def test_shares_are_exact_fractions_rounded_half_up(part, whole, printed):
    share = percent(part, whole)
    assert isinstance(share, Fraction)
    with translation.override("fi"):
        assert format_number(share, 0, unit=" %") == printed
    # A float share would have decided some of these halves by its binary error.
    assert round_half_up(share, 0) == Decimal(printed.split()[0])


def test_the_separator_and_signs_follow_the_language_and_the_caller():
    with translation.override("fi"):
        assert format_number(-1.25) == "\u22121,3"
        assert format_number(0.34, plus="+") == "+0,3"
    with translation.override("sv"):
        assert format_number(2.5) == "2,5"
    with translation.override("en"):
        assert format_number(2.5) == "2.5"
        assert format_number(-0.5, 0, minus="-") == "-1"
    assert percent(1, 0) is None
