"""The responsibility table in the browser's view: who may change which column, vacancies,
themes and joined parties. Every change is checked on the server, whatever the form offered."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from conftest import area, make_person, municipality
from yhdyspinta.accounts.models import Membership
from yhdyspinta.core.models import AuditEntry
from yhdyspinta.registry.models import Organisation
from yhdyspinta.responsibilities import selectors, services
from yhdyspinta.responsibilities.models import Contact, Responsibility, Theme

PERSON = {
    "first_name": "Saara",
    "last_name": "Sovittelija",
    "title": "opiskeluhuollon päällikkö",
    "unit": "Lasten ja nuorten palvelut",
    "email": "saara.sovittelija@example.org",
    "phone": "040 123 4567",
}


def theme(key: str) -> Theme:
    return Theme.objects.get(area__isnull=True, key=key)


def post_data(party: Organisation, key: str = "student_welfare", **extra) -> dict:
    return {
        "theme": theme(key).pk,
        "party": party.pk,
        "role": "responsible",
        "mandate": "Sopii opiskeluhuollon yhteisistä käytännöistä.",
        "valid_from": "2026-01-01",
        "valid_until": "",
        **PERSON,
        **extra,
    }


def name(actor, party, key="student_welfare", email=None, **values) -> Responsibility:
    person = dict(PERSON, email=email or PERSON["email"])
    return services.save_entry(
        actor=actor,
        area=area("08"),
        values={
            "theme": theme(key),
            "party": party,
            "role": values.get("role", "responsible"),
            "mandate": values.get("mandate", ""),
            "valid_from": values.get("valid_from", date(2026, 1, 1)),
            "valid_until": values.get("valid_until"),
        },
        contact_values=person,
    )


# Who may change which column of Pirkanmaa's table: the county's, Tampere's, Nokia's.
COLUMNS = {
    "county": lambda: area("08"),
    "tampere": lambda: municipality("837"),
    "nokia": lambda: municipality("536"),
}
ALLOWED = {
    "platform_admin": {"county", "tampere", "nokia"},
    "area_coordinator": {"county"},
    "tampere_editor": {"tampere"},
    "nokia_member": set(),
    "espoo_editor": set(),
}


@pytest.mark.parametrize("persona", sorted(ALLOWED))
@pytest.mark.parametrize("column", sorted(COLUMNS))
def test_each_role_changes_only_its_own_column(db, client, request, persona, column):
    user = request.getfixturevalue(persona)
    party = COLUMNS[column]()
    client.force_login(user)
    response = client.post(reverse("responsibilities:entry_create", args=["08"]), post_data(party))
    created = Responsibility.objects.filter(area=area("08"), party=party).exists()
    if column in ALLOWED[persona]:
        assert response.status_code == 302
        assert created
    else:
        # Refused on the server: 403 for those with no column here, a form error for those
        # who have another column (the party is not among their choices).
        assert response.status_code in (400, 403)
        assert not created


@pytest.mark.parametrize("persona", sorted(ALLOWED))
@pytest.mark.parametrize("column", sorted(COLUMNS))
def test_changing_an_existing_entry_needs_its_column(
    client, request, platform_admin, persona, column
):
    party = COLUMNS[column]()
    entry = name(platform_admin, party)
    client.force_login(request.getfixturevalue(persona))
    allowed = column in ALLOWED[persona]
    edit = client.post(
        reverse("responsibilities:entry_edit", args=[entry.pk]),
        post_data(party, mandate="Muutettu valtuutus."),
    )
    confirm = client.post(reverse("responsibilities:entry_confirm", args=[entry.pk]))
    end = client.post(
        reverse("responsibilities:entry_end", args=[entry.pk]), {"valid_until": "2026-06-30"}
    )
    entry.refresh_from_db()
    if allowed:
        assert (edit.status_code, confirm.status_code, end.status_code) == (302, 302, 302)
        assert entry.mandate == "Muutettu valtuutus."
        assert entry.valid_until == date(2026, 6, 30)
    else:
        assert {edit.status_code, confirm.status_code, end.status_code} == {403}
        assert entry.mandate == ""
        assert entry.valid_until is None
    delete = client.post(reverse("responsibilities:entry_delete", args=[entry.pk]))
    assert delete.status_code == (302 if allowed else 403)
    assert Responsibility.objects.filter(pk=entry.pk).exists() is not allowed


def test_county_coordinator_and_two_municipal_editors_fill_the_table(
    client, area_coordinator, tampere_editor
):
    nokia_editor = make_person(
        "editor@nokia.example.org", municipality("536"), role=Membership.Role.EDITOR
    )
    for user, party, email in [
        (area_coordinator, area("08"), "county@example.org"),
        (tampere_editor, municipality("837"), "tampere@example.org"),
        (nokia_editor, municipality("536"), "nokia@example.org"),
    ]:
        client.force_login(user)
        response = client.post(
            reverse("responsibilities:entry_create", args=["08"]),
            post_data(party, email=email, last_name=party.name),
        )
        assert response.status_code == 302
    table = selectors.responsibility_matrix(area("08"))
    row = next(r for r in table.rows if r.theme.key == "student_welfare")
    filled = {
        cell.party.name: [str(e.contact) for e in cell.entries]
        for cell in row.cells
        if cell.entries
    }
    assert filled == {
        "Pirkanmaan hyvinvointialue": ["Saara Pirkanmaan hyvinvointialue"],
        "Tampere": ["Saara Tampere"],
        "Nokia": ["Saara Nokia"],
    }
    assert all(cell.covered for cell in row.cells if cell.entries)
    # The history names who changed what.
    actors = set(
        AuditEntry.objects.filter(
            action="created", object_repr__startswith="Opiskeluhuolto"
        ).values_list("actor__email", flat=True)
    )
    assert actors == {
        "coordinator@example.org",
        "editor@tampere.example.org",
        "editor@nokia.example.org",
    }


def test_the_matrix_shows_people_mandates_and_only_own_add_links(
    client, platform_admin, tampere_editor
):
    name(platform_admin, area("08"), mandate="Päättää koulukuraattoreiden sijoittelusta.")
    client.force_login(tampere_editor)
    page = client.get(reverse("responsibilities:matrix", args=["08"])).content.decode()
    assert "Saara Sovittelija" in page
    assert "Päättää koulukuraattoreiden sijoittelusta." in page
    assert "saara.sovittelija@example.org" in page
    tampere, county = municipality("837"), area("08")
    assert f"party={tampere.pk}" in page  # an add link in Tampere's column
    assert f"party={county.pk}" not in page.split("<table")[1]  # none in the county's


def test_readers_outsiders_and_anonymous(client, platform_admin, nokia_member, espoo_editor):
    name(platform_admin, area("08"))
    url = reverse("responsibilities:matrix", args=["08"])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(espoo_editor)
    refused = client.get(url)
    assert refused.status_code == 403
    assert "saara.sovittelija" not in refused.content.decode()
    client.force_login(nokia_member)
    page = client.get(url)
    assert "saara.sovittelija@example.org" in page.content.decode()
    assert client.post(url).status_code == 405
    assert client.get(reverse("responsibilities:matrix", args=["99"])).status_code == 404
    # A member reads but cannot open the form.
    assert client.get(reverse("responsibilities:entry_create", args=["08"])).status_code == 403


def test_a_person_who_leaves_shows_as_vacant_until_someone_is_named(
    client, platform_admin, tampere_editor
):
    county = area("08")
    entry = name(platform_admin, county)
    today = date.today()
    Contact.objects.filter(pk=entry.contact_id).update(left_on=today - timedelta(days=1))
    entry.refresh_from_db()
    assert entry.status() == Responsibility.Status.VACANT
    client.force_login(tampere_editor)
    page = client.get(reverse("responsibilities:matrix", args=["08"])).content.decode()
    assert "Avoin" in page or "Vacant" in page
    assert "Saara Sovittelija" in page  # "previously ...": not silently gone
    assert "saara.sovittelija@example.org" not in page  # but not offered as a contact
    # Someone named for the same role: the vacancy is no longer shown.
    name(platform_admin, county, email="uusi@example.org")
    table = selectors.responsibility_matrix(county)
    cell = next(
        c
        for r in table.rows
        if r.theme.key == "student_welfare"
        for c in r.cells
        if c.party == county
    )
    assert [e.status() for e in cell.entries] == ["current"]


def test_a_deactivated_account_and_an_ended_validity_make_vacancies(platform_admin):
    person = make_person(PERSON["email"])
    entry = name(platform_admin, area("08"))
    assert entry.contact.user == person
    assert entry.status() == "current"
    person.is_active = False
    person.save()
    entry = Responsibility.objects.get(pk=entry.pk)
    assert entry.status() == "vacant"
    assert not Responsibility.objects.current().filter(pk=entry.pk).exists()
    other = name(
        platform_admin,
        municipality("837"),
        email="b@example.org",
        valid_until=date.today() - timedelta(days=1),
        valid_from=date(2025, 1, 1),
    )
    assert other.status() == "vacant"
    assert not Responsibility.objects.current().filter(pk=other.pk).exists()


def test_the_list_view_and_confirm_button(client, tampere_editor, platform_admin):
    entry = name(platform_admin, municipality("837"))
    Responsibility.objects.filter(pk=entry.pk).update(confirmed_at=None)
    client.force_login(tampere_editor)
    page = client.get(
        reverse("responsibilities:matrix", args=["08"]) + "?view=list"
    ).content.decode()
    assert reverse("responsibilities:entry_confirm", args=[entry.pk]) in page
    response = client.post(
        reverse("responsibilities:entry_confirm", args=[entry.pk]),
        {"next": "https://evil.example.com/"},
    )
    assert response.url.startswith(reverse("responsibilities:matrix", args=["08"]))
    entry.refresh_from_db()
    assert entry.confirmed_by == tampere_editor
    assert AuditEntry.objects.filter(action="confirmed", actor=tampere_editor).count() == 1


def test_bad_input_is_shown_in_finnish_and_nothing_is_saved(client, tampere_editor):
    client.force_login(tampere_editor)
    response = client.post(
        reverse("responsibilities:entry_create", args=["08"]),
        post_data(municipality("837"), email="not-an-address", valid_until="2025-01-01"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Syötä kelvollinen sähköpostiosoite." in page
    assert not Responsibility.objects.exists()
    assert not Contact.objects.exists()


def test_one_person_is_one_contact_across_themes(platform_admin):
    first = name(platform_admin, area("08"))
    second = name(platform_admin, area("08"), key="housing")
    assert first.contact_id == second.contact_id
    assert Contact.objects.count() == 1


def test_coordinator_adds_a_theme_of_the_area(client, area_coordinator, tampere_editor):
    url = reverse("responsibilities:themes", args=["08"])
    client.force_login(tampere_editor)
    assert client.post(url, {"name_fi": "Vammaispalvelut"}).status_code == 403
    client.force_login(area_coordinator)
    response = client.post(
        url,
        {
            "name_fi": "Vammaispalvelut",
            "name_sv": "Handikappservice",
            "keywords_fi": "vammaisneuvosto",
        },
    )
    assert response.status_code == 302
    added = Theme.objects.get(area=area("08"))
    assert (added.name_fi, added.name_sv) == ("Vammaispalvelut", "Handikappservice")
    assert added in selectors.themes(area("08"))
    assert added not in selectors.themes(area("06"))  # Pohjois-Karjala does not see it
    missing = client.post(url, {"name_fi": ""})
    assert missing.status_code == 400
    assert "Tämä kenttä vaaditaan." in missing.content.decode()


def test_coordinator_adds_an_organisation_whose_editors_keep_its_column(client, area_coordinator):
    ngo = Organisation.objects.create(
        kind=Organisation.Kind.NGO, name="Pirkanmaan järjestöverkosto (testi)", area=area("08")
    )
    ngo_editor = make_person("editor@ngo.example.org", ngo, role=Membership.Role.EDITOR)
    client.force_login(area_coordinator)
    assert (
        client.post(
            reverse("responsibilities:add_party", args=["08"]), {"organisation": ngo.pk}
        ).status_code
        == 302
    )
    assert ngo in selectors.parties(area("08"))
    client.force_login(ngo_editor)
    response = client.post(reverse("responsibilities:entry_create", args=["08"]), post_data(ngo))
    assert response.status_code == 302
    assert Responsibility.objects.get().party == ngo


def test_marking_a_person_left_makes_all_their_entries_vacant(
    client, platform_admin, tampere_editor, area_coordinator
):
    tampere = municipality("837")
    first = name(platform_admin, tampere)
    second = name(platform_admin, tampere, key="housing")
    url = reverse("responsibilities:contact_left", args=[first.contact_id])
    client.force_login(area_coordinator)  # the county's coordinator does not own Tampere's people
    assert client.post(url, {"left_on": "2026-01-31"}).status_code == 403
    client.force_login(tampere_editor)
    page = client.get(url).content.decode()
    assert "Opiskeluhuolto" in page and "Asuminen" in page
    assert client.post(url, {"left_on": "2026-01-31"}).status_code == 302
    for entry in (first, second):
        entry = Responsibility.objects.get(pk=entry.pk)
        assert entry.status(today=date(2026, 2, 1)) == "vacant"
        assert entry.status(today=date(2026, 1, 30)) == "current"


def test_coordinator_takes_an_area_theme_out_of_use(client, area_coordinator, tampere_editor):
    added = services.add_theme(actor=area_coordinator, area=area("08"), names={"fi": "Työkyky"})
    url = reverse("responsibilities:theme_retire", args=["08", added.pk])
    client.force_login(tampere_editor)
    assert client.post(url).status_code == 403
    client.force_login(area_coordinator)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert added not in selectors.themes(area("08"))
    national = theme("housing")
    refused = client.post(reverse("responsibilities:theme_retire", args=["08", national.pk]))
    assert refused.status_code == 404  # national themes are not the area's to retire
