"""Percentages from exact fractions, rounded half up, the same in pages and exports.

23 of 40 is exactly 57.5 %, which rounds to 58; dividing before multiplying gave the float
57.49999999999999, which printed 57. 11 of 40 is 27.5 (28), 29 of 200 is 14.5 (15).
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from yhdyspinta.core.exports import Sheet, to_xlsx
from yhdyspinta.results.pptx import format_as
from yhdyspinta.results.report import PERCENT
from yhdyspinta.results.selectors import Shares, exact_percent
from yhdyspinta.results.templatetags.results import figure

CASES = [(23, 40, "58 %"), (11, 40, "28 %"), (29, 200, "15 %")]


@pytest.mark.parametrize(("part", "whole", "printed"), CASES)
def test_a_share_prints_half_up_on_the_pages(part, whole, printed):
    shares = Shares(n=whole, counts={1: 0, 2: 0, 3: whole - part, 4: part, 5: 0})
    assert shares.good == part * 100 / whole
    assert str(figure(shares.good, False, 0, 5, " %")) == printed
    # The float a naive division gives is just below the half: the reason for the exact one.
    if (part, whole) == (23, 40):
        assert part / whole * 100 < 57.5


@pytest.mark.parametrize(("part", "whole", "printed"), CASES)
def test_a_share_prints_half_up_in_the_slides(part, whole, printed):
    assert format_as(exact_percent(part, whole), PERCENT) + " %" == printed


@pytest.mark.parametrize(("part", "whole", "printed"), CASES)
def test_a_share_in_the_workbook_is_the_exact_value_with_a_whole_number_format(
    part, whole, printed
):
    content = to_xlsx(
        [Sheet(title="x", columns=["good"], rows=[[exact_percent(part, whole)]], formats=[PERCENT])]
    )
    cell = load_workbook(io.BytesIO(content)).active["A2"]
    # The spreadsheet rounds half away from zero for display, which for shares is half up.
    assert cell.value == part * 100 / whole
    assert cell.number_format == "0"
    assert f"{int(cell.value + 0.5)} %" == printed


def test_no_answers_is_no_share():
    assert exact_percent(0, 0) is None
    assert Shares().good is None
