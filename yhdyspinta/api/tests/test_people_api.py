"""People and invitations in the API: the same rules and messages as the pages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from conftest import municipality
from yhdyspinta.accounts.models import Invitation, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(tampere_editor):
    client = APIClient()
    client.force_authenticate(tampere_editor)
    return client


def test_people_list_and_invite(api, tampere_editor):
    tampere = municipality("837")
    people = api.get(f"/api/v1/organisations/{tampere.pk}/people/")
    assert people.status_code == 200
    assert people.json()[0]["id"] == Membership.objects.get(user=tampere_editor).pk
    response = api.post(
        f"/api/v1/organisations/{tampere.pk}/people/",
        {"email": "Uusi@Tampere.example", "position": "official", "language": "sv"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "uusi@tampere.example"
    assert body["role"] == "member"
    assert body["status"] == "pending"
    listed = api.get(f"/api/v1/organisations/{tampere.pk}/invitations/").json()
    assert [i["email"] for i in listed] == ["uusi@tampere.example"]
    assert "token" not in str(listed)


def test_bad_input_names_the_field_and_changes_nothing(api, tampere_editor):
    tampere = municipality("837")
    response = api.post(
        f"/api/v1/organisations/{tampere.pk}/invitations/",
        {"email": "uusi@tampere.example", "position": "boss"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "position"
    response = api.post(
        f"/api/v1/organisations/{tampere.pk}/invitations/",
        {"email": tampere_editor.email, "position": "official"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "email"
    assert not Invitation.objects.exists()


def test_revoking_and_ending(api, tampere_editor):
    from conftest import make_person

    tampere = municipality("837")
    invitation = api.post(
        f"/api/v1/organisations/{tampere.pk}/invitations/",
        {"email": "uusi@tampere.example", "position": "official"},
        format="json",
    ).json()
    response = api.delete(f"/api/v1/organisations/{tampere.pk}/invitations/{invitation['id']}/")
    assert response.status_code == 204
    assert Invitation.objects.get().status == Invitation.Status.REVOKED
    colleague = make_person("kollega@tampere.example.org", tampere)
    membership = Membership.objects.get(user=colleague)
    response = api.delete(
        f"/api/v1/organisations/{tampere.pk}/people/{membership.pk}/?has_left=true"
    )
    assert response.status_code == 200
    assert response.json()["account_closed"] is True
    colleague.refresh_from_db()
    assert not colleague.is_active
    # Another organisation's membership is not found under this organisation.
    response = api.delete(f"/api/v1/organisations/{municipality('536').pk}/people/{membership.pk}/")
    assert response.status_code == 404


def test_the_schema_documents_the_endpoints(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/organisations/{id}/people/"])
    assert {"get", "post"} <= set(paths["/api/v1/organisations/{id}/invitations/"])
    assert {"patch", "delete"} <= set(paths["/api/v1/organisations/{id}/people/{membership_id}/"])
    assert "delete" in paths["/api/v1/organisations/{id}/invitations/{invitation_id}/"]
