"""Coverage and upkeep: the gaps, vacancies and stale entries of a seeded Pirkanmaa, per area
and nationally; the pages and who may see them; the monthly reminder through a real SMTP
server and the background worker."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from conftest import area, make_person, municipality
from yhdyspinta.accounts.models import Membership, User
from yhdyspinta.registry.models import Organisation
from yhdyspinta.responsibilities import coverage, selectors, services
from yhdyspinta.responsibilities.models import Contact, Responsibility, Theme
from yhdyspinta.responsibilities.tasks import send_upkeep_reminders
from yhdyspinta.surveys.tests import conftest as survey_fixtures

pytestmark = pytest.mark.django_db

# The real SMTP server of the survey tests (aiosmtpd on localhost).
smtp_server = survey_fixtures.smtp_server


def body_of(message) -> str:
    return survey_fixtures.body_of(message).replace("\r\n", "\n")


HELSINKI_TZ = ZoneInfo("Europe/Helsinki")
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=HELSINKI_TZ)
LAST_YEAR = datetime(2025, 12, 31, 12, 0, tzinfo=HELSINKI_TZ)  # not stale, not this year
LONG_AGO = datetime(2025, 5, 1, 12, 0, tzinfo=HELSINKI_TZ)  # over 12 months before NOW

MAIN_THEMES = [
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
]
COUNTY_GAPS = [
    "health_wellbeing_promotion",
    "children_youth_families",
    "employment",
    "student_welfare",
    "preparedness_security",
    "older_people",
    "immigration_integration",
]


def theme(key: str) -> Theme:
    return Theme.objects.get(area__isnull=True, key=key)


def name(
    actor,
    party: Organisation,
    key: str,
    email: str,
    *,
    role: str = "responsible",
    valid_from: date = date(2026, 1, 1),
    valid_until: date | None = None,
) -> Responsibility:
    first, _, last = email.partition("@")[0].partition(".")
    return services.save_entry(
        actor=actor,
        area=area("08"),
        values={
            "theme": theme(key),
            "party": party,
            "role": role,
            "mandate": "",
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
        contact_values={
            "first_name": first.title(),
            "last_name": (last or "Vastaava").title(),
            "email": email,
        },
    )


def age(entry: Responsibility, when: datetime) -> None:
    """Last confirmed (and saved) at `when`, as if a year had passed unnoticed."""
    Responsibility.objects.filter(pk=entry.pk).update(confirmed_at=when, updated_at=when)


def pirkanmaa_municipalities() -> list[Organisation]:
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY, area=area("08"))
        .active()
        .order_by("name")
    )


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def seeded(frozen, platform_admin):
    """Pirkanmaa on 15 June 2026.

    The county (party 08): three main themes covered (one of them stale, one confirmed last
    December); a person who left, a deactivated account, an ended validity; a deputy only; a
    sub-theme only; someone who starts in July. Tampere: every main theme but immigration,
    its employment entry's person erased, a filled vacancy, one entry stale. Nokia: housing
    only. Pirkkala: everything. The other municipalities: nothing.
    """
    county, tampere = area("08"), municipality("837")
    nokia, pirkkala = municipality("536"), municipality("604")
    admin = platform_admin
    e = {}
    e["county_strategic"] = name(admin, county, "strategic_management", "anna.aho@pirha.fi")
    e["county_housing"] = name(admin, county, "housing", "bertta.berg@pirha.fi")
    age(e["county_housing"], LONG_AGO)
    e["county_network"] = name(admin, county, "service_network_land_use", "hanna.ho@pirha.fi")
    age(e["county_network"], LAST_YEAR)
    e["county_older"] = name(admin, county, "older_people", "cecilia.cox@pirha.fi")
    services.mark_left(actor=admin, contact=e["county_older"].contact, on=date(2026, 5, 1))
    e["county_employment"] = name(
        admin, county, "employment", "daniel.dahl@pirha.fi", role="deputy"
    )
    e["county_school_health"] = name(admin, county, "school_health_care", "eeva.eh@pirha.fi")
    e["county_health"] = name(
        admin,
        county,
        "health_wellbeing_promotion",
        "fanni.fox@pirha.fi",
        valid_from=date(2025, 1, 1),
        valid_until=date(2026, 6, 1),
    )
    make_person("dora.dee@pirha.fi", county)
    e["county_children"] = name(admin, county, "children_youth_families", "dora.dee@pirha.fi")
    User.objects.filter(email="dora.dee@pirha.fi").update(is_active=False)
    e["county_preparedness"] = name(
        admin, county, "preparedness_security", "gustav.gee@pirha.fi", valid_from=date(2026, 7, 1)
    )

    # Tampere: a person who left housing, and the successor named in the same cell.
    e["tampere_left"] = name(admin, tampere, "housing", "ilkka.ii@tampere.fi")
    services.mark_left(actor=admin, contact=e["tampere_left"].contact, on=date(2026, 3, 1))
    for key in MAIN_THEMES[:-1]:
        e[f"tampere_{key}"] = name(admin, tampere, key, "tiina.tamm@tampere.fi")
    Responsibility.objects.filter(pk=e["tampere_employment"].pk).update(contact=None)
    age(e["tampere_strategic_management"], LONG_AGO)

    e["nokia_housing"] = name(admin, nokia, "housing", "jussi.joki@nokiankaupunki.fi")
    for key in MAIN_THEMES:
        e[f"pirkkala_{key}"] = name(admin, pirkkala, key, "pia.pii@pirkkala.fi")
    return e


# -- the selectors ---------------------------------------------------------------------------


def test_area_coverage_lists_the_gaps_of_the_seeded_area(seeded):
    report = coverage.area_coverage(area("08"))

    assert [t.key for t in report.themes] == MAIN_THEMES
    assert [t.key for t in report.county_gaps] == COUNTY_GAPS
    assert (report.county_covered, report.county_total) == (3, 10)

    municipalities = pirkanmaa_municipalities()
    assert [m.municipality for m in report.municipalities] == municipalities
    gaps = {m.municipality.code: [t.key for t in m.gaps] for m in report.municipalities}
    assert gaps["837"] == ["employment", "immigration_integration"]
    assert gaps["536"] == [k for k in MAIN_THEMES if k != "housing"]
    assert gaps["604"] == []
    others = [m for m in municipalities if m.code not in ("837", "536", "604")]
    assert others and all(gaps[m.code] == MAIN_THEMES for m in others)
    tampere = next(m for m in report.municipalities if m.municipality.code == "837")
    assert (tampere.covered, tampere.total, tampere.share) == (8, 10, 0.8)

    assert report.municipalities_full == 1
    assert report.municipalities_total == len(municipalities)
    assert report.municipal_cells == 10 * len(municipalities)
    assert report.municipal_covered == 8 + 1 + 10
    assert report.municipal_gaps == 10 * len(municipalities) - 19
    assert [m.municipality.code for m in report.municipalities_with_gaps] == [
        m.code for m in municipalities if m.code != "604"
    ]

    # Vacant: an ended validity, a deactivated account, an erased person, a person who left;
    # Tampere's vacancy in housing is filled and no longer listed.
    assert [(v.theme.key, v.party.code, v.reason, v.on) for v in report.vacant] == [
        ("health_wellbeing_promotion", "08", "ended", date(2026, 6, 1)),
        ("children_youth_families", "08", "deactivated", None),
        ("employment", "837", "erased", None),
        ("older_people", "08", "left", date(2026, 5, 1)),
    ]
    assert [(s.theme.key, s.party.code) for s in report.stale] == [
        ("strategic_management", "837"),
        ("housing", "08"),
    ]
    assert report.stale[1].last_confirmed == LONG_AGO

    # In force: county 5 (strategic, network, housing, the deputy, the sub-theme), Tampere 8,
    # Nokia 1, Pirkkala 10. Not confirmed in 2026: the two stale ones and last December's.
    assert report.current_entries == 24
    assert report.confirmed_this_year == 21
    assert report.share_confirmed_this_year == pytest.approx(21 / 24)
    assert report.has_anything


def test_coverage_agrees_with_the_matrix_cells(seeded):
    """A gap is exactly a main-theme cell the matrix does not show as covered."""
    report = coverage.area_coverage(area("08"))
    matrix = selectors.responsibility_matrix(area("08"))
    gaps = {(t.pk, report.area.pk) for t in report.county_gaps} | {
        (t.pk, m.municipality.pk) for m in report.municipalities for t in m.gaps
    }
    checked = 0
    for row in matrix.rows:
        if row.theme.parent_id is not None:
            continue
        for cell in row.cells:
            if cell.party.is_area or cell.party.kind == Organisation.Kind.MUNICIPALITY:
                assert ((row.theme.pk, cell.party.pk) in gaps) == (not cell.covered)
                checked += 1
    assert checked == 10 * (1 + len(report.municipalities))


def test_column_report_is_one_partys_part(seeded):
    report = coverage.area_coverage(area("08"))
    tampere = report.column(municipality("837"))
    assert [t.key for t in tampere.gaps] == ["employment", "immigration_integration"]
    assert [v.theme.key for v in tampere.vacant] == ["employment"]
    assert [s.theme.key for s in tampere.stale] == ["strategic_management"]
    assert tampere.has_anything
    pirkkala = report.column(municipality("604"))
    assert not pirkkala.has_anything


def test_national_coverage_has_every_area_and_the_same_figures(
    seeded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        rows = coverage.national_coverage()
    assert len(rows) == 22
    assert {r.area.code for r in rows} == set(
        Organisation.objects.areas().values_list("code", flat=True)
    )
    row = next(r for r in rows if r.area.code == "08")
    one = coverage.area_coverage(area("08"))
    assert (row.county_covered, row.county_total) == (3, 10)
    assert row.municipalities_full == 1
    assert row.municipalities_total == one.municipalities_total
    assert row.municipal_gaps == one.municipal_gaps
    assert len(row.vacant) == 4
    assert len(row.stale) == 2
    assert row.share_confirmed_this_year == pytest.approx(21 / 24)
    assert [t.key for t in row.county_gaps] == COUNTY_GAPS
    # An area nobody has started on: every main theme a gap, nothing in force.
    other = next(r for r in rows if r.area.code != "08")
    assert (other.county_covered, other.county_total) == (0, 10)
    assert other.municipal_gaps == other.municipal_cells
    assert other.share_confirmed_this_year is None


def test_area_coverage_queries_are_bounded(seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        report = coverage.area_coverage(area("08"))
    with django_assert_max_num_queries(0):
        # Everything the page reads is loaded: no query per cell or entry.
        for v in report.vacant:
            str(v.theme), str(v.party), v.reason_label
        for s in report.stale:
            str(s.theme), str(s.party), str(s.entry.contact)


# -- the pages ---------------------------------------------------------------------------------

COVERAGE_URL = "/areas/08/responsibilities/coverage/"
NATIONAL_URL = "/responsibilities/coverage/"


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def text(fragment: str) -> str:
    fragment = re.sub(r'<span class="visually-hidden">.*?</span>', "", fragment, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def rows_of(fragment: str) -> dict[str, str]:
    """{row heading: the rest of the row's text} of the table in a fragment."""
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", fragment, re.S):
        heading = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if heading:
            rows[text(heading.group(1))] = text(row[heading.end() :])
    return rows


def test_coverage_page_shows_the_gaps_vacancies_and_stale_entries(client, seeded, nokia_member):
    client.force_login(nokia_member)
    html = client.get(COVERAGE_URL).content.decode()

    county = section(html, "county-title")
    assert list(rows_of(county)) == [theme(k).name_fi for k in COUNTY_GAPS]
    assert "status--vacant" in county

    municipalities = rows_of(section(html, "municipalities-title"))
    assert municipalities["Tampere"].startswith("8 ")
    assert "80 %" in municipalities["Tampere"]
    assert theme("immigration_integration").name_fi in municipalities["Tampere"]
    assert theme("housing").name_fi not in municipalities["Tampere"]
    assert municipalities["Pirkkala"].startswith("10 ")
    assert theme("housing").name_fi not in municipalities["Nokia"]
    assert theme("older_people").name_fi in municipalities["Nokia"]

    vacant = section(html, "vacant-title")
    vacant_rows = rows_of(vacant)
    assert list(vacant_rows) == [
        theme(k).name_fi
        for k in ("health_wellbeing_promotion", "children_youth_families", "employment")
    ] + [theme("older_people").name_fi]
    assert vacant.count('class="status status--vacant"') == 4
    # The status is written out, not only coloured.
    assert all(text(m) for m in re.findall(r'status--vacant">(.*?)</span>', vacant, flags=re.S))
    assert "1.5.2026" in vacant_rows[theme("older_people").name_fi]
    assert "1.6.2026" in vacant_rows[theme("health_wellbeing_promotion").name_fi]

    stale = section(html, "stale-title")
    assert list(rows_of(stale)) == [
        theme("strategic_management").name_fi,
        theme("housing").name_fi,
    ]
    assert "Bertta Berg" in stale and "1.5.2025" in stale
    assert all(text(m) for m in re.findall(r'status--stale">(.*?)</span>', stale, flags=re.S))
    # A member owns no column: no confirm buttons, gaps link to the table only.
    assert "/confirm/" not in html
    assert "/responsibilities/new/" not in html
    assert f"/areas/08/responsibilities/?party={area('08').pk}#theme-" in county
    # The survey's view of the same thing is on the area's page, one link away.
    assert f'href="{area("08").get_absolute_url()}#survey-link-title"' in html


def test_owners_get_confirm_buttons_and_add_links_for_their_own_column(
    client, seeded, tampere_editor, area_coordinator
):
    tampere, county = municipality("837"), area("08")
    own_stale = seeded["tampere_strategic_management"].pk
    county_stale = seeded["county_housing"].pk

    client.force_login(tampere_editor)
    html = client.get(COVERAGE_URL).content.decode()
    assert f'action="/responsibilities/{own_stale}/confirm/"' in html
    assert f'action="/responsibilities/{county_stale}/confirm/"' not in html
    add = "/areas/08/responsibilities/new/?theme={}&amp;party={}"
    assert add.format(theme("immigration_integration").pk, tampere.pk) in html
    assert add.format(theme("employment").pk, county.pk) not in html

    client.force_login(area_coordinator)
    html = client.get(COVERAGE_URL).content.decode()
    assert f'action="/responsibilities/{county_stale}/confirm/"' in html
    assert f'action="/responsibilities/{own_stale}/confirm/"' not in html
    assert add.format(theme("employment").pk, county.pk) in html
    assert add.format(theme("immigration_integration").pk, tampere.pk) not in html


def test_confirming_from_the_coverage_page_clears_the_stale_entry(client, seeded, tampere_editor):
    client.force_login(tampere_editor)
    entry = seeded["tampere_strategic_management"]
    response = client.post(f"/responsibilities/{entry.pk}/confirm/", {"next": COVERAGE_URL})
    assert response.status_code == 302 and response["Location"] == COVERAGE_URL
    entry.refresh_from_db()
    assert entry.confirmed_at == NOW and entry.confirmed_by == tampere_editor
    report = coverage.area_coverage(area("08"))
    assert [(s.theme.key, s.party.code) for s in report.stale] == [("housing", "08")]
    assert report.confirmed_this_year == 22


def test_coverage_page_permissions(client, seeded, espoo_editor, nokia_member, platform_admin):
    response = client.get(COVERAGE_URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(espoo_editor)  # Länsi-Uusimaa, not Pirkanmaa
    assert client.get(COVERAGE_URL).status_code == 403
    client.force_login(nokia_member)
    assert client.post(COVERAGE_URL).status_code == 405
    client.force_login(platform_admin)
    assert client.get("/areas/99/responsibilities/coverage/").status_code == 404
    assert "Tampere" in client.get(COVERAGE_URL).content.decode()


def test_national_page_is_for_staff(client, seeded, area_coordinator, nokia_member):
    response = client.get(NATIONAL_URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for person in (area_coordinator, nokia_member):
        client.force_login(person)
        assert client.get(NATIONAL_URL).status_code == 403


def test_national_page_shows_every_area(client, seeded, platform_admin):
    client.force_login(platform_admin)
    html = client.get(NATIONAL_URL).content.decode()
    body = html[html.index("<tbody") : html.index("</tbody>")]
    rows = rows_of(body)
    assert len(rows) == 22
    cells = re.findall(
        r"<td[^>]*>(.*?)</td>",
        next(r for r in re.findall(r"<tr>(.*?)</tr>", body, re.S) if "/areas/08/" in r),
        re.S,
    )
    municipalities = len(pirkanmaa_municipalities())
    assert text(cells[1]).startswith("1 ") and text(cells[1]).endswith(f" {municipalities}")
    assert [text(c) for c in cells][2:] == [
        str(municipalities * 10 - 19),  # gaps in the municipalities' columns
        "4",  # vacant
        "2",  # stale
        "88 %",  # 21 of 24 confirmed this year
    ]
    assert text(cells[0]).startswith("3 ") and text(cells[0]).endswith(" 10")
    assert client.post(NATIONAL_URL).status_code == 405


# -- the monthly reminder ----------------------------------------------------------------------


def run_worker() -> None:
    call_command("db_worker", batch=True, interval=0, no_startup_delay=True, verbosity=0)


# The worker closes its database connections when it is done, as a real worker does: the
# test must not run inside a transaction on that connection (PostgreSQL would lose it).
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("registry")
def test_reminder_task_emails_the_gaps_through_the_smtp_server(
    smtp_server,
    settings,
    platform_admin,
    area_coordinator,
    tampere_editor,
    nokia_member,
    espoo_editor,
):
    """The acceptance path: the command only queues; the worker sends each coordinator the
    area's summary and each editor their own column, in their language, with links."""
    settings.SITE_URL = "https://yhdyspinta.example.fi"
    tampere_editor.preferred_language = "sv"
    tampere_editor.save()
    make_person(
        "editor@pirkkala.example.org",
        municipality("604"),
        role=Membership.Role.EDITOR,
        position=Membership.Position.MANAGER,
    )
    county, tampere, pirkkala = area("08"), municipality("837"), municipality("604")
    admin = platform_admin
    name(admin, county, "strategic_management", "anna.aho@pirha.fi")
    left = name(admin, county, "older_people", "cecilia.cox@pirha.fi")
    services.mark_left(actor=admin, contact=left.contact, on=date(2026, 1, 1))
    for key in MAIN_THEMES[:-1]:
        entry = name(admin, tampere, key, "tiina.tamm@tampere.fi")
    Responsibility.objects.filter(pk=entry.pk).update(
        confirmed_at=datetime(2020, 1, 1, tzinfo=HELSINKI_TZ),
        updated_at=datetime(2020, 1, 1, tzinfo=HELSINKI_TZ),
    )  # Tampere's older people's services: stale
    for key in MAIN_THEMES:
        name(admin, pirkkala, key, "pia.pii@pirkkala.fi")

    out = io.StringIO()
    call_command("send_upkeep_reminders", stdout=out)
    assert "queued" in out.getvalue()
    assert smtp_server.messages == []  # the command only queues
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("send_upkeep_reminders")
    run_worker()

    by_address = {m["To"]: m for m in smtp_server.messages}
    # Pirkkala's editor has nothing to report; a member gets no reminder.
    assert sorted(by_address) == [
        "coordinator@example.org",
        "editor@espoo.example.org",
        "editor@tampere.example.org",
    ]
    task.refresh_from_db()
    assert task.return_value == {
        "areas": 22,
        "areas_with_gaps": 22,
        "sent": 3,
        "failed": 0,
        "skipped": 1,
    }

    summary = body_of(by_address["coordinator@example.org"])
    for key in MAIN_THEMES[1:]:
        assert f"- {theme(key).name_fi}\n" in summary  # the county's gaps
    assert f"- {theme('strategic_management').name_fi}\n" not in summary
    assert f"Tampere (1): {theme('immigration_integration').name_fi}" in summary
    assert "Pirkkala (" not in summary
    # The coordinator reads Finnish (their preferred language).
    assert "Nokia (10): millekään pääteemalle ei ole nimetty henkilöä\n" in summary
    assert f"{theme('older_people').name_fi} – {county.name}:" in summary  # vacant
    assert "1.1.2026" in summary
    assert f"{theme('older_people').name_fi} – Tampere: Tiina Tamm" in summary  # stale
    assert "https://yhdyspinta.example.fi/areas/08/responsibilities/coverage/" in summary

    # Tampere's editor reads Swedish: their own column only, Swedish links.
    column = body_of(by_address["editor@tampere.example.org"])
    assert "- Invandring och integration\n" in column
    assert "- Tjänster för äldre: Tiina Tamm" in column
    assert "Boende" not in column  # housing is covered in Tampere
    assert "Pirkkala" not in column and "Nokia" not in column
    assert "https://yhdyspinta.example.fi/sv/areas/08/responsibilities/coverage/" in column
    assert (
        f"https://yhdyspinta.example.fi/sv/areas/08/responsibilities/?party={tampere.pk}" in column
    )
    # A long non-ASCII subject is folded on the wire; decoded, it is one line.
    subjects = [str(make_header(decode_header(m["Subject"]))) for m in smtp_server.messages]
    assert all(subject and "\n" not in subject for subject in subjects)
    assert "Työnjako: mitä puuttuu tai on vahvistamatta" in subjects
    # Espoo's editor: Espoo's empty column in Länsi-Uusimaa's table.
    espoo = body_of(by_address["editor@espoo.example.org"])
    espoo_area = municipality("049").area
    for key in MAIN_THEMES:
        assert f"- {theme(key).name_fi}\n" in espoo
    assert f"https://yhdyspinta.example.fi/areas/{espoo_area.code}/responsibilities/" in espoo
    assert pirkkala.name not in espoo and "Tampere" not in espoo


def test_a_deactivated_coordinator_gets_nothing(smtp_server, area_coordinator):
    assert send_upkeep_reminders.call()["sent"] == 1
    assert [m["To"] for m in smtp_server.messages] == ["coordinator@example.org"]
    smtp_server.messages.clear()
    User.objects.filter(pk=area_coordinator.pk).update(is_active=False)
    assert send_upkeep_reminders.call()["sent"] == 0
    assert smtp_server.messages == []


def test_contact_of_a_left_person_is_kept(seeded):
    """Vacant, not gone: the person who left is still on the entry, only marked."""
    entry = Responsibility.objects.get(pk=seeded["county_older"].pk)
    assert entry.status() == Responsibility.Status.VACANT
    assert Contact.objects.get(pk=entry.contact_id).left_on == date(2026, 5, 1)
