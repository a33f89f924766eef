"""Negotiations, duties, forums, meetings, action items and agreements through the API: the
documented shapes, the same rules as the pages, and bad input as a 400 naming the field."""

from __future__ import annotations

import pytest
import time_machine
from rest_framework.test import APIClient

from conftest import area, municipality
from yhdyspinta.cooperation import services
from yhdyspinta.cooperation.models import ActionItem, Forum, Negotiation
from yhdyspinta.cooperation.tests.factories import at, five_municipality_area, negotiation

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def body(**values) -> dict:
    data = {
        "kind": "section14",
        "area": "08",
        "parties": ["837", "536", "06"],
        "status": "held",
        "starts_at": "2025-11-20T09:00:00+02:00",
        "model": "regional",
        "title_fi": "Tampereen seudun 14 §:n neuvottelu",
    }
    data.update(values)
    return data


def by_code(payload: dict) -> dict[str, dict]:
    return {row["code"]: row for row in payload["municipalities"]}


def test_the_duties_endpoint_at_three_dates(platform_admin):
    """The acceptance path through the API: five municipalities, §14 held with three this
    term, hyte held last year; the statuses before, during and after the periods."""
    test_area, municipalities = five_municipality_area()
    negotiation(test_area, "section14", municipalities[:3], at(2025, 11, 20))
    negotiation(test_area, "hyte", municipalities, at(2025, 10, 15))
    client = api(platform_admin)

    with time_machine.travel(at(2026, 3, 1), tick=False):
        payload = client.get(f"/api/v1/areas/{test_area.code}/duties/").json()
    assert payload["area"] == "98" and payload["on"] == "2026-03-01"
    rows = by_code(payload)
    assert len(rows) == 5
    assert rows["T01"]["section14"] == {
        "period": "2025–2029",
        "status": "met",
        "held_on": "2025-11-20",
        "planned_on": None,
        "due_soon": False,
        "days_left": None,
    }
    assert [rows[c]["section14"]["status"] for c in sorted(rows)] == ["met"] * 3 + ["open"] * 2
    assert {r["hyte"]["status"] for r in rows.values()} == {"open"}
    assert {r["hyte_previous"]["status"] for r in rows.values()} == {"met"}
    assert rows["T01"]["hyte"]["period"] == "2026"

    payload = client.get(f"/api/v1/areas/{test_area.code}/duties/?on=2026-11-15").json()
    assert by_code(payload)["T04"]["hyte"]["due_soon"] is True
    assert by_code(payload)["T04"]["hyte"]["days_left"] == 46

    payload = client.get(f"/api/v1/areas/{test_area.code}/duties/?on=2029-06-15").json()
    rows = by_code(payload)
    assert rows["T01"]["section14"]["status"] is None  # no later term recorded yet
    assert [rows[c]["section14_previous"]["status"] for c in sorted(rows)] == (
        ["met"] * 3 + ["missed"] * 2
    )
    national = client.get("/api/v1/duties/?on=2026-03-01").json()
    row = next(a for a in national["areas"] if a["area"] == "98")
    assert row["section14"] == {"met": 3, "scheduled": 0, "open": 2, "missed": 0}
    assert row["hyte_previous"]["met"] == 5
    assert national["section14_period"] == "2025–2029"
    helsinki = next(a for a in national["areas"] if a["area"] == "90")
    assert helsinki["applies"] is False


def test_a_bad_date_is_a_400_naming_the_field(platform_admin):
    response = api(platform_admin).get("/api/v1/areas/08/duties/?on=31.12.2026")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "on"


def test_the_county_coordinator_records_a_negotiation_by_codes(area_coordinator):
    response = api(area_coordinator).post("/api/v1/negotiations/", body(), format="json")
    assert response.status_code == 201, response.json()
    payload = response.json()
    assert payload["parties"] == ["06", "08", "536", "837"]
    assert payload["convener"]["code"] == "08"
    assert payload["held_on"] == "2025-11-20"
    duties = api(area_coordinator).get("/api/v1/areas/08/duties/?on=2026-01-01").json()
    assert by_code(duties)["837"]["section14"]["status"] == "met"
    assert by_code(duties)["211"]["section14"]["status"] == "open"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"parties": ["049"]}, "parties"),  # Espoo is not in Pirkanmaa
        ({"parties": ["06"]}, "parties"),  # no municipality
        ({"parties": ["999"]}, "parties"),  # no such code
        ({"parties": []}, "parties"),
        ({"ends_at": "2025-11-19T09:00:00+02:00"}, "ends_at"),
        ({"minutes": "<script>alert(1)</script>"}, "minutes"),
        ({"kind": "treaty"}, "kind"),
        ({"title_fi": "x" * 201}, "title_fi"),
    ],
)
def test_bad_negotiations_are_refused_and_nothing_is_saved(area_coordinator, values, field):
    response = api(area_coordinator).post("/api/v1/negotiations/", body(**values), format="json")
    assert response.status_code == 400
    payload = response.json()
    assert payload["detail"] == "Invalid input."
    assert field in {e["field"].split(".")[0] for e in payload["errors"]}, payload
    assert Negotiation.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "list_count", "create", "patch"),
    [
        ("platform_admin", 1, 201, 200),
        ("area_coordinator", 1, 201, 200),
        ("tampere_editor", 1, 403, 403),
        ("nokia_member", 1, 403, 403),
        ("espoo_editor", 0, 403, 404),
    ],
)
def test_the_api_permission_matrix(request, area_coordinator, persona, list_count, create, patch):
    existing = services.create_negotiation(
        actor=area_coordinator,
        area=area("08"),
        parties=[municipality("837")],
        kind="hyte",
        title_fi="Hyte 2026",
        starts_at=at(2026, 10, 1),
    )
    client = api(request.getfixturevalue(persona))
    listed = client.get("/api/v1/negotiations/").json()
    assert listed["count"] == list_count
    assert client.post("/api/v1/negotiations/", body(), format="json").status_code == create
    response = client.patch(
        f"/api/v1/negotiations/{existing.pk}/", {"status": "held"}, format="json"
    )
    # Someone of another area is not told the negotiation exists beyond a refusal.
    assert response.status_code in ({patch} if patch != 404 else {403, 404})
    existing.refresh_from_db()
    assert (existing.status == "held") == (patch == 200)
    duties = client.get("/api/v1/areas/08/duties/")
    assert duties.status_code == (403 if persona == "espoo_editor" else 200)


def test_anonymous_callers_see_public_forums_only(area_coordinator):
    services.create_forum(
        actor=area_coordinator,
        name_fi="Alueen oma foorumi",
        level="management",
        area=area("08"),
        convener=area("08"),
    )
    forums = api().get("/api/v1/forums/").json()["results"]
    keys = {f["key"] for f in forums}
    assert keys == {"kuntaliitto-yhdyspintafoorumit-2023", "vm-yhteistyoryhma-2026"}
    assert all(f["calendar_url"] is None for f in forums)
    assert api().get("/api/v1/negotiations/").status_code == 401
    assert api().get("/api/v1/duties/").status_code == 401
    signed_in = api(area_coordinator).get("/api/v1/forums/").json()["results"]
    own = next(f for f in signed_in if f["name_fi"] == "Alueen oma foorumi")
    assert "/calendar/" in own["calendar_url"] and own["calendar_url"].endswith(".ics")
    meetings = (
        api()
        .get(
            f"/api/v1/meetings/?forum={Forum.objects.get(key='kuntaliitto-yhdyspintafoorumit-2023').pk}"
        )
        .json()
    )
    assert meetings["count"] == 5


def test_a_meeting_moved_through_the_api_keeps_its_uid(area_coordinator):
    forum = services.create_forum(
        actor=area_coordinator,
        name_fi="Johdon foorumi",
        level="management",
        area=area("08"),
        convener=area("08"),
    )
    client = api(area_coordinator)
    created = client.post(
        "/api/v1/meetings/",
        {
            "forum": forum.pk,
            "title_fi": "Kokous",
            "starts_at": "2027-03-05T09:00:00+02:00",
            "ends_at": "2027-03-05T11:00:00+02:00",
        },
        format="json",
    ).json()
    moved = client.patch(
        f"/api/v1/meetings/{created['id']}/",
        {"starts_at": "2027-03-12T09:00:00+02:00", "ends_at": "2027-03-12T11:00:00+02:00"},
        format="json",
    ).json()
    assert moved["uid"] == created["uid"] and moved["sequence"] == 1
    cancelled = client.patch(
        f"/api/v1/meetings/{created['id']}/", {"status": "cancelled"}, format="json"
    ).json()
    assert cancelled["status"] == "cancelled" and cancelled["sequence"] == 2
    bad = client.post(
        "/api/v1/meetings/",
        {"forum": forum.pk, "starts_at": "2027-03-05T11:00:00Z", "ends_at": "2027-03-05T09:00Z"},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "ends_at"
    # A year no calendar can write (Helsinki kept local mean time before 1921) is refused.
    ancient = client.patch(
        f"/api/v1/meetings/{created['id']}/", {"starts_at": "1091-05-05T17:07:35Z"}, format="json"
    )
    assert ancient.status_code == 400
    assert ancient.json()["errors"][0]["field"] == "starts_at"


def test_actions_filter_by_organisation_status_and_overdue(area_coordinator, tampere_editor):
    parent = services.create_negotiation(
        actor=area_coordinator,
        area=area("08"),
        parties=[municipality("837")],
        kind="section14",
        title_fi="14 §",
        starts_at=at(2026, 3, 1),
    )
    client = api(area_coordinator)
    created = client.post(
        "/api/v1/actions/",
        {
            "negotiation": parent.pk,
            "title": "Palveluverkon tiedot",
            "owner_organisation": municipality("837").pk,
            "due_on": "2026-04-01",
        },
        format="json",
    )
    assert created.status_code == 201
    assert (
        client.post(
            "/api/v1/actions/", {"title": "Ei lähdettä", "owner_organisation": 1}, format="json"
        ).status_code
        == 400
    )
    with time_machine.travel(at(2026, 5, 1), tick=False):
        overdue = api(tampere_editor).get("/api/v1/actions/?overdue=true").json()
        assert [a["title"] for a in overdue["results"]] == ["Palveluverkon tiedot"]
        assert overdue["results"][0]["overdue"] is True
    action_id = created.json()["id"]
    done = api(tampere_editor).patch(
        f"/api/v1/actions/{action_id}/", {"status": "done", "comment": "Toimitettu."}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert ActionItem.objects.get().comments.get().text == "Toimitettu."
    open_ = (
        api(tampere_editor)
        .get(f"/api/v1/actions/?status=open&organisation={municipality('837').pk}")
        .json()
    )
    assert open_["count"] == 0


def test_agreements_of_the_area(area_coordinator, espoo_editor):
    created = api(area_coordinator).post(
        "/api/v1/agreements/",
        {"area": "08", "title_fi": "Yhteistyösopimus", "status": "in_preparation"},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["parties"][0]["organisation"]["code"] == "08"
    assert api(espoo_editor).get("/api/v1/agreements/").json()["count"] == 0
    assert (
        api(espoo_editor)
        .post("/api/v1/agreements/", {"area": "08", "title_fi": "x"}, format="json")
        .status_code
        == 403
    )


def test_forums_and_agreements_are_changed_by_their_keepers_only(area_coordinator, tampere_editor):
    forum = services.create_forum(
        actor=area_coordinator,
        name_fi="Johdon foorumi",
        level="management",
        area=area("08"),
        convener=area("08"),
    )
    client = api(area_coordinator)
    response = client.patch(
        f"/api/v1/forums/{forum.pk}/",
        {"is_standing": False, "ends_on": "2027-12-31", "name_sv": "Ledningens forum"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["ends_on"] == "2027-12-31"
    assert response.json()["name_sv"] == "Ledningens forum"
    bad = client.patch(f"/api/v1/forums/{forum.pk}/", {"ends_on": None}, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "ends_on"
    denied = api(tampere_editor).patch(
        f"/api/v1/forums/{forum.pk}/", {"name_fi": "Toinen"}, format="json"
    )
    assert denied.status_code == 403
    forum.refresh_from_db()
    assert forum.name_fi == "Johdon foorumi"

    agreement = client.post(
        "/api/v1/agreements/", {"area": "08", "title_fi": "Sopimus"}, format="json"
    ).json()
    changed = client.patch(
        f"/api/v1/agreements/{agreement['id']}/",
        {"status": "approved", "starts_on": "2027-01-01", "ends_on": "2029-05-31"},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["status"] == "approved"
    reversed_ = client.patch(
        f"/api/v1/agreements/{agreement['id']}/", {"ends_on": "2026-01-01"}, format="json"
    )
    assert reversed_.status_code == 400
    assert (
        api(tampere_editor)
        .patch(f"/api/v1/agreements/{agreement['id']}/", {"status": "expired"}, format="json")
        .status_code
        == 403
    )
