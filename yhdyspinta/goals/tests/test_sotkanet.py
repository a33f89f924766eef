"""The Sotkanet client and the refresh: what it sends, and that a failing or reshaped answer
leaves the stored figures as they were. No test reaches the network (respx answers)."""

import csv
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import respx
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import area, municipality
from yhdyspinta.goals import services, sotkanet
from yhdyspinta.goals.models import Measurement

pytestmark = pytest.mark.django_db
BASE = "https://sotkanet.example.test/rest/1.1/"


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.SOTKANET_URL = BASE
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def indicator(area_coordinator):
    goal = services.save_goal(
        actor=area_coordinator,
        area=area("08"),
        values={"title_fi": "Tavoite", "starts_year": 2022, "ends_year": 2026},
        indicators=[
            {
                "name_fi": "Sotkanet-mittari",
                "direction": "lower",
                "baseline_value": "10",
                "baseline_year": 2022,
                "target_value": "8",
                "target_year": 2026,
                "sotkanet_id": 127,
                "measurements": [{"year": 2023, "value": "9.5", "source": "typed"}],
            }
        ],
    )
    return goal.indicators.get()


def stored(indicator):
    return list(indicator.measurements.values_list("year", "value", "source"))


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (httpx.Response(500), "HTTP 500"),
        (httpx.Response(404), "HTTP 404"),
        (httpx.TimeoutException("slow"), "ajoissa"),  # messages in the user's language: Finnish
        (httpx.ConnectError("down"), "yhteyttä"),
        (httpx.Response(200, text="<html>maintenance</html>"), "JSONia"),
        (httpx.Response(200, json={"regions": "moved"}), "muodossa"),
        (httpx.Response(200, json=[{"title": "no id or code"}]), "muodossa"),
    ],
)
def test_a_failing_or_reshaped_answer_changes_nothing(indicator, answer, message):
    before = stored(indicator)
    with respx.mock(assert_all_called=False) as mock:
        if isinstance(answer, Exception):
            mock.get(BASE + "regions").mock(side_effect=answer)
        else:
            mock.get(BASE + "regions").mock(return_value=answer)
        with pytest.raises(sotkanet.SotkanetError, match=message):
            services.refresh_from_sotkanet(area=area("08"))
    assert stored(indicator) == before


def test_requests_name_the_app_and_are_cached(indicator):
    with respx.mock() as mock:
        route = mock.get(BASE + "indicators").mock(return_value=httpx.Response(200, json=[]))
        assert sotkanet.Client().indicators() == []
        assert sotkanet.Client().indicators() == []
    assert route.call_count == 1  # the second came from the cache
    agent = route.calls[0].request.headers["User-Agent"]
    assert agent.startswith("Yhdyspinta")


def test_the_command_reports_failure_and_keeps_the_figures(indicator):
    before = stored(indicator)
    with respx.mock() as mock:
        mock.get(BASE + "regions").mock(return_value=httpx.Response(503))
        with pytest.raises(CommandError):
            call_command("refresh_sotkanet", "08")
    assert stored(indicator) == before
    with pytest.raises(CommandError, match="No area has the code 77"):
        call_command("refresh_sotkanet", "77")


def test_official_codes_are_padded_as_in_the_classifications():
    municipality = sotkanet.SotkanetRegion(id=1, code="91", category="KUNTA", title={})
    county = sotkanet.SotkanetRegion(id=2, code="8", category="HYVINVOINTIALUE", title={})
    assert sotkanet.official_code(municipality) == "091"
    assert sotkanet.official_code(county) == "08"
    regions = [municipality, county]
    assert sotkanet.region_id_of(area("08"), regions) == 2
    assert sotkanet.region_id_of(area("03"), regions) is None


def test_no_sotkanet_indicators_means_no_requests(area_coordinator):
    with respx.mock() as mock:
        assert services.refresh_from_sotkanet(area=area("08")) == services.Refreshed(0, 0)
    assert not mock.calls
    assert not Measurement.objects.exists()


# --- Recorded real responses (tests/data/sotkanet, sources in its SOURCES.md) -----------------

RECORDED = Path(__file__).parent / "data" / "sotkanet"


def recorded(name: str) -> httpx.Response:
    return httpx.Response(200, content=(RECORDED / name).read_bytes())


def test_recorded_regions_are_parsed_and_mapped_to_official_codes():
    with respx.mock() as mock:
        mock.get(BASE + "regions").mock(return_value=recorded("regions.json"))
        regions = sotkanet.Client().regions()
    by_code = {(r.category, r.code): r for r in regions}
    assert by_code["KUNTA", "091"].title["sv"] == "Helsingfors"
    assert sotkanet.region_id_of(municipality("837"), regions) == 378  # Tampere
    assert sotkanet.region_id_of(municipality("091"), regions) == 46  # Helsinki
    assert sotkanet.region_id_of(municipality("536"), regions) is None  # Nokia not recorded


def test_wellbeing_counties_map_through_their_codes():
    with (RECORDED / "wellbeing_county_regions_rOpenGov.csv").open(encoding="utf-8") as rows:
        regions = [
            sotkanet.SotkanetRegion(
                id=int(row["uusi_id"]), code=row["uusi_code"], category="HYVINVOINTIALUE", title={}
            )
            for row in csv.DictReader(rows)
        ]
    assert sotkanet.region_id_of(area("08"), regions) == 970  # Pirkanmaa
    assert sotkanet.region_id_of(area("90"), regions) == 960  # Helsinki
    assert sotkanet.region_id_of(area("01"), regions) == 961  # Itä-Uusimaa, "1" in the file


def test_recorded_indicator_and_values_are_parsed():
    with respx.mock() as mock:
        mock.get(BASE + "indicators/186").mock(return_value=recorded("indicator_186.json"))
        route = mock.get(BASE + "json").mock(
            return_value=recorded("json_indicator127_2019_2023_total.json")
        )
        info = sotkanet.Client().indicator(186)
        points = sotkanet.Client().data(127, [2019, 2023])
    assert info.id == 186
    assert info.title_in("en") == "Mortality per 100 000 inhabitants"
    tampere = sorted((p.year, p.value) for p in points if p.region == 378)
    assert tampere == [(2019, Decimal("238140")), (2023, Decimal("255050"))]
    sent = route.calls[0].request.url.params
    assert sent.get_list("years") == ["2019", "2023"] and sent["genders"] == "total"


def test_a_refresh_writes_only_the_areas_own_figures(indicator):
    """The recorded values are municipalities'; Pirkanmaa's county (970) has none among them,
    so nothing is written and the typed figure stays."""
    before = stored(indicator)
    # Pirkanmaa's county as Sotkanet numbers it (970, code 08: the rOpenGov table above).
    county = {"id": 970, "code": "08", "category": "HYVINVOINTIALUE", "title": {"fi": "Pirkanmaa"}}
    with respx.mock() as mock:
        mock.get(BASE + "regions").mock(return_value=httpx.Response(200, json=[county]))
        mock.get(BASE + "indicators/127").mock(return_value=recorded("indicator_186.json"))
        mock.get(BASE + "json").mock(
            return_value=recorded("json_indicator127_2019_2023_total.json")
        )
        done = services.refresh_from_sotkanet(area=area("08"), until=2023)
    assert done == services.Refreshed(1, 0)
    assert stored(indicator) == before
