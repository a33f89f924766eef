import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

from conftest import area, municipality

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_3(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)
    assert "/api/v1/organisations/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/organisations/"]["get"]["parameters"]}
    assert {"kind", "area", "region", "q"} <= params


def test_schema_command_validates(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert (tmp_path / "s.yml").read_text().startswith("openapi: 3")


def test_organisations_are_public_and_filterable(client):
    response = client.get("/api/v1/organisations/", {"kind": "municipality", "area": "04"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {o["name_fi"] for o in body["results"]} == {"Vantaa", "Kerava"}
    assert body["results"][0]["area"]["code"] == "04"


def test_filter_by_region_and_search(client):
    body = client.get("/api/v1/organisations/", {"region": "06", "kind": "regional_council"}).json()
    assert [o["name_fi"] for o in body["results"]] == ["Pirkanmaan liitto"]
    body = client.get("/api/v1/organisations/", {"q": "Jakobstad"}).json()
    assert [o["code"] for o in body["results"]] == ["598"]


def test_ended_organisations_only_when_asked(client):
    assert client.get("/api/v1/organisations/", {"q": "Pertunmaa"}).json()["count"] == 0
    body = client.get("/api/v1/organisations/", {"q": "Pertunmaa", "active": "false"}).json()
    assert body["results"][0]["successor"]["code"] == "507"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "castle"}, "kind"),
        ({"area": "99"}, "area"),
        ({"region": "03"}, "region"),  # there is no region 03
        ({"active": "maybe"}, "active"),
    ],
)
def test_invalid_filter_gives_400_with_json_reason(client, params, field):
    response = client.get("/api/v1/organisations/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Invalid input."
    assert body["errors"][0]["field"] == field
    assert body["errors"][0]["reason"]


def test_detail_and_unknown_id(client):
    pk = area("08").pk
    body = client.get(f"/api/v1/organisations/{pk}/").json()
    assert body["name_sv"] == "Birkalands välfärdsområde"
    response = client.get("/api/v1/organisations/999999/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_patch_validates_input_and_reports_the_field(client, tampere_editor):
    client.force_login(tampere_editor)
    pk = municipality("837").pk
    response = client.patch(
        f"/api/v1/organisations/{pk}/", {"website": "nope"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "website"


def test_token_authentication(client, tampere_editor):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=tampere_editor)
    pk = municipality("837").pk
    response = client.get(
        f"/api/v1/organisations/{pk}/people/", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 200
    assert response.json()[0]["email"] == tampere_editor.email
    response = client.get(f"/api/v1/organisations/{pk}/people/", HTTP_AUTHORIZATION="Token bad")
    assert response.status_code == 401


def test_api_docs_page_lists_the_operations(client):
    response = client.get("/api/v1/docs/")
    html = response.content.decode()
    assert "GET /api/v1/organisations/" in html
    assert "PATCH /api/v1/organisations/{id}/" in html
