"""The goals API: same rules and services as the pages; statuses computed, errors in JSON."""

import pytest

from yhdyspinta.goals.models import Goal

pytestmark = pytest.mark.django_db

BODY = {
    "area": "08",
    "title_fi": "Nuorten työllisyys paranee",
    "starts_year": 2025,
    "ends_year": 2028,
    "responsible": ["08", "837"],
    "indicators": [
        {
            "name": "Nuorisotyöttömyys, %",
            "unit": "%",
            "direction": "lower",
            "baseline": {"value": 12.0, "year": 2024},
            "target": {"value": 8.0, "year": 2028},
            "measurements": [{"year": 2025, "value": 11.0}],
            "sotkanet_id": None,
        }
    ],
}


def test_create_read_and_patch(client, area_coordinator):
    client.force_login(area_coordinator)
    response = client.post("/api/v1/goals/", BODY, content_type="application/json")
    assert response.status_code == 201, response.json()
    goal = response.json()
    # Lower is better: 12 -> 8 over four years, the path is 11 in 2025: exactly on track.
    assert goal["indicators"][0]["status"] == "on_track"
    assert goal["status"] == "on_track"
    assert goal["responsible"] == ["08", "837"]
    indicator = goal["indicators"][0]
    indicator["measurements"].append({"year": 2026, "value": 12.5})
    response = client.patch(
        f"/api/v1/goals/{goal['id']}/",
        {"indicators": [indicator]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["indicators"][0]["status"] == "off_track"  # worse than the baseline
    assert client.get("/api/v1/goals/?area=08").json()["results"][0]["id"] == goal["id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target": {"value": 12.0, "year": 2028}}, "target_value"),
        ({"target": {"value": 8.0, "year": 2024}}, "target_year"),
        ({"measurements": [{"year": 2023, "value": 1}]}, "measurements"),
    ],
)
def test_bad_indicators_are_400_and_save_nothing(client, area_coordinator, change, field):
    client.force_login(area_coordinator)
    body = {**BODY, "indicators": [{**BODY["indicators"][0], **change}]}
    response = client.post("/api/v1/goals/", body, content_type="application/json")
    assert response.status_code == 400
    assert field in str(response.json())
    assert not Goal.objects.exists()


def test_who_may_write_and_read(client, tampere_editor, espoo_editor, area_coordinator):
    client.force_login(tampere_editor)
    assert client.post("/api/v1/goals/", BODY, content_type="application/json").status_code == 403
    client.force_login(area_coordinator)
    goal = client.post("/api/v1/goals/", BODY, content_type="application/json").json()
    client.force_login(espoo_editor)
    assert client.get(f"/api/v1/goals/{goal['id']}/").status_code == 403
    assert client.get("/api/v1/goals/").json()["results"] == []
    assert client.get("/api/v1/areas/08/picture/").status_code == 403
    client.logout()
    assert client.get("/api/v1/goals/").status_code in (401, 403)
