"""Goals, indicators and figures: who may keep them, what is refused, and the pages."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import area, municipality
from yhdyspinta.core.models import AuditEntry
from yhdyspinta.core.tables import ImportRejected
from yhdyspinta.goals import services
from yhdyspinta.goals.models import Goal, Indicator, Measurement

pytestmark = pytest.mark.django_db

INDICATOR = {
    "name_fi": "Koulukuraattorin tavoittavuus",
    "unit": "%",
    "direction": "higher",
    "baseline_value": "60",
    "baseline_year": 2022,
    "target_value": "80",
    "target_year": 2026,
}


def make_goal(actor, **indicator):
    return services.save_goal(
        actor=actor,
        area=area("08"),
        values={
            "title_fi": "Lasten ja nuorten palvelut sujuvat",
            "starts_year": 2025,
            "ends_year": 2028,
        },
        responsible=[area("08"), municipality("837")],
        indicators=[{**INDICATOR, **indicator}],
    )


def test_goal_with_an_indicator_and_its_status(area_coordinator):
    goal = make_goal(area_coordinator, measurements=[{"year": 2024, "value": "70"}])
    indicator = goal.indicators.get()
    assert indicator.baseline_value == Decimal("60")
    assert list(indicator.measurements.values_list("year", "value")) == [(2024, Decimal("70"))]
    from yhdyspinta.goals.selectors import goal_view

    view = goal_view(goal)
    assert view.status == "on_track"  # exactly on the path 60 -> 80 at 2024
    assert AuditEntry.objects.filter(object_id=str(goal.pk), action="created").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target_value": "60"}, "target_value"),  # equal to the baseline
        ({"target_value": "60,0"}, "target_value"),  # the same, typed the Finnish way
        ({"target_year": 2022}, "target_year"),  # not after the baseline year
        ({"target_year": 2021}, "target_year"),
        ({"measurements": [{"year": 2021, "value": "50"}]}, "measurements"),  # before baseline
        ({"direction": "sideways"}, "direction"),
        ({"baseline_value": "paljon"}, "baseline_value"),
        ({"sotkanet_id": "abc"}, "sotkanet_id"),
    ],
)
def test_bad_indicators_save_nothing(area_coordinator, change, field):
    with pytest.raises(ValidationError) as error:
        make_goal(area_coordinator, **change)
    assert field in " ".join(error.value.message_dict["indicators"])
    assert not Goal.objects.exists()
    assert not Indicator.objects.exists()


def test_responsible_parties_come_from_the_area(area_coordinator):
    with pytest.raises(ValidationError) as error:
        services.save_goal(
            actor=area_coordinator,
            area=area("08"),
            values={"title_fi": "Tavoite", "starts_year": 2025, "ends_year": 2026},
            responsible=[municipality("049")],  # Espoo is not in Pirkanmaa
        )
    assert "Espoo" in error.value.message_dict["responsible"][0]
    assert not Goal.objects.exists()


def test_who_keeps_goals(area_coordinator, tampere_editor, nokia_member, espoo_editor):
    goal = make_goal(area_coordinator)
    for outsider in (tampere_editor, nokia_member, espoo_editor):
        with pytest.raises(PermissionDenied):
            make_goal(outsider)
    # Tampere is responsible for the goal: its editor records figures, Nokia's member does not.
    indicator = goal.indicators.get()
    services.record_measurement(actor=tampere_editor, indicator=indicator, year_=2023, value="64")
    with pytest.raises(PermissionDenied):
        services.record_measurement(actor=nokia_member, indicator=indicator, year_=2024, value="1")
    assert indicator.measurements.count() == 1


def test_measurement_before_the_baseline_is_refused(area_coordinator):
    indicator = make_goal(area_coordinator).indicators.get()
    with pytest.raises(ValidationError) as error:
        services.record_measurement(
            actor=area_coordinator, indicator=indicator, year_=2020, value="61"
        )
    assert "year" in error.value.message_dict
    assert not Measurement.objects.exists()


def test_import_is_all_or_nothing(area_coordinator):
    indicator = make_goal(area_coordinator).indicators.get()
    bad = (
        "indicator,year,value,source\n"
        f"{indicator.pk},2023,64,Kouluterveyskysely\n"
        f"{indicator.pk},2019,55,\n"  # before the baseline
        f"99999,2024,1,\n"  # no such indicator
        f"{indicator.pk},2024,paljon,\n"
    ).encode()
    with pytest.raises(ImportRejected) as rejected:
        services.import_measurements(
            actor=area_coordinator, area=area("08"), name="luvut.csv", content=bad
        )
    assert [(e.row, e.column) for e in rejected.value.errors] == [
        (3, "year"),
        (4, "indicator"),
        (5, "value"),
    ]
    assert not Measurement.objects.exists()
    good = f"indicator;year;value\n{indicator.pk};2023;64,5\n{indicator.pk};2024;70\n".encode()
    assert (
        services.import_measurements(
            actor=area_coordinator, area=area("08"), name="luvut.csv", content=good
        )
        == 2
    )
    assert list(indicator.measurements.values_list("value", flat=True)) == [
        Decimal("64.5"),
        Decimal("70"),
    ]


def test_goal_pages(client, area_coordinator, espoo_editor):
    client.force_login(area_coordinator)
    response = client.post(
        reverse("goals:goal_create", args=["08"]),
        {"title_fi": "Työllisyys paranee", "starts_year": 2025, "ends_year": 2027},
    )
    goal = Goal.objects.get()
    assert response.status_code == 302 and response["Location"] == goal.get_absolute_url()
    response = client.post(
        reverse("goals:indicator_create", args=[goal.pk]),
        {**INDICATOR, "target_value": "60"},
    )
    assert response.status_code == 400
    assert "Tavoitteen on oltava eri kuin lähtötaso." in response.content.decode()
    assert not Indicator.objects.exists()
    client.post(reverse("goals:indicator_create", args=[goal.pk]), INDICATOR)
    indicator = Indicator.objects.get()
    response = client.post(
        reverse("goals:measurement_add", args=[indicator.pk]), {"year": 2025, "value": "78,5"}
    )
    assert response.status_code == 302
    page = client.get(goal.get_absolute_url()).content.decode()
    assert "78,5" in page  # in the table beside the chart, the Finnish way
    assert "<svg" in page
    assert "aikataulussa" in page  # 78.5 is ahead of the path (75) in 2025
    client.force_login(espoo_editor)
    assert client.get(goal.get_absolute_url()).status_code == 403
