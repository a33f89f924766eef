"""The negotiation duties on the board, computed on any date: an area of five municipalities,
a §14 negotiation held with three of them this term and a hyte negotiation last year."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.utils import timezone

from conftest import area as real_area
from yhdyspinta.cooperation import duties
from yhdyspinta.cooperation.models import CouncilTerm

from .factories import at, five_municipality_area, negotiation

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    area, municipalities = five_municipality_area()
    negotiation(area, "section14", municipalities[:3], at(2025, 11, 20))
    negotiation(area, "hyte", municipalities, at(2025, 10, 15))
    return area, municipalities


def statuses(report, duty, *, previous=False):
    return [
        (row.previous if previous else row.current)[duty].status for row in report.municipalities
    ]


def test_council_terms_are_data_with_the_past_and_the_current_term():
    terms = list(CouncilTerm.objects.values_list("name", "starts_on", "ends_on"))
    assert terms == [
        ("2021–2025", date(2021, 8, 1), date(2025, 5, 31)),
        ("2025–2029", date(2025, 6, 1), date(2029, 5, 31)),
    ]


def test_spring_2026_three_met_two_open_hyte_open_this_year_met_last_year(seeded):
    area, _ = seeded
    with time_machine.travel(at(2026, 3, 1), tick=False):
        report = duties.area_duties(area)
    assert report.on == date(2026, 3, 1)
    assert report.periods["section14"].name == "2025–2029"
    assert statuses(report, "section14") == ["met", "met", "met", "open", "open"]
    assert report.municipalities[0].current["section14"].held_on == date(2025, 11, 20)
    assert statuses(report, "section14", previous=True) == ["missed"] * 5
    assert statuses(report, "hyte") == ["open"] * 5
    assert statuses(report, "hyte", previous=True) == ["met"] * 5
    assert not report.has_due_soon  # 2029 and December are far away


def test_a_planned_negotiation_is_scheduled_and_counts_once_held(seeded):
    area, municipalities = seeded
    planned = negotiation(area, "hyte", municipalities[3:], at(2026, 10, 1), status="planned")
    with time_machine.travel(at(2026, 6, 1), tick=False):
        report = duties.area_duties(area)
    assert statuses(report, "hyte") == ["open", "open", "open", "scheduled", "scheduled"]
    assert report.municipalities[3].current["hyte"].planned_on == date(2026, 10, 1)
    planned.status = "held"
    planned.save()
    with time_machine.travel(at(2026, 10, 2), tick=False):
        report = duties.area_duties(area)
    assert statuses(report, "hyte") == ["open", "open", "open", "met", "met"]
    # The board on a date before it was held shows it as still to come.
    report = duties.area_duties(area, date(2026, 9, 30))
    assert statuses(report, "hyte") == ["open", "open", "open", "scheduled", "scheduled"]


def test_open_duties_are_due_soon_inside_the_warning_window(seeded, settings):
    area, _ = seeded
    with time_machine.travel(at(2026, 11, 1), tick=False):  # 60 days to the year's end
        report = duties.area_duties(area)
    assert [row.current["hyte"].due_soon for row in report.municipalities] == [True] * 5
    assert report.municipalities[0].current["hyte"].days_left == 60
    settings.COOPERATION_DUTY_WARNING_DAYS = {"section14": 120, "hyte": 30}
    report = duties.area_duties(area, date(2026, 11, 1))
    assert not report.due_soon("hyte")
    # §14: 120 days before 31 May 2029, only the two that have not met it.
    report = duties.area_duties(area, date(2029, 2, 1))
    assert [r.municipality.code for r in report.due_soon("section14")] == ["T04", "T05"]


def test_after_the_term_the_two_have_missed_it_and_the_three_met_it(seeded):
    area, _ = seeded
    with time_machine.travel(at(2029, 6, 15), tick=False):
        assert timezone.localdate() == date(2029, 6, 15)
        report = duties.area_duties(area)
    assert report.periods["section14"] is None  # no later term is recorded yet
    assert statuses(report, "section14") == [None] * 5
    assert report.previous_periods["section14"].name == "2025–2029"
    assert statuses(report, "section14", previous=True) == ["met", "met", "met", "missed", "missed"]
    assert statuses(report, "hyte") == ["open"] * 5
    assert statuses(report, "hyte", previous=True) == ["missed"] * 5


def test_cancelled_and_other_negotiations_and_other_parties_do_not_count(seeded):
    area, municipalities = seeded
    negotiation(area, "hyte", municipalities, at(2026, 2, 1), status="cancelled")
    negotiation(area, "other", municipalities, at(2026, 2, 2))
    report = duties.area_duties(area, date(2026, 3, 1))
    assert statuses(report, "hyte") == ["open"] * 5


def test_helsinki_has_no_county_to_negotiate_with():
    report = duties.area_duties(real_area("90"), date(2026, 3, 1))
    assert report.applies is False
    assert report.municipalities == []


def test_national_counts_over_every_area(seeded):
    national = duties.national_duties(date(2026, 3, 1))
    assert len(national.areas) == 23  # the 22 areas and the test area
    assert national.applicable_areas() == 22
    totals = national.totals("section14")
    assert totals["met"] == 3
    assert totals["open"] == national.municipalities() - 3
    assert national.totals("hyte", previous=True)["met"] == 5
    assert national.areas_met("hyte", previous=True) == 1
