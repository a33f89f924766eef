"""The division of work in the API: themes, an area's table, and who may change which column.

Columns of the Pirkanmaa table (area 08) used here: the county itself, Tampere (837), Nokia (536).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from conftest import area, municipality
from yhdyspinta.accounts.models import Membership
from yhdyspinta.core.models import AuditEntry
from yhdyspinta.responsibilities import selectors, services
from yhdyspinta.responsibilities.models import Contact, Responsibility, Theme

pytestmark = pytest.mark.django_db

COLUMNS = ("08", "837", "536")
# Who may change which column of the Pirkanmaa table.
MAY_EDIT = {
    "platform_admin": {"08", "837", "536"},
    "area_coordinator": {"08"},  # the county's coordinator: the county's column only
    "tampere_editor": {"837"},
    "nokia_member": set(),
    "espoo_editor": set(),
    "anonymous": set(),
}
NATIONAL_MAIN_THEMES = {
    "strategic_management",
    "service_network_land_use",
    "health_wellbeing_promotion",
    "housing",
    "children_youth_families",
    "employment",
    "student_welfare",
    "preparedness_security",
    "older_people",
    "immigration_integration",
}
URL = "/api/v1/areas/08/responsibilities/"


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """The throttles count in the cache; user ids repeat after each rollback."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def persona(request):
    if request.param == "anonymous":
        return request.param, AnonymousUser()
    return request.param, request.getfixturevalue(request.param)


def party(code: str):
    return area(code) if code == "08" else municipality(code)


def theme(key: str) -> Theme:
    return Theme.objects.get(area__isnull=True, key=key)


def make_entry(actor, column: str, key: str = "student_welfare", **values) -> Responsibility:
    person = values.pop("person", {})
    return services.save_entry(
        actor=actor,
        area=area("08"),
        values={
            "theme": theme(key),
            "party": party(column),
            "role": values.pop("role", Responsibility.Role.RESPONSIBLE),
            "mandate": values.pop("mandate", ""),
            "valid_from": values.pop("valid_from", timezone.localdate()),
            "valid_until": values.pop("valid_until", None),
        },
        contact_values={
            "first_name": "Pia",
            "last_name": f"Person{column}",
            "title": "kuraattori",
            "unit": "opiskeluhuolto",
            "email": f"pia.{column}@example.org",
            "phone": "+358 40 123 4567",
            **person,
        },
    )


def login(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


def new_entry_body(column: str, **changes) -> dict:
    return {
        "theme": "student_welfare",
        "party": party(column).pk,
        "role": "responsible",
        "person": {
            "first_name": "Outi",
            "last_name": "Opiskeluhuolto",
            "title": "koulukuraattori",
            "unit": "",
            "email": "outi@example.org",
            "phone": "",
        },
        "mandate": "Sopii koulukuraattorien työnjaosta.",
        **changes,
    }


def error_fields(response) -> list[str]:
    body = response.json()
    assert body["detail"] == "Invalid input."
    assert all(e["reason"] for e in body["errors"])
    return [e["field"] for e in body["errors"]]


# --- Themes --------------------------------------------------------------------------------


def test_themes_are_public_with_names_and_keywords_in_three_languages(client):
    response = client.get("/api/v1/themes/")
    assert response.status_code == 200
    themes = response.json()
    main = [t for t in themes if t["parent"] is None]
    assert {t["key"] for t in main} == NATIONAL_MAIN_THEMES
    assert len(themes) == Theme.objects.filter(area__isnull=True, is_active=True).count() > 10
    welfare = next(t for t in themes if t["key"] == "student_welfare")
    assert set(welfare) == {"id", "key", "name", "keywords", "parent", "area", "order"}
    stored = theme("student_welfare")
    assert welfare["name"] == {"fi": "Opiskeluhuolto", "sv": stored.name_sv, "en": stored.name_en}
    assert all(t["name"][lang] for t in themes for lang in ("fi", "sv", "en"))
    assert all(isinstance(welfare["keywords"][lang], list) for lang in ("fi", "sv", "en"))
    assert welfare["keywords"]["fi"] and "," not in "".join(welfare["keywords"]["fi"])
    assert welfare["area"] is None
    assert_main_themes_followed_by_their_subthemes(themes)


def assert_main_themes_followed_by_their_subthemes(themes: list[dict]) -> None:
    main = None
    for item in themes:
        if item["parent"] is None:
            main = item["id"]
        else:
            assert item["parent"] == main, item


def test_themes_of_an_area_add_its_own_and_only_its_own(client, area_coordinator, espoo_editor):
    welfare = theme("student_welfare")
    own = services.add_theme(
        actor=area_coordinator,
        area=area("08"),
        names={"fi": "Vammaispalvelut", "sv": "Handikappservice", "en": "Disability services"},
        keywords={"fi": "vammaisuus, apuvälineet", "sv": "", "en": ""},
    )
    own_sub = services.add_theme(
        actor=area_coordinator,
        area=area("08"),
        names={"fi": "Koulupsykologit Pirkanmaalla"},
        parent=welfare,
    )
    other_area = municipality("049").area
    Membership.objects.create(
        user=espoo_editor, organisation=other_area, role=Membership.Role.AREA_COORDINATOR
    )
    foreign = services.add_theme(actor=espoo_editor, area=other_area, names={"fi": "Muu alue"})

    national = client.get("/api/v1/themes/").json()
    assert {own.pk, own_sub.pk, foreign.pk}.isdisjoint(t["id"] for t in national)

    themes = client.get("/api/v1/themes/", {"area": "08"}).json()
    ids = [t["id"] for t in themes]
    assert foreign.pk not in ids
    assert ids == [t.pk for t in selectors.themes(area("08"))]
    assert_main_themes_followed_by_their_subthemes(themes)
    mine = next(t for t in themes if t["id"] == own.pk)
    assert mine["area"] == "08"
    assert mine["name"] == {
        "fi": "Vammaispalvelut",
        "sv": "Handikappservice",
        "en": "Disability services",
    }
    assert mine["keywords"] == {"fi": ["vammaisuus", "apuvälineet"], "sv": [], "en": []}
    assert next(t for t in themes if t["id"] == own_sub.pk)["parent"] == welfare.pk


def test_themes_of_an_unknown_area_is_404_json(client):
    response = client.get("/api/v1/themes/", {"area": "99"})
    assert response.status_code == 404
    body = response.json()
    assert "99" in body["detail"]
    assert body["errors"] == []


# --- Reading an area's table ---------------------------------------------------------------


def test_a_member_of_the_area_reads_the_table(client, platform_admin, nokia_member):
    entry = make_entry(platform_admin, "837", mandate="Sopii työnjaosta.")
    response = login(client, nokia_member).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["area"]["code"] == "08"
    assert body["parties"][0] == {
        "id": area("08").pk,
        "kind": "wellbeing_county",
        "code": "08",
        "name": area("08").name,
    }
    assert {"837", "536"} <= {p["code"] for p in body["parties"]}
    assert body["entries"] == [
        {
            "id": entry.pk,
            "theme": {"id": theme("student_welfare").pk, "key": "student_welfare"},
            "party": municipality("837").pk,
            "role": "responsible",
            "status": "current",
            "person": {
                "first_name": "Pia",
                "last_name": "Person837",
                "title": "kuraattori",
                "unit": "opiskeluhuolto",
                "email": "pia.837@example.org",
                "phone": "+358 40 123 4567",
            },
            "mandate": "Sopii työnjaosta.",
            "valid_from": timezone.localdate().isoformat(),
            "valid_until": None,
            "confirmed_at": body["entries"][0]["confirmed_at"],
        }
    ]
    assert body["entries"][0]["confirmed_at"]


def test_reading_needs_sign_in_and_membership_of_the_area(client, espoo_editor, nokia_member):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["errors"] == []
    assert response.headers["WWW-Authenticate"].startswith("Token")

    response = login(client, espoo_editor).get(URL)
    assert response.status_code == 403
    assert response.json()["detail"]
    assert response.json()["errors"] == []

    response = login(client, nokia_member).get("/api/v1/areas/99/responsibilities/")
    assert response.status_code == 404
    assert response.json()["errors"] == []


def test_token_authentication_reads_the_table(client, nokia_member):
    token = Token.objects.create(user=nokia_member)
    response = client.get(URL, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert client.get(URL, HTTP_AUTHORIZATION="Token nope").status_code == 401


def test_the_api_shows_the_entries_of_the_table(client, platform_admin, nokia_member):
    """The same entries as selectors.responsibility_matrix, in the same order and status."""
    today = timezone.localdate()
    current = make_entry(platform_admin, "837")
    upcoming = make_entry(
        platform_admin, "08", "housing", role="deputy", valid_from=today + timedelta(days=30)
    )
    # A person who left: the entry stays as a vacancy with the name only.
    left = make_entry(platform_admin, "536", "older_people", person={"email": "left@nokia.fi"})
    services.mark_left(actor=platform_admin, contact=left.contact, on=today)
    # An ended entry whose role someone holds again is not shown.
    ended = make_entry(
        platform_admin,
        "08",
        valid_from=today - timedelta(days=100),
        valid_until=today - timedelta(days=1),
        person={"email": "old@pirha.fi"},
    )
    successor = make_entry(platform_admin, "08", person={"email": "new@pirha.fi"})
    # An erased person: the vacancy has no person at all.
    erased = make_entry(platform_admin, "536", "housing", person={"email": "gone@nokia.fi"})
    Contact.objects.filter(pk=erased.contact_id).delete()

    body = login(client, nokia_member).get(URL).json()
    matrix = selectors.responsibility_matrix(area("08"))
    assert [e["id"] for e in body["entries"]] == [e.pk for e in matrix.entries()]
    assert [e["status"] for e in body["entries"]] == [e.status() for e in matrix.entries()]
    assert [p["id"] for p in body["parties"]] == [p.pk for p in matrix.parties]
    shown = {e["id"]: e for e in body["entries"]}
    assert ended.pk not in shown
    assert {current.pk, upcoming.pk, left.pk, successor.pk, erased.pk} <= set(shown)
    assert shown[upcoming.pk]["status"] == "upcoming"
    assert shown[left.pk]["status"] == "vacant"
    assert shown[left.pk]["person"] == {
        "first_name": "Pia",
        "last_name": "Person536",
        "title": None,
        "unit": None,
        "email": None,
        "phone": None,
    }
    assert shown[erased.pk]["status"] == "vacant"
    assert shown[erased.pk]["person"] is None


def test_filters(client, platform_admin, nokia_member):
    today = timezone.localdate()
    tampere = make_entry(platform_admin, "837")
    county = make_entry(platform_admin, "08", "housing")
    later = make_entry(platform_admin, "536", valid_from=today + timedelta(days=3))
    login(client, nokia_member)

    def ids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200
        return {e["id"] for e in response.json()["entries"]}

    assert ids() == {tampere.pk, county.pk, later.pk}
    assert ids(theme="student_welfare") == {tampere.pk, later.pk}
    assert ids(party=municipality("837").pk) == {tampere.pk}
    assert ids(status="upcoming") == {later.pk}
    assert ids(theme="student_welfare", status="current") == {tampere.pk}
    assert ids(theme="older_people") == set()
    # The parties stay: they are the table's columns.
    assert len(client.get(URL, {"party": municipality("837").pk}).json()["parties"]) > 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        (lambda: {"theme": "no_such_theme"}, "theme"),
        (lambda: {"party": "abc"}, "party"),
        (lambda: {"party": municipality("049").pk}, "party"),  # Espoo: not in this table
        (lambda: {"status": "retired"}, "status"),
    ],
)
def test_invalid_filter_is_400_naming_it(client, nokia_member, params, field):
    params = params()
    response = login(client, nokia_member).get(URL, params)
    assert response.status_code == 400
    assert error_fields(response) == [field]


# --- Changing the table: who may change which column ---------------------------------------


def expected(name: str, column: str, allowed: int) -> int:
    if name == "anonymous":
        return 401
    return allowed if column in MAY_EDIT[name] else 403


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("persona", list(MAY_EDIT), indirect=True)
def test_who_may_create(client, persona, column):
    name, user = persona
    response = login(client, user).post(
        URL, new_entry_body(column), content_type="application/json"
    )
    assert response.status_code == expected(name, column, 201), response.content
    created = Responsibility.objects.filter(party=party(column))
    if response.status_code == 201:
        entry = created.get()
        assert response.json()["id"] == entry.pk
        assert response.json()["person"]["email"] == "outi@example.org"
        assert entry.contact.organisation == party(column)
        assert entry.confirmed_by == user
    else:
        assert not created.exists()
        assert response.json()["errors"] == []


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("persona", list(MAY_EDIT), indirect=True)
def test_who_may_change(client, platform_admin, persona, column):
    name, user = persona
    entry = make_entry(platform_admin, column)
    response = login(client, user).patch(
        f"{URL}{entry.pk}/",
        {"mandate": "Uusi valtuutus.", "person": {"phone": "+358 50 1"}},
        content_type="application/json",
    )
    assert response.status_code == expected(name, column, 200), response.content
    entry.refresh_from_db()
    entry.contact.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["mandate"] == entry.mandate == "Uusi valtuutus."
        assert entry.contact.phone == "+358 50 1"
        # Details left out stay as they were.
        assert entry.contact.title == "kuraattori"
        assert response.json()["person"]["email"] == f"pia.{column}@example.org"
    else:
        assert entry.mandate == ""
        assert entry.contact.phone == "+358 40 123 4567"


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("persona", list(MAY_EDIT), indirect=True)
def test_who_may_delete(client, platform_admin, persona, column):
    name, user = persona
    entry = make_entry(platform_admin, column)
    response = login(client, user).delete(f"{URL}{entry.pk}/")
    assert response.status_code == expected(name, column, 204), response.content
    assert Responsibility.objects.filter(pk=entry.pk).exists() is (response.status_code != 204)


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("persona", list(MAY_EDIT), indirect=True)
def test_who_may_confirm(client, platform_admin, persona, column):
    name, user = persona
    entry = make_entry(platform_admin, column)
    long_ago = timezone.now() - timedelta(days=400)
    Responsibility.objects.filter(pk=entry.pk).update(confirmed_at=long_ago)
    response = login(client, user).post(f"{URL}{entry.pk}/confirm/")
    assert response.status_code == expected(name, column, 200), response.content
    entry.refresh_from_db()
    if response.status_code == 200:
        assert entry.confirmed_at > long_ago
        assert entry.confirmed_by == user
        assert response.json()["confirmed_at"]
    else:
        assert entry.confirmed_at == long_ago


def test_moving_an_entry_needs_both_columns(client, platform_admin, tampere_editor):
    entry = make_entry(platform_admin, "837")
    response = login(client, tampere_editor).patch(
        f"{URL}{entry.pk}/", {"party": municipality("536").pk}, content_type="application/json"
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.party == municipality("837")


def test_an_entry_of_another_area_is_404(client, platform_admin):
    entry = make_entry(platform_admin, "837")
    login(client, platform_admin)
    assert (
        client.patch(
            f"/api/v1/areas/06/responsibilities/{entry.pk}/", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.delete(f"/api/v1/areas/06/responsibilities/{entry.pk}/").status_code == 404
    assert client.post(f"/api/v1/areas/06/responsibilities/{entry.pk}/confirm/").status_code == 404
    assert client.delete(f"{URL}999999/").status_code == 404
    assert Responsibility.objects.filter(pk=entry.pk).exists()


def test_session_writes_need_the_csrf_token_and_tokens_do_not(tampere_editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tampere_editor)
    response = client.post(URL, new_entry_body("837"), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Responsibility.objects.exists()

    token = Token.objects.create(user=tampere_editor)
    response = Client(enforce_csrf_checks=True).post(
        URL,
        new_entry_body("837"),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201


# --- Input checks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"theme": "no_such_theme"}, "theme"),
        (
            {"person": {"first_name": "A", "last_name": "B", "email": "not-an-email"}},
            "person.email",
        ),
        ({"valid_from": "2026-05-01", "valid_until": "2026-04-30"}, "valid_until"),
        ({"role": "boss"}, "role"),
        ({"party": "abc"}, "party"),
        ({"party": None}, "party"),
        ({"person": None}, "person"),
        ({"person": {"first_name": "A", "email": "a@example.org"}}, "person.last_name"),
        ({"valid_from": "1.5.2026"}, "valid_from"),
    ],
)
def test_bad_input_is_400_naming_the_field(client, tampere_editor, changes, field):
    body = new_entry_body("837", **changes)
    response = login(client, tampere_editor).post(URL, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert error_fields(response) == [field]
    assert not Responsibility.objects.exists()


def test_a_party_or_theme_outside_the_table_is_400(client, tampere_editor, area_coordinator):
    login(client, tampere_editor)
    espoo = municipality("049").pk
    response = client.post(URL, new_entry_body("837", party=espoo), content_type="application/json")
    assert error_fields(response) == ["party"]
    other_area = municipality("049").area
    Membership.objects.create(
        user=area_coordinator, organisation=other_area, role=Membership.Role.AREA_COORDINATOR
    )
    foreign = services.add_theme(actor=area_coordinator, area=other_area, names={"fi": "Muu"})
    response = client.post(
        URL, new_entry_body("837", theme=foreign.key), content_type="application/json"
    )
    assert response.status_code == 400
    assert error_fields(response) == ["theme"]


def test_patch_checks_dates_against_the_stored_ones(client, platform_admin, tampere_editor):
    entry = make_entry(platform_admin, "837", valid_from=timezone.localdate())
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = login(client, tampere_editor).patch(
        f"{URL}{entry.pk}/", {"valid_until": yesterday}, content_type="application/json"
    )
    assert response.status_code == 400
    assert error_fields(response) == ["valid_until"]


def test_patch_of_an_erased_person_must_name_someone(client, platform_admin, tampere_editor):
    entry = make_entry(platform_admin, "837")
    Contact.objects.filter(pk=entry.contact_id).delete()
    login(client, tampere_editor)
    response = client.patch(f"{URL}{entry.pk}/", {"mandate": "x"}, content_type="application/json")
    assert response.status_code == 400
    assert set(error_fields(response)) == {"person.first_name", "person.last_name", "person.email"}
    person = {"first_name": "Uusi", "last_name": "Nimi", "email": "uusi@tampere.fi"}
    response = client.patch(
        f"{URL}{entry.pk}/", {"person": person}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "current"
    assert response.json()["person"]["email"] == "uusi@tampere.fi"


def test_naming_a_known_person_again_keeps_the_details_left_out(client, platform_admin):
    first = make_entry(platform_admin, "837")
    body = new_entry_body(
        "837",
        theme="housing",
        person={"first_name": "Pia", "last_name": "Person837", "email": "PIA.837@example.org"},
    )
    response = login(client, platform_admin).post(URL, body, content_type="application/json")
    assert response.status_code == 201
    second = Responsibility.objects.get(pk=response.json()["id"])
    assert second.contact_id == first.contact_id
    assert second.contact.phone == "+358 40 123 4567"
    assert second.contact.title == "kuraattori"


# --- Audit log -----------------------------------------------------------------------------


def history(pk: int) -> list[AuditEntry]:
    kind = ContentType.objects.get_for_model(Responsibility)
    return list(AuditEntry.objects.filter(content_type=kind, object_id=str(pk)).order_by("pk"))


def test_every_change_is_in_the_audit_log_with_its_actor(client, tampere_editor):
    login(client, tampere_editor)
    response = client.post(URL, new_entry_body("837"), content_type="application/json")
    pk = response.json()["id"]
    client.patch(f"{URL}{pk}/", {"mandate": "Laajempi."}, content_type="application/json")
    client.post(f"{URL}{pk}/confirm/")
    assert client.delete(f"{URL}{pk}/").status_code == 204

    entries = history(pk)
    assert [e.action for e in entries] == ["created", "changed", "confirmed", "deleted"]
    assert all(e.actor == tampere_editor for e in entries)
    assert entries[0].changes["theme"] == [None, str(theme("student_welfare"))]
    assert entries[1].changes["mandate"] == ["Sopii koulukuraattorien työnjaosta.", "Laajempi."]


def test_refused_changes_leave_no_trace(client, platform_admin, nokia_member):
    entry = make_entry(platform_admin, "837")
    before = len(history(entry.pk))
    login(client, nokia_member)
    client.patch(f"{URL}{entry.pk}/", {"mandate": "x"}, content_type="application/json")
    client.post(f"{URL}{entry.pk}/confirm/")
    client.delete(f"{URL}{entry.pk}/")
    assert len(history(entry.pk)) == before


# --- Documentation -------------------------------------------------------------------------


def test_the_schema_documents_the_endpoints(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    themes = paths["/api/v1/themes/"]["get"]
    assert {} in themes["security"]  # open to everyone
    assert [p["name"] for p in themes["parameters"]] == ["area"]
    table = paths["/api/v1/areas/{code}/responsibilities/"]
    assert {p["name"] for p in table["get"]["parameters"]} == {"code", "theme", "party", "status"}
    assert {"200", "400", "401", "403", "404"} <= set(table["get"]["responses"])
    assert {} not in table["get"]["security"]
    assert {"201", "400", "401", "403", "404"} <= set(table["post"]["responses"])
    entry = paths["/api/v1/areas/{code}/responsibilities/{id}/"]
    assert set(entry) >= {"patch", "delete"}
    assert "post" in paths["/api/v1/areas/{code}/responsibilities/{id}/confirm/"]
    error = schema["components"]["schemas"]["ApiError"]
    assert set(error["properties"]) == {"detail", "errors"}
    person = schema["components"]["schemas"]["ResponsibilityPerson"]
    assert person["properties"]["email"]["nullable"] is True


def test_the_docs_page_lists_the_new_operations(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "GET /api/v1/themes/" in html
    assert "POST /api/v1/areas/{code}/responsibilities/" in html
    assert "POST /api/v1/areas/{code}/responsibilities/{id}/confirm/" in html
