"""The survey API: staff reads, submission by token with the form's checks, the raw export."""

import csv
import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from conftest import municipality
from yhdyspinta.surveys import services
from yhdyspinta.surveys.models import Response

from .conftest import invite

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def submit(api, token, answers):
    return api.post("/api/v1/answers/", {"token": token, "answers": answers}, format="json")


def test_submission_by_token(api, open_wave):
    _, token = invite(open_wave, municipality("837"), email="a@example.org")
    answers = {
        "position": "chair",
        "headline_rating": 4,
        "regular_meetings": "cant_say",
        "challenging_interfaces": ["housing", "other"],
        "challenging_interfaces.other": "Vammaispalvelut",
    }
    response = submit(api, token, answers)
    assert response.status_code == 201, response.json()
    assert set(response.json()) == {"status", "submitted_on"}  # no response id comes back
    stored = Response.objects.get()
    assert stored.answers.get(question__key="headline_rating").scale_value == 4
    again = submit(api, token, answers)
    assert again.status_code == 409 and again.json()["code"] == "already_answered"
    assert Response.objects.count() == 1


def test_submission_errors_name_the_field(api, open_wave):
    _, token = invite(open_wave, municipality("837"), email="a@example.org")
    response = submit(
        api, token, {"position": "chair", "headline_rating": 6, "no_such_key": 1, "what_works": 5}
    )
    assert response.status_code == 400
    body = response.json()
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"answers.headline_rating", "answers.no_such_key", "answers.what_works"}
    assert all(e["reason"] for e in body["errors"])
    assert not Response.objects.exists()
    assert submit(api, "1-nope", {}).status_code == 404
    missing = api.post("/api/v1/answers/", {"answers": {}}, format="json")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "token"


def test_submission_in_swedish(api, open_wave):
    _, token = invite(open_wave, municipality("837"), email="a@example.org")
    response = api.post(
        "/api/v1/answers/",
        {"token": token, "answers": {"position": "chair", "headline_rating": 9}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert response.status_code == 400
    reason = response.json()["errors"][0]["reason"]
    assert reason != "Choose a value from 1 to 5."  # translated


def test_staff_only_endpoints(api, open_wave, platform_admin, area_coordinator):
    for url in (
        "/api/v1/surveys/",
        f"/api/v1/surveys/{open_wave.survey.pk}/",
        "/api/v1/waves/",
        f"/api/v1/waves/{open_wave.pk}/responses/",
    ):
        assert api.get(url).status_code == 401
        api.force_authenticate(area_coordinator)
        assert api.get(url).status_code == 403
        api.force_authenticate(platform_admin)
        assert api.get(url).status_code == 200
        api.force_authenticate(None)
    api.force_authenticate(platform_admin)
    detail = api.get(f"/api/v1/surveys/{open_wave.survey.pk}/").json()
    keys = [q["key"] for s in detail["definition"]["sections"] for q in s["questions"]]
    assert "realisation" in keys
    waves = api.get("/api/v1/waves/").json()["results"]
    assert waves[0]["invited"] == 0 and waves[0]["is_open"] is True


def test_raw_export_csv_and_xlsx(api, open_wave, platform_admin):
    _, first = invite(open_wave, municipality("837"), email="a@example.org")
    _, second = invite(open_wave, municipality("091"), email="b@example.org")
    services.submit_response(
        token=first,
        answers={
            "position": "chair",
            "headline_rating": "4",
            "regular_meetings": "cant_say",
            "what_works": '=HYPERLINK("http://evil.example")',
            "challenging_interfaces": ["housing", "employment"],
        },
    )
    services.submit_response(token=second, answers={"position": "manager"})
    api.force_authenticate(platform_admin)

    response = api.get(f"/api/v1/waves/{open_wave.pk}/responses/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0])[:4] == ["response_id", "organisation_code", "area_code", "position"]
    tampere, helsinki = rows
    assert tampere["organisation_code"] == "837" and tampere["area_code"] == "08"
    assert helsinki["organisation_code"] == "091" and helsinki["area_code"] == "90"
    assert tampere["headline_rating"] == "4"
    assert tampere["regular_meetings"] == "cant_say"
    assert helsinki["regular_meetings"] == ""
    assert tampere["challenging_interfaces"] == "housing;employment"
    assert tampere["what_works"].startswith("'=")  # formula neutralised
    assert "position" not in list(rows[0])[4:]

    response = api.get(f"/api/v1/waves/{open_wave.pk}/responses/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["headline_rating"] == 4  # a number, not text
    assert row["what_works"].startswith("'=")

    data = api.get(f"/api/v1/waves/{open_wave.pk}/responses/").json()
    assert data["columns"] == header and len(data["rows"]) == 2
