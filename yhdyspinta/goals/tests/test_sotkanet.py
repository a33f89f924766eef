"""The Sotkanet client and the refresh: what it sends, and that a failing or reshaped answer
leaves the stored figures as they were. No test reaches the network (respx answers)."""

import httpx
import pytest
import respx
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import area
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
