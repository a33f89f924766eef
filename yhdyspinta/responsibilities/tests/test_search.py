"""The "Whom do I contact?" search: by theme and municipality, by Finnish and Swedish
keywords, only in the areas the user may read, never a vacancy; the vCard of one person."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import vobject
from django.urls import reverse
from django.utils import timezone, translation

from conftest import area, make_person, municipality
from yhdyspinta.registry.models import Organisation
from yhdyspinta.responsibilities import selectors, services
from yhdyspinta.responsibilities.models import Responsibility, Theme

SEARCH = "/contacts/"


def theme(key: str) -> Theme:
    return Theme.objects.get(area__isnull=True, key=key)


@dataclass
class Person:
    first_name: str
    last_name: str
    email: str
    phone: str
    title: str = ""
    unit: str = ""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


# Pirkanmaa (area 08): the county and Tampere for student welfare and for premises.
COUNTY_WELFARE = Person(
    "Hanna",
    "Hyvönen",
    "hanna.hyvonen@pirha.example.fi",
    "+358 40 111 2222",
    "opiskeluhuollon palvelupäällikkö",
    "Lasten, nuorten ja perheiden palvelut",
)
TAMPERE_WELFARE = Person(
    "Tuomas",
    "Tammela",
    "tuomas.tammela@tampere.example.fi",
    "03 565 6001",
    "perusopetusjohtaja",
    "Kasvatus- ja opetuspalvelut",
)
COUNTY_PREMISES = Person(
    "Veera", "Vuorio", "veera.vuorio@pirha.example.fi", "+358 40 333 4444", "tilapalvelujohtaja"
)
TAMPERE_PREMISES = Person(
    "Kalle", "Kivelä", "kalle.kivela@tampere.example.fi", "03 565 6002", "tilapäällikkö"
)
NOKIA_WELFARE = Person("Noora", "Nokelainen", "noora.nokelainen@nokia.example.fi", "03 341 3000")
COUNCIL_PREMISES = Person("Riikka", "Rantala", "riikka.rantala@pirkanmaa.example.fi", "03 422 0000")
# Länsi-Uusimaa (area 03): another area's people for the same theme.
WEST_COUNTY_WELFARE = Person("Liisa", "Länsimäki", "liisa.lansimaki@luvn.example.fi", "019 289 1")
ESPOO_WELFARE = Person("Eemeli", "Esbjörn", "eemeli.esbjorn@espoo.example.fi", "09 816 21")

PREMISES_MANDATE = "Hyväksyy vuokrasopimukset 50 000 euroon asti vuodessa."


def name_person(actor, area_code, party, theme_key, person: Person, **values) -> Responsibility:
    return services.save_entry(
        actor=actor,
        area=area(area_code),
        values={
            "theme": theme(theme_key),
            "party": party,
            "role": values.get("role", "responsible"),
            "mandate": values.get("mandate", ""),
            "valid_from": values.get("valid_from", date(2026, 1, 1)),
            "valid_until": values.get("valid_until"),
        },
        contact_values={
            "first_name": person.first_name,
            "last_name": person.last_name,
            "title": person.title,
            "unit": person.unit,
            "email": person.email,
            "phone": person.phone,
        },
    )


def council() -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.REGIONAL_COUNCIL, region__code="06")


@pytest.fixture
def entries(platform_admin, area_coordinator, tampere_editor):
    """Named by the columns' owners: the county's coordinator, Tampere's editor; the rest by
    a platform administrator."""
    county, tampere = area("08"), municipality("837")
    return {
        "county_welfare": name_person(
            area_coordinator,
            "08",
            county,
            "student_welfare",
            COUNTY_WELFARE,
            mandate="Sopii kuraattori- ja psykologipalvelujen työnjaosta.",
        ),
        "tampere_welfare": name_person(
            tampere_editor, "08", tampere, "school_social_work_psychology", TAMPERE_WELFARE
        ),
        "county_premises": name_person(
            area_coordinator,
            "08",
            county,
            "service_network_land_use",
            COUNTY_PREMISES,
            mandate=PREMISES_MANDATE,
        ),
        "tampere_premises": name_person(
            tampere_editor, "08", tampere, "premises_leases", TAMPERE_PREMISES, role="contact"
        ),
        "nokia_welfare": name_person(
            platform_admin, "08", municipality("536"), "student_welfare", NOKIA_WELFARE
        ),
        "council_premises": name_person(
            platform_admin, "08", council(), "premises_leases", COUNCIL_PREMISES
        ),
        "west_welfare": name_person(
            platform_admin, "03", area("03"), "student_welfare", WEST_COUNTY_WELFARE
        ),
        "espoo_welfare": name_person(
            platform_admin, "03", municipality("049"), "student_welfare", ESPOO_WELFARE
        ),
    }


def search(client, user, lang="fi", **params):
    client.force_login(user)
    with translation.override(lang):
        url = reverse("responsibilities:search")
    return client.get(url, params)


def sides(response) -> dict[str, set[str]]:
    """E-mail addresses per side of the results, over every theme and area."""
    found: dict[str, set[str]] = {}
    for group in response.context["groups"]:
        for item in group.themes:
            for side in item.sides:
                found.setdefault(side.kind, set()).update(e.contact.email for e in side.entries)
    return found


def result_themes(response) -> list[str]:
    return [item.theme.key for group in response.context["groups"] for item in group.themes]


# --- By theme and municipality -------------------------------------------------------------


def test_theme_and_municipality_find_both_sides_only_in_that_municipality(
    client, entries, tampere_editor
):
    response = search(
        client,
        tampere_editor,
        theme=theme("student_welfare").pk,
        municipality=municipality("837").pk,
    )
    assert response.status_code == 200
    assert sides(response) == {
        "county": {COUNTY_WELFARE.email},
        "municipality": {TAMPERE_WELFARE.email},
    }
    html = response.content.decode()
    # Name, title, unit, mandate, e-mail and phone links, the vCard link.
    assert COUNTY_WELFARE.name in html
    assert COUNTY_WELFARE.title in html
    assert COUNTY_WELFARE.unit in html
    assert "Sopii kuraattori- ja psykologipalvelujen työnjaosta." in html
    assert f'href="mailto:{COUNTY_WELFARE.email}"' in html
    assert 'href="tel:+358401112222"' in html
    assert reverse("responsibilities:vcard", args=[entries["county_welfare"].pk]) in html
    assert f'href="mailto:{TAMPERE_WELFARE.email}"' in html
    # Not Nokia's person, nor another area's.
    for other in (NOKIA_WELFARE, WEST_COUNTY_WELFARE, ESPOO_WELFARE):
        assert other.email not in html
        assert other.name not in html
    # Each side is a table whose caption says whose side it is.
    county_table = html.split("contact-table--county")[1].split("</table>")[0]
    assert "<caption>" in county_table and area("08").name in county_table
    assert COUNTY_WELFARE.email in county_table and TAMPERE_WELFARE.email not in county_table
    tampere_table = html.split("contact-table--municipality")[1].split("</table>")[0]
    assert "Tampere" in tampere_table and TAMPERE_WELFARE.email in tampere_table
    assert COUNTY_WELFARE.email not in tampere_table


def test_premises_theme_shows_county_municipality_and_council(client, entries, tampere_editor):
    response = search(
        client,
        tampere_editor,
        theme=theme("premises_leases").pk,
        municipality=municipality("837").pk,
    )
    # The sub-theme lists the main theme's county person too, who answers for the whole.
    assert sides(response) == {
        "county": {COUNTY_PREMISES.email},
        "municipality": {TAMPERE_PREMISES.email},
        "others": {COUNCIL_PREMISES.email},
    }
    html = response.content.decode()
    assert PREMISES_MANDATE in html
    assert 'href="tel:035656002"' in html
    assert WEST_COUNTY_WELFARE.email not in html


def test_a_main_theme_lists_the_people_of_its_sub_themes_too(client, entries, platform_admin):
    response = search(
        client,
        platform_admin,
        theme=theme("service_network_land_use").pk,
        municipality=municipality("837").pk,
    )
    assert sides(response) == {
        "county": {COUNTY_PREMISES.email},
        "municipality": {TAMPERE_PREMISES.email},
        "others": {COUNCIL_PREMISES.email},
    }


def test_a_member_defaults_to_their_own_municipality(client, entries, nokia_member):
    response = search(client, nokia_member, q="koulukuraattori")
    assert response.context["form"]["municipality"].value() == str(municipality("536").pk)
    assert f'<option value="{municipality("536").pk}" selected>' in response.content.decode()
    # Nokia's own person (named for the main theme) and the county's, not Tampere's.
    assert sides(response) == {
        "county": {COUNTY_WELFARE.email},
        "municipality": {NOKIA_WELFARE.email},
    }


@pytest.mark.parametrize(
    ("lang", "before", "after"), [("en", "Akaa", "Alajärvi"), ("sv", "Ackas", "Alajärvi")]
)
def test_municipalities_are_listed_by_their_name(client, area_coordinator, lang, before, after):
    html = search(client, area_coordinator, lang=lang).content.decode()
    assert html.index(f">{before}</option>") < html.index(f">{after}</option>")
    # Åland's municipalities have no responsibility table.
    assert ">Maarianhamina</option>" not in html and ">Mariehamn</option>" not in html


def test_no_default_municipality_for_a_county_coordinator(client, entries, area_coordinator):
    response = search(client, area_coordinator)
    assert response.context["form"]["municipality"].value() in (None, "")
    assert response.context["searched"] is False
    assert COUNTY_WELFARE.email not in response.content.decode()


def test_without_municipality_results_are_grouped_by_readable_area(client, entries, platform_admin):
    response = search(client, platform_admin, q="koulukuraattori", municipality="")
    groups = {g.area.code: g for g in response.context["groups"]}
    assert set(groups) == {"03", "08"}
    assert sides(response)["municipality"] == {
        TAMPERE_WELFARE.email,
        NOKIA_WELFARE.email,
        ESPOO_WELFARE.email,
    }
    pirkanmaa = groups["08"].themes[0].sides
    assert {e.contact.email for e in pirkanmaa[1].entries} == {
        TAMPERE_WELFARE.email,
        NOKIA_WELFARE.email,
    }
    html = response.content.decode()
    assert f'<h3 id="area-{area("08").pk}">' in html
    assert f'<h3 id="area-{area("03").pk}">' in html


def test_without_municipality_a_member_sees_only_their_own_area(client, entries, tampere_editor):
    response = search(client, tampere_editor, q="opiskeluhuolto", municipality="")
    assert [g.area.code for g in response.context["groups"]] == ["08"]
    html = response.content.decode()
    assert TAMPERE_WELFARE.email in html and NOKIA_WELFARE.email in html
    assert WEST_COUNTY_WELFARE.email not in html
    assert ESPOO_WELFARE.email not in html


# --- By keyword, in Finnish and Swedish ----------------------------------------------------

WELFARE = ("school_social_work_psychology", {COUNTY_WELFARE.email}, {TAMPERE_WELFARE.email})
PREMISES = ("premises_leases", {COUNTY_PREMISES.email}, {TAMPERE_PREMISES.email})


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("koulukuraattori", WELFARE),
        ("koulukuraattorille", WELFARE),
        ("Kuka on koulukuraattoreiden esihenkilö?", WELFARE),
        ("skolkurator", WELFARE),
        ("skolkuratorn", WELFARE),
        ("vuokrasopimus", PREMISES),
        ("vuokrasopimuksesta", PREMISES),
        ("hyresavtal", PREMISES),
        ("Vem sköter hyresavtalet?", PREMISES),
    ],
)
def test_keyword_finds_the_theme_and_its_people(client, entries, tampere_editor, words, expected):
    key, county, own = expected
    # Tampere's editor: Tampere is chosen by default.
    response = search(client, tampere_editor, q=words)
    assert result_themes(response) == [key]
    assert sides(response)["county"] == county
    assert sides(response)["municipality"] == own
    html = response.content.decode()
    assert next(iter(own)) in html
    assert NOKIA_WELFARE.email not in html


def test_swedish_page_and_keyword_show_the_swedish_theme_name(client, entries, tampere_editor):
    response = search(client, tampere_editor, lang="sv", q="hyresavtal")
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Lokaler och hyresavtal" in html
    assert TAMPERE_PREMISES.email in html


def test_two_keywords_find_two_themes(client, entries, tampere_editor):
    response = search(client, tampere_editor, q="koulukuraattori vuokrasopimus")
    assert set(result_themes(response)) == {"school_social_work_psychology", "premises_leases"}
    html = response.content.decode()
    assert TAMPERE_WELFARE.email in html and TAMPERE_PREMISES.email in html


def test_keywords_win_over_the_chosen_theme(client, entries, tampere_editor):
    response = search(client, tampere_editor, q="hyresavtal", theme=theme("housing").pk)
    assert result_themes(response) == ["premises_leases"]


def test_nothing_matches_says_so_and_suggests_a_theme(client, entries, tampere_editor):
    response = search(client, tampere_editor, lang="en", q="kvanttifysiikka")
    assert response.context["matched"] == []
    assert response.context["groups"] == []
    html = response.content.decode()
    assert "No theme matches “kvanttifysiikka”" in html
    assert "choose a theme from the list" in html
    assert "mailto:" not in html


def test_a_theme_nobody_is_named_for_says_so(client, entries, tampere_editor):
    response = search(client, tampere_editor, lang="en", theme=theme("housing").pk, municipality="")
    assert response.context["groups"] == []
    html = response.content.decode()
    assert "No one has been named for these themes" in html
    assert "Choose another theme" in html


def test_a_theme_of_another_area_is_not_a_valid_choice(client, entries, tampere_editor):
    own_theme = services.add_theme(
        actor=make_person("coordinator@luvn.example.org", area("03"), role="area_coordinator"),
        area=area("03"),
        names={"fi": "Vammaispalvelut", "sv": "Handikappservice"},
        keywords={"fi": "vammaispalvelut, henkilökohtainen apu"},
    )
    response = search(
        client, tampere_editor, theme=own_theme.pk, municipality=municipality("837").pk
    )
    assert response.context["searched"] is False
    assert response.context["form"].errors["theme"]
    assert "Vammaispalvelut" not in response.content.decode()


def test_the_theme_list_holds_the_chosen_area_s_own_themes(client, entries, area_coordinator):
    services.add_theme(
        actor=area_coordinator,
        area=area("08"),
        names={"fi": "Vammaispalvelut"},
        parent=theme("children_youth_families"),
    )
    response = search(client, area_coordinator, municipality=municipality("837").pk)
    html = response.content.decode()
    assert ">– Vammaispalvelut</option>" in html
    assert ">– Toimitilat ja vuokrasopimukset</option>" in html
    response = search(client, area_coordinator, municipality=municipality("049").pk)
    assert "Vammaispalvelut" not in response.content.decode()


# --- Matching, as a unit --------------------------------------------------------------------


def keys(text: str, area_=None) -> set[str]:
    return {t.key for t in selectors.themes_matching(text, area_)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("koulukuraattori", {"school_social_work_psychology"}),
        ("koulukuraattorille", {"school_social_work_psychology"}),
        ("koulukuraattoreista", {"school_social_work_psychology"}),
        ("lukiokuraattori", {"school_social_work_psychology"}),
        ("skolkurator", {"school_social_work_psychology"}),
        ("gymnasiekuratorn", {"school_social_work_psychology"}),
        ("vuokrasopimus", {"premises_leases"}),
        ("vuokrasopimuksesta", {"premises_leases"}),
        ("vuokrasopimukset", {"premises_leases"}),
        ("hyresavtal", {"premises_leases"}),
        ("hyresavtalet", {"premises_leases"}),
        ("toimitiloista", {"premises_leases"}),
        ("opiskeluhuollon", {"student_welfare"}),
        ("kotihoidosta", {"older_people"}),
        ("kotoutumisesta", {"immigration_integration"}),
        ("pelastuslaitokselle", {"rescue_services"}),
        ("tuettu asuminen", {"housing"}),
        ("koulukuraattori vuokrasopimus", {"school_social_work_psychology", "premises_leases"}),
        # "och" is in many Swedish theme names: it must not decide the result.
        ("skolkurator och boende", {"school_social_work_psychology", "housing"}),
        ("kuka vastaa työllisyyspalveluista", {"employment"}),
        ("kvanttifysiikka", set()),
        ("", set()),
        ("ja", set()),
    ],
)
def test_themes_matching(text, expected):
    assert keys(text) == expected


@pytest.mark.django_db
def test_an_area_s_own_theme_matches_only_in_that_area(platform_admin):
    services.add_theme(
        actor=platform_admin,
        area=area("08"),
        names={"fi": "Vammaispalvelut", "sv": "Handikappservice"},
        keywords={"fi": "vammaispalvelut, henkilökohtainen apu", "sv": "personlig assistans"},
    )
    assert keys("vammaispalveluista", area("08")) == {"vammaispalvelut"}
    assert keys("personlig assistans", area("08")) == {"vammaispalvelut"}
    assert keys("vammaispalveluista", area("03")) == set()
    assert keys("vammaispalveluista") == set()


@pytest.mark.parametrize(
    ("word", "candidate"),
    [
        ("koulukuraattori", "koulukuraattori"),
        ("koulukuraattorille", "koulukuraattori"),
        ("vuokrasopimuksesta", "vuokrasopimus"),
        ("toimitiloista", "toimitila"),
        ("kotoutumisesta", "kotoutuminen"),
        ("hyresavtalet", "hyresavtal"),
        ("koulu", "koulukuraattori"),
        ("lukiokuraattorille", "kuraattori"),
        ("gymnasiekurator", "kurator"),
        ("tilassa", "tila"),
    ],
)
def test_stem_match_accepts(word, candidate):
    assert selectors._stem_match(word, candidate)


@pytest.mark.parametrize(
    ("word", "candidate"),
    [
        ("tila", "tilannekuva"),  # four letters are a whole word, not a beginning
        ("kotoutumisesta", "estate"),  # a theme word inside, not at the end of a compound
        ("skolkurator", "skol-"),
        ("och", "ochre"),
        ("hyra", "hyresavtal"),
        ("kuraattori", "psykologi"),
    ],
)
def test_stem_match_rejects(word, candidate):
    assert not selectors._stem_match(word, candidate)


# --- Vacancies are never offered --------------------------------------------------------------


def leave(entry, how, actor):
    yesterday = timezone.localdate() - timedelta(days=1)
    if how == "left":
        services.mark_left(actor=actor, contact=entry.contact, on=yesterday)
    elif how == "ended":
        services.end(actor=actor, entry=entry, on=yesterday)
    elif how == "deactivated":
        account = entry.contact.user
        account.is_active = False
        account.save()


@pytest.mark.parametrize("how", ["left", "ended", "deactivated"])
def test_a_vacant_entry_is_not_offered(client, entries, platform_admin, tampere_editor, how):
    if how == "deactivated":
        # The contact is tied to an account with the same e-mail when it is created.
        make_person("vilja.vaihtuva@pirha.example.fi", area("08"))
    gone = name_person(
        platform_admin,
        "08",
        area("08"),
        "school_social_work_psychology",
        Person("Vilja", "Vaihtuva", "vilja.vaihtuva@pirha.example.fi", "040 999 9999"),
    )
    response = search(client, tampere_editor, q="koulukuraattori")
    assert "vilja.vaihtuva@pirha.example.fi" in response.content.decode()

    leave(gone, how, platform_admin)
    assert Responsibility.objects.get(pk=gone.pk).is_vacant
    response = search(client, tampere_editor, q="koulukuraattori")
    html = response.content.decode()
    assert "vilja.vaihtuva@pirha.example.fi" not in html
    assert "Vaihtuva" not in html
    assert sides(response)["county"] == {COUNTY_WELFARE.email}
    assert client.get(reverse("responsibilities:vcard", args=[gone.pk])).status_code == 404


def test_an_entry_starting_later_is_not_offered_yet(client, entries, tampere_editor):
    name_person(
        tampere_editor,
        "08",
        municipality("837"),
        "premises_leases",
        Person("Tulevi", "Tuleva", "tulevi.tuleva@tampere.example.fi", "03 565 6099"),
        valid_from=timezone.localdate() + timedelta(days=30),
    )
    response = search(client, tampere_editor, q="vuokrasopimus")
    assert "tulevi.tuleva@tampere.example.fi" not in response.content.decode()
    assert sides(response)["municipality"] == {TAMPERE_PREMISES.email}


# --- Who may see contact details ----------------------------------------------------------


def test_an_outsider_sees_no_contact_details_of_another_area(client, entries, espoo_editor):
    response = search(
        client,
        espoo_editor,
        theme=theme("student_welfare").pk,
        municipality=municipality("837").pk,
    )
    assert response.status_code == 200
    assert response.context["not_readable"] is True
    assert response.context.get("groups") is None
    html = response.content.decode()
    for person in (COUNTY_WELFARE, TAMPERE_WELFARE, NOKIA_WELFARE):
        assert person.email not in html
        assert person.name not in html
    assert "mailto:" not in html
    assert "hds-notification--alert" in html
    assert area("08").name in html


def test_an_outsider_s_keyword_search_stays_in_their_own_area(client, entries, espoo_editor):
    for municipality_choice in ("", None):
        params = {"q": "koulukuraattori"}
        if municipality_choice is not None:
            params["municipality"] = municipality_choice
        response = search(client, espoo_editor, **params)
        html = response.content.decode()
        for person in (COUNTY_WELFARE, TAMPERE_WELFARE, NOKIA_WELFARE):
            assert person.email not in html
        assert WEST_COUNTY_WELFARE.email in html
        assert ESPOO_WELFARE.email in html


def test_a_person_with_no_area_sees_no_one(client, entries):
    loner = make_person("loner@example.org")
    response = search(client, loner, lang="en", q="koulukuraattori", municipality="")
    html = response.content.decode()
    assert "mailto:" not in html
    assert "You are not a member of any area yet" in html


def test_anonymous_is_sent_to_log_in(client, entries):
    url = reverse("responsibilities:search")
    response = client.get(url, {"q": "koulukuraattori"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert COUNTY_WELFARE.email not in response.content.decode()
    vcard = client.get(reverse("responsibilities:vcard", args=[entries["county_welfare"].pk]))
    assert vcard.status_code == 302
    assert vcard["Location"].startswith(reverse("accounts:login"))


def test_post_is_not_allowed(client, entries, tampere_editor):
    client.force_login(tampere_editor)
    assert client.post(SEARCH, {"q": "koulukuraattori"}).status_code == 405
    vcard_url = reverse("responsibilities:vcard", args=[entries["county_welfare"].pk])
    assert client.post(vcard_url).status_code == 405
    assert client.head(SEARCH).status_code == 200


# --- vCard ------------------------------------------------------------------------------------


def test_vcard_holds_the_person_s_work_details(client, entries, nokia_member):
    client.force_login(nokia_member)
    entry = entries["county_premises"]
    response = client.get(reverse("responsibilities:vcard", args=[entry.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="veera-vuorio.vcf"'
    card = vobject.readOne(response.content.decode("utf-8"))
    assert card.fn.value == "Veera Vuorio"
    assert card.n.value.family == "Vuorio"
    assert card.n.value.given == "Veera"
    assert card.email.value == COUNTY_PREMISES.email
    assert card.email.params["TYPE"] == ["work"]
    assert card.tel.value == COUNTY_PREMISES.phone
    assert card.tel.params["TYPE"] == ["work"]
    assert card.org.value == [area("08").name]
    assert card.title.value == "tilapalvelujohtaja"
    assert theme("service_network_land_use").name in card.note.value
    assert PREMISES_MANDATE in card.note.value


def test_vcard_organisation_has_the_unit(client, entries, tampere_editor):
    client.force_login(tampere_editor)
    response = client.get(reverse("responsibilities:vcard", args=[entries["tampere_welfare"].pk]))
    card = vobject.readOne(response.content.decode("utf-8"))
    assert card.fn.value == TAMPERE_WELFARE.name
    assert card.org.value == ["Tampere", "Kasvatus- ja opetuspalvelut"]
    assert card.tel.value == "03 565 6001"


def test_vcard_of_another_area_is_forbidden(client, entries, espoo_editor):
    client.force_login(espoo_editor)
    response = client.get(reverse("responsibilities:vcard", args=[entries["county_welfare"].pk]))
    assert response.status_code == 403
    assert COUNTY_WELFARE.email not in response.content.decode()
    own = client.get(reverse("responsibilities:vcard", args=[entries["espoo_welfare"].pk]))
    assert own.status_code == 200
    assert vobject.readOne(own.content.decode("utf-8")).email.value == ESPOO_WELFARE.email


def test_vcard_of_a_missing_entry_is_not_found(client, entries, platform_admin):
    client.force_login(platform_admin)
    missing = Responsibility.objects.order_by("-pk").first().pk + 1
    assert client.get(reverse("responsibilities:vcard", args=[missing])).status_code == 404
