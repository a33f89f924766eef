"""The one access layer: fetch-and-authorise helpers and the staff guards, used by every app."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation

from conftest import area, municipality
from yhdyspinta.accounts import access
from yhdyspinta.organisations import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def test_an_area_is_read_by_its_people_and_by_staff(tampere_editor, espoo_editor, platform_admin):
    assert access.get_area_for_user(tampere_editor, "08") == area("08")
    assert access.get_area_for_user(platform_admin, "08") == area("08")
    with pytest.raises(PermissionDenied, match="people of the area"):
        access.get_area_for_user(espoo_editor, "08")


def test_managing_an_area_needs_its_coordinator(tampere_editor, area_coordinator, platform_admin):
    coordinated = next(iter(area_coordinator.memberships.all())).organisation
    code = (coordinated if coordinated.is_area else coordinated.area).code
    assert access.get_area_for_user(area_coordinator, code, manage=True).code == code
    with pytest.raises(PermissionDenied, match="coordinators"):
        access.get_area_for_user(tampere_editor, "08", manage=True)


@pytest.mark.parametrize("code", ["99", "abc", "837"])
def test_no_such_area_is_a_404_that_names_the_code(platform_admin, code):
    with pytest.raises(Http404, match=code):
        access.get_area_for_user(platform_admin, code)


def test_an_organisation_is_changed_by_its_own_editors_only(tampere_editor, espoo_editor):
    tampere = municipality("837")
    assert access.get_organisation_for_user(tampere_editor, tampere.pk, edit=True) == tampere
    with pytest.raises(PermissionDenied, match="editors"):
        access.get_organisation_for_user(espoo_editor, tampere.pk, edit=True)
    with pytest.raises(Http404):
        access.get_organisation_for_user(tampere_editor, "x1")


def test_the_registry_service_refuses_with_permission_denied_not_a_500(espoo_editor):
    """It raised the built-in PermissionError, a server error wherever a view forgot to check."""
    with pytest.raises(PermissionDenied):
        services.update_organisation_details(
            actor=espoo_editor, organisation=municipality("837"), values={"website": ""}
        )


def test_staff_only_pages_refuse_others_with_a_message(tampere_editor, platform_admin):
    @access.staff_only
    def view(request):
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = tampere_editor
    with pytest.raises(PermissionDenied, match="staff"):
        view(request)
    request.user = platform_admin
    assert view(request).content == b"ok"


def test_a_refusal_page_says_why(client, espoo_editor):
    client.force_login(espoo_editor)
    response = client.get("/en/areas/08/responsibilities/")
    assert response.status_code == 403
    assert "shown to the people of the area" in response.content.decode()


def test_no_app_keeps_its_own_copy_of_the_guards():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path.parent.name == "accounts":
            continue
        text = path.read_text()
        for definition in ("def staff_only", "class IsPlatformAdmin", "def area_for_user"):
            assert definition not in text, f"{definition} in {path.relative_to(root)}"
        assert "raise PermissionError" not in text, path
