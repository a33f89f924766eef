"""The permission matrix: every persona against every kind of access, through pages and API.

Rows: who. Columns: read people of Tampere (Pirkanmaa area), change Tampere, change Nokia (same
area), read people of Espoo (another area), add organisations.
"""

import pytest
from django.urls import reverse

from conftest import municipality
from yhdyspinta.accounts import permissions

pytestmark = pytest.mark.django_db

MATRIX = {
    #  persona:          (read Tampere, edit Tampere, edit Nokia, read Espoo, add orgs)
    "platform_admin": (True, True, True, True, True),
    "area_coordinator": (True, False, False, False, True),
    "tampere_editor": (True, True, False, False, False),
    "nokia_member": (True, False, False, False, False),
    "espoo_editor": (False, False, False, True, False),
    "anonymous": (False, False, False, False, False),
}


@pytest.fixture
def persona(request):
    if request.param == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return request.param, AnonymousUser()
    return request.param, request.getfixturevalue(request.param)


@pytest.mark.parametrize("persona", list(MATRIX), indirect=True)
def test_permission_functions(persona):
    name, user = persona
    tampere, nokia, espoo = municipality("837"), municipality("536"), municipality("049")
    actual = (
        permissions.can_read_area_data(user, tampere),
        permissions.can_edit_organisation(user, tampere),
        permissions.can_edit_organisation(user, nokia),
        permissions.can_read_area_data(user, espoo),
        permissions.can_add_organisations(user),
    )
    assert actual == MATRIX[name]


@pytest.mark.parametrize("persona", list(MATRIX), indirect=True)
def test_matrix_holds_on_pages(client, persona, tampere_editor, espoo_editor):
    name, user = persona
    if user.is_authenticated:
        client.force_login(user)
    read_tampere, edit_tampere, edit_nokia, read_espoo, add_orgs = MATRIX[name]
    tampere, nokia, espoo = municipality("837"), municipality("536"), municipality("049")

    page = client.get(reverse("organisations:organisation", args=[tampere.pk])).content.decode()
    assert (tampere_editor.email in page) is read_tampere
    page = client.get(reverse("organisations:organisation", args=[espoo.pk])).content.decode()
    assert (espoo_editor.email in page) is read_espoo

    for organisation, allowed in ((tampere, edit_tampere), (nokia, edit_nokia)):
        response = client.post(
            reverse("organisations:organisation_edit", args=[organisation.pk]),
            {"description_fi": f"by {name}"},
        )
        organisation.refresh_from_db()
        assert (organisation.description_fi == f"by {name}") is allowed
        if not allowed:
            assert response.status_code in (302, 403)
            if response.status_code == 302:
                assert reverse("accounts:login") in response["Location"]

    response = client.get(reverse("organisations:organisation_create"))
    assert (response.status_code == 200) is add_orgs


@pytest.mark.parametrize("persona", list(MATRIX), indirect=True)
def test_matrix_holds_on_the_api(client, persona, tampere_editor, espoo_editor):
    name, user = persona
    if user.is_authenticated:
        client.force_login(user)
    read_tampere, edit_tampere, edit_nokia, read_espoo, _ = MATRIX[name]
    tampere, nokia, espoo = municipality("837"), municipality("536"), municipality("049")

    for organisation, allowed, email in (
        (tampere, read_tampere, tampere_editor.email),
        (espoo, read_espoo, espoo_editor.email),
    ):
        response = client.get(f"/api/v1/organisations/{organisation.pk}/people/")
        if allowed:
            assert response.status_code == 200
            assert email in [p["email"] for p in response.json()]
        else:
            assert response.status_code in (401, 403)
            assert "detail" in response.json()

    for organisation, allowed in ((tampere, edit_tampere), (nokia, edit_nokia)):
        response = client.patch(
            f"/api/v1/organisations/{organisation.pk}/",
            {"description_fi": f"api {name}"},
            content_type="application/json",
        )
        assert (response.status_code == 200) is allowed
        organisation.refresh_from_db()
        assert (organisation.description_fi == f"api {name}") is allowed
