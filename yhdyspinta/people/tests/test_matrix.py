"""Who may manage whose people, on the pages and in the API, for every persona.

Pirkanmaa (08) is the coordinator's area; Tampere (837) and Nokia (536) are in it; Espoo (049)
is in another area. Each cell says what the persona gets; nothing changes on a refusal.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from conftest import area, make_person, municipality
from yhdyspinta.accounts.models import Invitation, Membership

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "platform_admin",
    "area_coordinator",
    "tampere_editor",
    "nokia_member",
    "espoo_editor",
    "other_coordinator",
]

# May the persona open the people page / invite to the organisation?
MANAGES = {
    "837": {"platform_admin", "area_coordinator", "tampere_editor"},
    "08": {"platform_admin", "area_coordinator"},
    "049": {"platform_admin", "espoo_editor", "other_coordinator"},
}


@pytest.fixture
def personas(request, db):
    people = {"anonymous": None}
    for name in PERSONAS[1:-1]:
        people[name] = request.getfixturevalue(name)
    # A coordinator of another area (Länsi-Uusimaa, where Espoo is).
    people["other_coordinator"] = make_person(
        "coordinator@lansi-uusimaa.example.org",
        municipality("049").area,
        role="area_coordinator",
        position="county_leadership",
    )
    return people


def client_for(user, api=False):
    client = APIClient() if api else __import__("django.test", fromlist=["Client"]).Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("code", ["837", "08", "049"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_people_page(personas, persona, code):
    organisation = municipality(code) if len(code) == 3 else area(code)
    response = client_for(personas[persona]).get(f"/organisations/{organisation.pk}/people/")
    if persona == "anonymous":
        assert response.status_code == 302
    elif persona in MANAGES[code]:
        assert response.status_code == 200
        assert 'name="email"' in response.content.decode()
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("code", ["837", "049"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_inviting_on_the_page_and_in_the_api(personas, persona, code):
    organisation = municipality(code)
    values = {
        "email": f"{persona}@kutsu.example",
        "position": "official",
        "role": "member",
        "name": "",
        "language": "fi",
    }
    page = client_for(personas[persona]).post(f"/organisations/{organisation.pk}/people/", values)
    api = client_for(personas[persona], api=True).post(
        f"/api/v1/organisations/{organisation.pk}/invitations/",
        {**values, "email": f"api-{persona}@kutsu.example"},
        format="json",
    )
    invited = set(Invitation.objects.values_list("email", flat=True))
    if persona in MANAGES[code]:
        assert page.status_code == 302
        assert api.status_code == 201
        assert api.json()["status"] == "pending"
        assert invited == {values["email"], f"api-{persona}@kutsu.example"}
    else:
        assert page.status_code in (302, 403) if persona == "anonymous" else page.status_code == 403
        assert api.status_code in (401, 403)
        assert "detail" in api.json() or "errors" in api.json()
        assert invited == set()


@pytest.mark.parametrize("persona", ["platform_admin", "area_coordinator", "tampere_editor"])
def test_only_a_coordinator_or_staff_grant_coordinator(personas, persona):
    tampere = municipality("837")
    values = {
        "email": "uusi@kutsu.example",
        "position": "official",
        "role": "area_coordinator",
        "language": "fi",
    }
    page = client_for(personas[persona]).post(f"/organisations/{tampere.pk}/people/", values)
    api = client_for(personas[persona], api=True).post(
        f"/api/v1/organisations/{tampere.pk}/people/",
        {**values, "email": "api@kutsu.example"},
        format="json",
    )
    if persona == "tampere_editor":
        # The choice is not offered, and a forged one is refused.
        assert page.status_code == 400
        assert api.status_code == 403
        assert (
            "area_coordinator"
            not in page.content.decode().split('name="role"')[1].split("</select>")[0]
        )
        assert not Invitation.objects.exists()
    else:
        assert page.status_code == 302
        assert api.status_code == 201
        assert Invitation.objects.filter(role="area_coordinator").count() == 2


def test_an_editor_cannot_change_a_coordinator_nor_raise_anyone_to_coordinator(personas):
    tampere = municipality("837")
    editor = personas["tampere_editor"]
    boss = make_person(
        "johtaja@tampere.example.org", tampere, role="area_coordinator", position="manager"
    )
    colleague = make_person("kollega@tampere.example.org", tampere, role="member")
    client = client_for(editor)
    api = client_for(editor, api=True)
    boss_membership = Membership.objects.get(user=boss)
    assert client.get(f"/people/memberships/{boss_membership.pk}/").status_code == 403
    response = api.patch(
        f"/api/v1/organisations/{tampere.pk}/people/{boss_membership.pk}/",
        {"role": "member"},
        format="json",
    )
    assert response.status_code == 403
    colleague_membership = Membership.objects.get(user=colleague)
    response = client.post(
        f"/people/memberships/{colleague_membership.pk}/",
        {"role": "area_coordinator", "position": "official"},
    )
    assert response.status_code == 400
    response = api.patch(
        f"/api/v1/organisations/{tampere.pk}/people/{colleague_membership.pk}/",
        {"role": "area_coordinator"},
        format="json",
    )
    assert response.status_code == 403
    boss_membership.refresh_from_db()
    colleague_membership.refresh_from_db()
    assert (boss_membership.role, colleague_membership.role) == ("area_coordinator", "member")
    # Within the limits it works.
    response = api.patch(
        f"/api/v1/organisations/{tampere.pk}/people/{colleague_membership.pk}/",
        {"role": "editor"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["role"] == "editor"


def test_nobody_raises_their_own_role(personas):
    # A Tampere editor who is also Pirkanmaa's coordinator may give coordinator in Tampere,
    # but not to themself.
    editor = personas["tampere_editor"]
    Membership.objects.create(
        user=editor, organisation=area("08"), role="area_coordinator", position="county_leadership"
    )
    own = Membership.objects.get(user=editor, organisation=municipality("837"))
    response = client_for(editor, api=True).patch(
        f"/api/v1/organisations/{own.organisation_id}/people/{own.pk}/",
        {"role": "area_coordinator"},
        format="json",
    )
    assert response.status_code == 403
    assert "oma" in response.json()["detail"] or "own" in response.json()["detail"]
    own.refresh_from_db()
    assert own.role == "editor"


@pytest.mark.parametrize("persona", PERSONAS)
def test_ending_a_membership_of_tampere(personas, persona):
    tampere = municipality("837")
    colleague = make_person("kollega@tampere.example.org", tampere, role="member")
    membership = Membership.objects.get(user=colleague)
    page = client_for(personas[persona]).post(
        f"/people/memberships/{membership.pk}/end/", {"has_left": "0"}
    )
    if persona in MANAGES["837"]:
        assert page.status_code == 200
        assert not Membership.objects.filter(pk=membership.pk).exists()
    else:
        assert page.status_code == 302 if persona == "anonymous" else page.status_code == 403
        assert Membership.objects.filter(pk=membership.pk).exists()
        response = client_for(personas[persona], api=True).delete(
            f"/api/v1/organisations/{tampere.pk}/people/{membership.pk}/"
        )
        assert response.status_code in (401, 403)
        assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_reading_invitations_in_the_api(personas, persona):
    tampere = municipality("837")
    response = client_for(personas[persona], api=True).get(
        f"/api/v1/organisations/{tampere.pk}/invitations/"
    )
    assert response.status_code == (
        200 if persona in MANAGES["837"] else 401 if persona == "anonymous" else 403
    )
