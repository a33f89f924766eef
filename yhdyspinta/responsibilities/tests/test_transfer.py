"""Importing and exporting an area's responsibility table: every problem by row and column and
nothing saved, a good file imported, and export then import giving the same table."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook

from conftest import area, browser_log_in, municipality
from yhdyspinta.core.models import AuditEntry
from yhdyspinta.core.tables import ImportRejected
from yhdyspinta.registry.models import Organisation
from yhdyspinta.responsibilities import selectors, services, transfer
from yhdyspinta.responsibilities.models import Contact, Responsibility, Theme

pytestmark = pytest.mark.django_db

HEADER = transfer.COLUMNS
DATE_ERROR = "Not a date: write it as 2026-01-31 or 31.1.2026."


def theme(key: str) -> Theme:
    return Theme.objects.get(area__isnull=True, key=key)


def csv_file(rows, delimiter=",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_file(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row(**values) -> list[str]:
    return [values.get(name, "") for name in HEADER]


def entries(area_: Organisation) -> list[tuple]:
    """The area's table as comparable tuples: everything a file carries."""
    return sorted(
        (
            e.theme.key,
            e.party.pk,
            e.role,
            e.contact.first_name,
            e.contact.last_name,
            e.contact.title,
            e.contact.unit,
            e.contact.email,
            e.contact.phone,
            e.mandate,
            e.valid_from,
            e.valid_until,
        )
        for e in Responsibility.objects.filter(area=area_).select_related(
            "theme", "party", "contact"
        )
    )


def name(actor, party, key, email, role="responsible", **values) -> Responsibility:
    first, last = email.split("@")[0].split(".")
    return services.save_entry(
        actor=actor,
        area=area("08"),
        values={
            "theme": theme(key),
            "party": party,
            "role": role,
            "mandate": values.get("mandate", ""),
            "valid_from": values.get("valid_from", date(2026, 1, 1)),
            "valid_until": values.get("valid_until"),
        },
        contact_values={
            "first_name": values.get("first_name", first.capitalize()),
            "last_name": last.capitalize(),
            "title": values.get("title", ""),
            "unit": values.get("unit", ""),
            "email": email,
            "phone": values.get("phone", ""),
        },
    )


@pytest.fixture
def table(platform_admin):
    """Pirkanmaa's table with entries in four columns: deputies, a vacancy, an upcoming entry,
    a phone number and a mandate a spreadsheet would read as formulas."""
    county, tampere, nokia = area("08"), municipality("837"), municipality("536")
    council = Organisation.objects.get(kind="regional_council", code="06")
    today = timezone.localdate()
    name(
        platform_admin,
        county,
        "housing",
        "hanna.hyvinvointi@pirha.example.org",
        title="asumispalvelujen johtaja",
        unit="Asumispalvelut",
        phone="+358 40 111 2222",
        mandate="Sopii tuetun asumisen tiloista; 50 000 € vuodessa.",
    )
    name(
        platform_admin,
        county,
        "housing",
        "ville.vara@pirha.example.org",
        role="deputy",
        title="palvelupäällikkö",
    )
    name(
        platform_admin,
        tampere,
        "housing",
        "terttu.tampere@tampere.example.org",
        title="asuntotoimen päällikkö",
        mandate="=cmd|' /C calc'!A0",
    )
    name(
        platform_admin,
        tampere,
        "premises_leases",
        "terttu.tampere@tampere.example.org",
        role="contact",
        title="asuntotoimen päällikkö",
        valid_until=date(2026, 12, 31),
    )
    # A vacancy: the person's responsibility ended.
    name(
        platform_admin,
        nokia,
        "student_welfare",
        "olli.opiskelu@nokia.example.org",
        valid_from=date(2024, 1, 1),
        valid_until=date(2024, 12, 31),
    )
    # Starts later.
    name(
        platform_admin,
        council,
        "strategic_management",
        "liisa.liitto@pirkanmaa.example.org",
        valid_from=today + timedelta(days=30),
    )
    return county


# --- Import: all or nothing ------------------------------------------------------------------


def test_three_bad_rows_are_reported_and_nothing_is_saved(tampere_editor, table):
    before = (
        entries(table),
        Contact.objects.count(),
        AuditEntry.objects.count(),
        Responsibility.objects.count(),
    )
    content = csv_file(
        [
            HEADER,
            row(
                theme="housing",
                party="Tampere",
                first_name="Uusi",
                last_name="Ihminen",
                email="uusi.ihminen@tampere.example.org",
            ),
            row(
                theme="no_such_theme",
                party="Tampere",
                first_name="Teemu",
                last_name="Teematon",
                email="teemu@tampere.example.org",
            ),
            row(
                theme="housing",
                party="Nokia",
                first_name="Noora",
                last_name="Naapuri",
                email="noora@nokia.example.org",
            ),
            row(
                theme="housing",
                party="837",
                first_name="Päivi",
                last_name="Päiväys",
                email="paivi@tampere.example.org",
                valid_from="31.2.2026",
            ),
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        transfer.import_table(
            actor=tampere_editor, area=table, name="taulukko.csv", content=content
        )
    assert [(e.row, e.column, e.message) for e in rejected.value.errors] == [
        (3, "theme", _("This area's table has no such theme.")),
        (4, "party", _("You can change only your own organisation's column.")),
        (5, "valid_from", _(DATE_ERROR)),
    ]
    after = (
        entries(table),
        Contact.objects.count(),
        AuditEntry.objects.count(),
        Responsibility.objects.count(),
    )
    assert after == before
    assert not Contact.objects.filter(email="uusi.ihminen@tampere.example.org").exists()


def test_every_kind_of_problem_is_found(tampere_editor):
    pirkanmaa = area("08")
    content = csv_file(
        [
            HEADER,
            row(theme="housing", party="Tampere", email="x@example.org"),
            row(
                theme="housing",
                party="Helsinki",
                role="chief",
                first_name="A",
                last_name="B",
                email="not-an-address",
            ),
            row(
                theme="housing",
                party="Tampere",
                first_name="C",
                last_name="D",
                email="c.d@example.org",
                valid_from="2026-05-01",
                valid_until="2026-04-30",
            ),
            row(theme="housing", party="Tampere", first_name="E", last_name="F", email="e@x.org"),
            row(
                theme="– asuminen", party="tampere", first_name="E", last_name="F", email="E@x.org"
            ),
            row(
                theme="employment",
                party="Tammerfors",
                first_name="E",
                last_name="F",
                title="Another title",
                email="e@x.org",
            ),
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        transfer.import_table(actor=tampere_editor, area=pirkanmaa, name="t.csv", content=content)
    assert {(e.row, e.column) for e in rejected.value.errors} == {
        (2, "first_name"),
        (2, "last_name"),
        (3, "party"),  # Helsinki is not a party of Pirkanmaa's table
        (3, "role"),
        (3, "email"),
        (4, "valid_until"),
        (6, "email"),  # the same entry as row 5, by name and in other letter case
        (7, "title"),  # the same person as on row 5 with another title
    }
    assert not Responsibility.objects.filter(area=pirkanmaa).exists()


def test_a_file_with_only_a_header_or_wrong_columns_is_refused(tampere_editor):
    with pytest.raises(ImportRejected) as rejected:
        transfer.import_table(
            actor=tampere_editor, area=area("08"), name="t.csv", content=csv_file([HEADER])
        )
    assert rejected.value.errors[0].message == _("The file has no rows to import.")
    with pytest.raises(ImportRejected) as rejected:
        transfer.import_table(
            actor=tampere_editor,
            area=area("08"),
            name="t.csv",
            content=csv_file([["theme", "party", "first_name", "email"], ["a", "b", "c", "d"]]),
        )
    assert [(e.row, e.column) for e in rejected.value.errors] == [(1, "last_name")]


# --- Import: a good file -----------------------------------------------------------------------


def good_rows(party="Tampere") -> list[list[str]]:
    return [
        HEADER,
        row(
            theme="Asuminen",  # the Finnish name
            party=party,
            role="varahenkilö",  # the Finnish word
            first_name="Terttu",
            last_name="Tampere",
            title="asuntotoimen päällikkö",
            email="Terttu.Tampere@Tampere.example.org",
            phone="+358 3 565 611",
            mandate="Sopii asuntojen vuokraamisesta hyvinvointialueelle.",
            valid_from="1.2.2026",
            valid_until="2027-01-31",
        ),
        row(
            theme="premises_leases",
            party=party,
            role="kontaktperson",  # the Swedish word
            first_name="Terttu",
            last_name="Tampere",
            title="asuntotoimen päällikkö",
            email="terttu.tampere@tampere.example.org",
            phone="+358 3 565 611",
        ),
    ]


def check_good_import(summary, actor, party):
    assert (summary.created, summary.updated, summary.unchanged) == (2, 0, 0)
    check_good_table(actor, party)


def check_good_table(actor, party):
    pirkanmaa = area("08")
    today = timezone.localdate()
    assert entries(pirkanmaa) == sorted(
        [
            (
                "housing",
                party.pk,
                "deputy",
                "Terttu",
                "Tampere",
                "asuntotoimen päällikkö",
                "",
                "terttu.tampere@tampere.example.org",
                "+358 3 565 611",
                "Sopii asuntojen vuokraamisesta hyvinvointialueelle.",
                date(2026, 2, 1),
                date(2027, 1, 31),
            ),
            (
                "premises_leases",
                party.pk,
                "contact",
                "Terttu",
                "Tampere",
                "asuntotoimen päällikkö",
                "",
                "terttu.tampere@tampere.example.org",
                "+358 3 565 611",
                "",
                today,
                None,
            ),
        ]
    )
    # One person, one contact; the import confirms the entries and is in the area's history.
    assert Contact.objects.filter(organisation=party).count() == 1
    assert set(
        Responsibility.objects.filter(area=pirkanmaa).values_list("confirmed_by", flat=True)
    ) == {actor.pk}
    imported = AuditEntry.objects.get(action="imported", object_id=str(pirkanmaa.pk))
    assert imported.changes == {"entries": [None, 2]}
    assert imported.actor == actor


def test_good_csv_imports(tampere_editor):
    summary = transfer.import_table(
        actor=tampere_editor, area=area("08"), name="t.csv", content=csv_file(good_rows())
    )
    check_good_import(summary, tampere_editor, municipality("837"))


def test_good_semicolon_csv_imports_by_swedish_name(tampere_editor):
    content = csv_file(good_rows("Tammerfors"), delimiter=";")
    summary = transfer.import_table(
        actor=tampere_editor, area=area("08"), name="t.CSV", content=content
    )
    check_good_import(summary, tampere_editor, municipality("837"))


def test_good_xlsx_imports_with_a_code_typed_as_a_number(area_coordinator):
    rows = good_rows(party="")
    for values in rows[1:]:
        values[HEADER.index("party")] = 8  # the county's code 08, as a spreadsheet keeps it
    summary = transfer.import_table(
        actor=area_coordinator, area=area("08"), name="t.xlsx", content=xlsx_file(rows)
    )
    check_good_import(summary, area_coordinator, area("08"))


def test_xlsx_dates_are_read_as_dates(tampere_editor):
    rows = good_rows()[:2]
    rows[1][HEADER.index("valid_from")] = date(2026, 3, 1)
    transfer.import_table(
        actor=tampere_editor, area=area("08"), name="t.xlsx", content=xlsx_file(rows)
    )
    assert Responsibility.objects.get(area=area("08")).valid_from == date(2026, 3, 1)


def test_import_updates_the_matching_entry_and_leaves_others_alone(tampere_editor, table):
    housing = Responsibility.objects.get(party=municipality("837"), theme=theme("housing"))
    county_entries = [e for e in entries(table) if e[1] == table.pk]
    content = csv_file(
        [
            HEADER,
            row(
                theme="housing",
                party="Tampere",
                first_name="Terttu",
                last_name="Tampere",
                title="asuntotoimen johtaja",
                email="terttu.tampere@tampere.example.org",
                mandate="Uusi valtuutus.",
                valid_from="2026-01-01",
            ),
        ]
    )
    summary = transfer.import_table(actor=tampere_editor, area=table, name="t.csv", content=content)
    assert (summary.created, summary.updated) == (0, 1)
    housing.refresh_from_db()
    assert housing.mandate == "Uusi valtuutus."
    assert housing.contact.title == "asuntotoimen johtaja"
    assert housing.confirmed_by == tampere_editor
    # The Tampere entry not in the file is still there; the other columns are untouched.
    assert Responsibility.objects.filter(party=municipality("837")).count() == 2
    assert [e for e in entries(table) if e[1] == table.pk] == county_entries
    assert AuditEntry.objects.filter(
        action="changed", object_id=str(housing.pk), changes__mandate__1="Uusi valtuutus."
    ).exists()


# --- Export ----------------------------------------------------------------------------------


def export(fmt: str, area_: Organisation) -> bytes:
    return transfer.export_xlsx(area_) if fmt == "xlsx" else transfer.export_csv(area_)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_the_same_table(platform_admin, table, fmt):
    before = entries(table)
    assert len(before) == 6
    content = export(fmt, table)
    Responsibility.objects.filter(area=table).delete()
    Contact.objects.all().delete()
    summary = transfer.import_table(
        actor=platform_admin, area=table, name=f"export.{fmt}", content=content
    )
    assert summary.created == 6
    assert entries(table) == before
    assert Responsibility.objects.get(
        theme=theme("housing"), party=municipality("837")
    ).mandate == ("=cmd|' /C calc'!A0")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_importing_the_export_again_changes_nothing(platform_admin, table, fmt):
    before = entries(table)
    contacts = Contact.objects.count()
    summary = transfer.import_table(
        actor=platform_admin, area=table, name=f"export.{fmt}", content=export(fmt, table)
    )
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 6)
    assert entries(table) == before
    assert Contact.objects.count() == contacts
    assert not AuditEntry.objects.filter(
        action="changed", content_type__model="responsibility"
    ).exists()


def test_a_person_holding_a_role_twice_round_trips(platform_admin, table):
    tampere = municipality("837")
    name(
        platform_admin,
        tampere,
        "housing",
        "terttu.tampere@tampere.example.org",
        title="asuntotoimen päällikkö",
        valid_from=date(2020, 1, 1),
        valid_until=date(2021, 12, 31),
    )
    before = entries(table)
    summary = transfer.import_table(
        actor=platform_admin, area=table, name="t.csv", content=export("csv", table)
    )
    assert summary.unchanged == 7
    assert entries(table) == before


def test_csv_export_has_the_import_columns_and_guards_formulas(table):
    text = transfer.export_csv(table).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADER
    tampere = [r for r in rows if r[HEADER.index("party")] == "Tampere"]
    # In the table's order: the sub-theme of the service network comes before housing.
    assert [r[HEADER.index("theme")] for r in tampere] == ["premises_leases", "housing"]
    assert tampere[1][HEADER.index("mandate")] == "'=cmd|' /C calc'!A0"
    assert tampere[0][HEADER.index("valid_until")] == "2026-12-31"
    phones = {r[HEADER.index("phone")] for r in rows[1:]}
    assert "'+358 40 111 2222" in phones
    # In the table's order: themes, then parties (the county first), then roles.
    assert [tuple(r[:3]) for r in rows[1:]] == [
        ("strategic_management", "Pirkanmaan liitto", "responsible"),
        ("premises_leases", "Tampere", "contact"),
        ("housing", "Pirkanmaan hyvinvointialue", "responsible"),
        ("housing", "Pirkanmaan hyvinvointialue", "deputy"),
        ("housing", "Tampere", "responsible"),
        ("student_welfare", "Nokia", "responsible"),
    ]


def test_xlsx_export_has_the_matrix_and_the_entries(table):
    workbook = load_workbook(io.BytesIO(transfer.export_xlsx(table)))
    matrix, listing = workbook.worksheets
    assert matrix.title == "Pirkanmaa"
    assert listing.title == _("Entries")
    header = [c.value for c in matrix[1]]
    assert header[0] == _("Theme")
    assert header[1] == "Pirkanmaan hyvinvointialue"
    assert {"Tampere", "Nokia", "Pirkanmaan liitto"} <= set(header)
    assert matrix.freeze_panes == "B2"
    by_theme = {r[0].value: r for r in matrix.iter_rows(min_row=2)}
    assert "Asuminen" in by_theme and "Toimitilat ja vuokrasopimukset" in by_theme
    housing = by_theme["Asuminen"]
    county = housing[1].value
    assert "Hanna Hyvinvointi" in county
    assert "asumispalvelujen johtaja, Asumispalvelut" in county
    assert "Sopii tuetun asumisen tiloista; 50 000 € vuodessa." in county
    assert f"Ville Vara ({Responsibility.Role.DEPUTY.label})" in county
    assert f"Hanna Hyvinvointi ({Responsibility.Role.RESPONSIBLE.label})" not in county
    assert housing[1].alignment.wrap_text
    tampere = housing[header.index("Tampere")].value
    assert tampere.startswith("Terttu Tampere\nasuntotoimen päällikkö")
    assert f"{_('Mandate')}: =cmd|' /C calc'!A0" in tampere
    # Sub-themes are indented; the vacancy and the upcoming entry show as such.
    assert by_theme["Toimitilat ja vuokrasopimukset"][0].alignment.indent == 2
    assert by_theme["Asuminen"][0].alignment.indent == 0
    nokia = by_theme["Opiskeluhuolto"][header.index("Nokia")].value
    assert nokia.startswith(_("Vacant"))
    assert "Olli Opiskelu" in nokia
    council = by_theme["Yleiset yhteistyörakenteet ja strateginen johtaminen"][
        header.index("Pirkanmaan liitto")
    ].value
    assert "Liisa Liitto" in council
    assert "\n" in council and council.splitlines()[-1].startswith(_("from %(date)s")[:4])
    assert by_theme["Asuminen"][header.index("Nokia")].value in (None, "")
    # The second sheet is in the import format.
    assert [c.value for c in listing[1]] == HEADER
    assert listing.max_row == 7
    mandates = {c.value for (c,) in listing.iter_rows(min_col=10, max_col=10, min_row=2)}
    assert "'=cmd|' /C calc'!A0" in mandates


def test_text_that_would_run_as_a_formula_is_guarded_in_every_sheet(platform_admin, table):
    name(
        platform_admin,
        municipality("536"),
        "housing",
        "nils.nokia@nokia.example.org",
        first_name="@SUM(A1)",
        unit="-2+3",
    )
    workbook = load_workbook(io.BytesIO(transfer.export_xlsx(table)))
    matrix, listing = workbook.worksheets
    values = [c.value for sheet in (matrix, listing) for r in sheet.iter_rows() for c in r]
    texts = [v for v in values if isinstance(v, str)]
    assert not [v for v in texts if v.startswith(("=", "+", "-", "@"))]
    assert any(v.startswith("'@SUM(A1) Nokia") for v in texts)
    assert "'-2+3" in texts
    # Imported again, the guard is taken off.
    transfer.import_table(
        actor=platform_admin, area=table, name="x.xlsx", content=transfer.export_xlsx(table)
    )
    assert Contact.objects.get(email="nils.nokia@nokia.example.org").unit == "-2+3"


def test_own_columns_export_imports_back_and_the_whole_table_does_not(tampere_editor, table):
    tampere = municipality("837")
    rows = transfer.export_rows(table, [tampere])
    assert [(r[0], r[1]) for r in rows] == [("premises_leases", "Tampere"), ("housing", "Tampere")]
    summary = transfer.import_table(
        actor=tampere_editor,
        area=table,
        name="t.csv",
        content=transfer.export_csv(table, [tampere]),
    )
    assert summary.unchanged == 2
    # The whole table has four rows in other organisations' columns.
    with pytest.raises(ImportRejected) as rejected:
        transfer.import_table(
            actor=tampere_editor, area=table, name="t.csv", content=transfer.export_csv(table)
        )
    assert [(e.column, e.message) for e in rejected.value.errors] == [
        ("party", _("You can change only your own organisation's column."))
    ] * 4


def test_template_lists_the_columns_themes_and_parties():
    workbook = load_workbook(io.BytesIO(transfer.template_xlsx(area("08"))))
    sheet, help_sheet = workbook.worksheets
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.max_row == 1
    values = [[c.value for c in r] for r in help_sheet.iter_rows(min_row=2)]
    assert ["theme", "housing", "Asuminen", "Boende"] in values
    assert [
        "theme",
        "premises_leases",
        "– Toimitilat ja vuokrasopimukset",
        "– Lokaler och hyresavtal",
    ] in values
    assert ["party", "Tampere", "Tampere", "Tammerfors"] in values
    assert ["role", "deputy", "varahenkilö, sijainen", "ersättare, suppleant"] in values


def test_an_ambiguous_code_is_refused_and_the_export_uses_names(platform_admin):
    # In Itä-Uusimaa the area and the Uusimaa regional council both have the code 01.
    itä_uusimaa = area("01")
    content = csv_file(
        [HEADER, row(theme="housing", party="01", first_name="A", last_name="B", email="a@b.fi")]
    )
    with pytest.raises(ImportRejected) as rejected:
        transfer.import_table(actor=platform_admin, area=itä_uusimaa, name="t.csv", content=content)
    assert [(e.row, e.column) for e in rejected.value.errors] == [(2, "party")]
    parties = selectors.parties(itä_uusimaa)
    assert transfer.party_label(itä_uusimaa, parties) == itä_uusimaa.name_fi


# --- Views -----------------------------------------------------------------------------------


def urls(code="08") -> dict[str, str]:
    return {
        "import": reverse("responsibilities:import", args=[code]),
        "template": reverse("responsibilities:template", args=[code]),
        "xlsx": reverse("responsibilities:export", args=[code, "xlsx"]),
        "csv": reverse("responsibilities:export", args=[code, "csv"]),
    }


def upload(content: bytes, filename: str):
    file = io.BytesIO(content)
    file.name = filename
    return {"file": file}


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in urls().values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_outsiders_get_403(client, espoo_editor, table):
    client.force_login(espoo_editor)
    for key, url in urls().items():
        assert client.get(url).status_code == 403, key
    before = entries(table)
    response = client.post(urls()["import"], upload(csv_file(good_rows()), "t.csv"))
    assert response.status_code == 403
    assert entries(table) == before


def test_members_read_and_export_but_do_not_import(client, nokia_member, table):
    client.force_login(nokia_member)
    assert client.get(urls()["csv"]).status_code == 200
    assert client.get(urls()["import"]).status_code == 403


def test_unknown_area_and_format_are_404(client, platform_admin):
    client.force_login(platform_admin)
    assert client.get(urls("77")["csv"]).status_code == 404
    assert client.get(urls("77")["import"]).status_code == 404
    assert client.get(reverse("responsibilities:export", args=["08", "pdf"])).status_code == 404


def test_wrong_methods_are_405(client, tampere_editor):
    client.force_login(tampere_editor)
    assert client.post(urls()["csv"]).status_code == 405
    assert client.post(urls()["template"]).status_code == 405
    assert client.put(urls()["import"]).status_code == 405
    assert client.delete(urls()["import"]).status_code == 405


def test_the_import_page_explains_the_columns(client, tampere_editor):
    client.force_login(tampere_editor)
    response = client.get(urls()["import"])
    assert response.status_code == 200
    page = response.content.decode()
    for column in HEADER:
        assert f"<code>{column}</code>" in page
    assert urls()["template"] in page
    assert f"{urls()['csv']}?columns=own" in page
    assert "<caption>" in page and 'scope="row"' in page
    assert response.context["editable"] == [municipality("837")]
    assert "style=" not in page and "<script>" not in page


def test_tampere_editor_imports_their_column(client, tampere_editor):
    client.force_login(tampere_editor)
    response = client.post(urls()["import"], upload(csv_file(good_rows()), "vastuut.csv"))
    assert response.status_code == 302
    assert response["Location"] == reverse("responsibilities:matrix", args=["08"])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        ngettext(
            "%(count)d entry was imported: %(created)d new, %(updated)d changed.",
            "%(count)d entries were imported: %(created)d new, %(updated)d changed.",
            2,
        )
        % {"count": 2, "created": 2, "updated": 0}
    ]
    check_good_table(tampere_editor, municipality("837"))


def test_a_rejected_upload_lists_the_problems(client, tampere_editor):
    client.force_login(tampere_editor)
    rows = good_rows()
    rows[2][HEADER.index("party")] = "Nokia"
    rows[1][HEADER.index("valid_until")] = "someday"
    response = client.post(urls()["import"], upload(xlsx_file(rows), "vastuut.xlsx"))
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["errors"]] == [
        (2, "valid_until"),
        (3, "party"),
    ]
    page = response.content.decode()
    assert "<td>3</td><td>party</td>" in page
    assert not Responsibility.objects.exists()


def test_export_and_template_downloads(client, area_coordinator, table):
    client.force_login(area_coordinator)
    response = client.get(urls()["csv"])
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="responsibilities-08-' in response["Content-Disposition"]
    assert "terttu.tampere@tampere.example.org" in response.content.decode("utf-8-sig")
    response = client.get(urls()["xlsx"])
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.worksheets[1].max_row == 7
    own = load_workbook(io.BytesIO(client.get(urls()["xlsx"] + "?columns=own").content))
    assert {r[1] for r in own.worksheets[1].iter_rows(min_row=2, values_only=True)} == {
        "Pirkanmaan hyvinvointialue"
    }
    response = client.get(urls()["template"])
    assert [c.value for c in load_workbook(io.BytesIO(response.content)).active[1]] == HEADER


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("lang", "prefix"), [("fi", ""), ("sv", "/sv")])
def test_the_import_page_is_accessible_with_and_without_errors(page, lang, prefix, tampere_editor):
    from yhdyspinta.core.tests.browser import check_page
    from yhdyspinta.responsibilities.themes import load_default_themes

    # A transactional test empties the database, and the registry fixture does not bring
    # back the themes a migration loaded.
    load_default_themes(Theme)
    browser_log_in(page, tampere_editor.email)
    page.wait_for_url("**/")
    page.goto(prefix + urls()["import"])
    check_page(page, lang=lang, name="responsibilities-import")
    rows = good_rows()
    rows[2][HEADER.index("party")] = "Nokia"
    page.set_input_files(
        "#id_file",
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": csv_file(rows)}],
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    problems = page.locator(".error-summary tbody tr").all_inner_texts()
    assert len(problems) == 1 and problems[0].startswith("3\tparty\t")
    check_page(page, lang=lang, name="responsibilities-import-error")
