"""Input that used to give a server error gets a 4xx with a JSON body (or, for pages, a page
that says what is wrong). Run on PostgreSQL too, which refuses a NUL character in text."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from conftest import municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


@pytest.fixture
def staff(platform_admin):
    api = APIClient()
    api.force_authenticate(platform_admin)
    return api


def assert_json_error(response, status):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    return body


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organisations/?area=%00",
        "/api/v1/organisations/?q=%00",
        "/api/v1/organisations/?kind=%00",
        "/api/v1/organisations/%00/",
        "/api/v1/areas/%00/responsibilities/",
    ],
)
def test_a_nul_character_is_a_400(staff, url):
    assert_json_error(staff.get(url), 400)


def test_a_nul_character_on_a_page_is_a_400_page(client, platform_admin):
    client.force_login(platform_admin)
    for url in ("/organisations/?area=%00", "/areas/%00/responsibilities/"):
        response = client.get(url)
        assert response.status_code == 400
        assert "merkin, jota ei voi käyttää" in response.content.decode()


def test_a_nul_character_in_a_form_is_a_400(client, platform_admin):
    client.force_login(platform_admin)
    response = client.post("/contacts/", {"q": "a\x00b"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query", ["limit=99999999999999999999999", "offset=99999999999999999999999"]
)
def test_huge_limits_and_offsets_give_a_page(staff, query):
    response = staff.get(f"/api/v1/organisations/?{query}")
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 1000


@pytest.mark.parametrize("query", ["limit=-1", "offset=null", "limit=1.5", "offset=%D9%A3"])
def test_a_limit_or_offset_that_is_not_a_whole_number_is_a_400(staff, query):
    body = assert_json_error(staff.get(f"/api/v1/organisations/?{query}"), 400)
    assert body["errors"][0]["field"] in ("limit", "offset")


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/waves/abc/responses/"),
        ("get", "/api/v1/waves/abc/"),
        ("get", "/api/v1/surveys/abc/"),
        ("patch", "/api/v1/organisations/abc/"),
        ("get", "/api/v1/organisations/abc/people/"),
        ("get", "/api/v1/organisations/15090653794581950464/people/"),
        ("patch", "/api/v1/organisations/1/people/15090653794581950464/"),
        ("get", "/api/v1/organisations/15090653794581950464/invitations/"),
        ("get", "/api/v1/no-such-thing/"),
    ],
)
def test_a_non_integer_id_is_a_json_404(staff, method, url):
    assert_json_error(getattr(staff, method)(url), 404)


def test_a_too_long_website_is_a_400_naming_the_field(staff):
    tampere = municipality("837")
    response = staff.patch(
        f"/api/v1/organisations/{tampere.pk}/",
        {"website": "https://example.org/" + "a" * 200},
        format="json",
    )
    body = assert_json_error(response, 400)
    assert [e["field"] for e in body["errors"]] == ["website"]
    tampere.refresh_from_db()
    assert tampere.website != "https://example.org/" + "a" * 200


def test_an_unexpected_error_in_the_api_is_json(staff, monkeypatch, caplog):
    from yhdyspinta.api import views

    def broken(*args, **kwargs):
        raise RuntimeError("a defect")

    monkeypatch.setattr(views.OrganisationViewSet, "filter_queryset", broken)
    response = staff.get("/api/v1/organisations/")
    body = assert_json_error(response, 500)
    assert "defect" not in body["detail"]  # no internals to the caller
    assert "a defect" in caplog.text  # but in the log, with its traceback


def test_connections_are_checked_before_reuse(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
