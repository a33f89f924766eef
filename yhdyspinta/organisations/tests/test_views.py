"""Organisation pages: browsing, one organisation, editing and adding, with every persona."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from conftest import area, municipality
from yhdyspinta.core.models import AuditEntry
from yhdyspinta.registry.models import Organisation

pytestmark = pytest.mark.django_db


def test_area_page_lists_the_right_municipalities_and_council(client):
    response = client.get(reverse("organisations:organisation", args=[area("04").pk]))
    assert response.status_code == 200
    municipalities = [m.name_fi for m in response.context["municipalities"]]
    assert sorted(municipalities) == ["Kerava", "Vantaa"]
    assert response.context["council"].name_fi == "Uudenmaan liitto"
    assert "Uudenmaan liitto" in response.content.decode()


def test_area_list_shows_22_areas_each_with_its_municipalities(client):
    response = client.get(reverse("organisations:areas"))
    rows = response.context["rows"]
    assert len(rows) == 22
    pirkanmaa = next(r for r in rows if r["area"].code == "08")
    names = {m.name_fi for m in pirkanmaa["area"].municipalities}
    assert {"Tampere", "Nokia", "Ylöjärvi"} <= names
    assert "Espoo" not in names
    assert pirkanmaa["council"].name_fi == "Pirkanmaan liitto"
    helsinki = next(r for r in rows if r["area"].code == "90")
    assert [m.name_fi for m in helsinki["area"].municipalities] == ["Helsinki"]


def test_swedish_page_shows_swedish_names(client):
    response = client.get("/sv/organisations/", {"q": "Jakobstad"})
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert ">Jakobstad</a>" in html


def test_search_page_filters_by_kind_and_area(client):
    response = client.get(
        reverse("organisations:organisations"),
        {"kind": "municipality", "area": area("04").pk},
    )
    names = sorted(o.name_fi for o in response.context["page"].object_list)
    assert names == ["Kerava", "Vantaa"]


def test_ended_organisations_are_hidden_unless_asked_for(client):
    url = reverse("organisations:organisations")
    assert client.get(url, {"q": "Pertunmaa"}).context["page"].paginator.count == 0
    response = client.get(url, {"q": "Pertunmaa", "include_ended": "on"})
    assert [o.name_fi for o in response.context["page"].object_list] == ["Pertunmaa"]
    detail = client.get(response.context["page"].object_list[0].get_absolute_url())
    assert "Mäntyharju" in detail.content.decode()


def test_people_are_hidden_from_anonymous_and_other_areas(client, tampere_editor, espoo_editor):
    tampere = municipality("837")
    url = reverse("organisations:organisation", args=[tampere.pk])
    assert tampere_editor.email not in client.get(url).content.decode()
    client.force_login(espoo_editor)
    assert tampere_editor.email not in client.get(url).content.decode()
    client.force_login(tampere_editor)
    assert tampere_editor.email in client.get(url).content.decode()


def test_member_of_the_area_sees_people_of_another_organisation_in_it(
    client, tampere_editor, nokia_member
):
    client.force_login(nokia_member)
    response = client.get(reverse("organisations:organisation", args=[municipality("837").pk]))
    assert tampere_editor.email in response.content.decode()


def test_regional_council_people_read_every_area_of_their_region(client, tampere_editor):
    from conftest import make_person, org

    council_member = make_person("staff@liitto.example.org", org("regional_council", "06"))
    client.force_login(council_member)
    response = client.get(reverse("organisations:organisation", args=[municipality("837").pk]))
    assert tampere_editor.email in response.content.decode()


class TestEdit:
    def url(self, organisation):
        return reverse("organisations:organisation_edit", args=[organisation.pk])

    def test_editor_changes_own_organisation_and_it_is_audited(self, client, tampere_editor):
        tampere = municipality("837")
        client.force_login(tampere_editor)
        response = client.post(
            self.url(tampere),
            {"description_fi": "Pirkanmaan keskuskaupunki.", "website": "https://www.tampere.fi"},
        )
        assert response.status_code == 302
        tampere.refresh_from_db()
        assert tampere.description_fi == "Pirkanmaan keskuskaupunki."
        entry = AuditEntry.objects.filter(object_id=str(tampere.pk)).first()
        assert entry.actor == tampere_editor
        assert entry.changes["website"] == ["", "https://www.tampere.fi"]

    def test_bad_input_is_shown_in_the_users_language_and_nothing_saved(
        self, client, tampere_editor
    ):
        tampere = municipality("837")
        client.force_login(tampere_editor)
        with translation.override("sv"):
            url = self.url(tampere)
        assert url.startswith("/sv/")
        response = client.post(url, {"description_fi": "Uusi", "website": "not a url"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Ange en giltig URL." in html
        assert 'aria-invalid="true"' in html
        assert 'value="not a url"' in html  # what the user typed is kept
        tampere.refresh_from_db()
        assert not tampere.description_fi

    def test_editor_cannot_change_another_organisation_of_the_same_area(
        self, client, tampere_editor
    ):
        nokia = municipality("536")
        client.force_login(tampere_editor)
        assert client.get(self.url(nokia)).status_code == 403
        assert client.post(self.url(nokia), {"description_fi": "x"}).status_code == 403
        nokia.refresh_from_db()
        assert not nokia.description_fi

    def test_member_and_outsider_cannot_edit(self, client, nokia_member, espoo_editor):
        tampere = municipality("837")
        for person in (nokia_member, espoo_editor):
            client.force_login(person)
            assert client.post(self.url(tampere), {"description_fi": "x"}).status_code == 403

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(self.url(municipality("837")))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    def test_wrong_method_is_refused(self, client, tampere_editor):
        client.force_login(tampere_editor)
        assert client.delete(self.url(municipality("837"))).status_code == 405


class TestCreate:
    url = reverse("organisations:organisation_create")

    def test_platform_admin_adds_a_joint_authority(self, client, platform_admin):
        client.force_login(platform_admin)
        response = client.post(
            self.url,
            {
                "kind": "joint_authority",
                "name_fi": "Testin koulutuskuntayhtymä",
                "name_sv": "Testets utbildningssamkommun",
                "area": area("08").pk,
                "business_id": "0201256-6",
            },
        )
        assert response.status_code == 302, response.content
        created = Organisation.objects.get(name_fi="Testin koulutuskuntayhtymä")
        assert created.kind == "joint_authority"
        assert created.region.code == "06"
        assert created.source == "manual"
        assert AuditEntry.objects.filter(object_id=str(created.pk), action="created").exists()

    def test_invalid_business_id_is_refused(self, client, platform_admin):
        client.force_login(platform_admin)
        response = client.post(
            self.url, {"kind": "ngo", "name_fi": "Yhdistys", "business_id": "1234567-8"}
        )
        assert response.status_code == 200
        assert "1234567-8" in response.content.decode()
        assert not Organisation.objects.filter(name_fi="Yhdistys").exists()

    def test_classified_kinds_cannot_be_added_by_hand(self, client, platform_admin):
        client.force_login(platform_admin)
        client.post(self.url, {"kind": "municipality", "name_fi": "Uusikunta"})
        assert not Organisation.objects.filter(name_fi="Uusikunta").exists()

    def test_coordinator_adds_only_to_own_area(self, client, area_coordinator):
        client.force_login(area_coordinator)
        client.post(self.url, {"kind": "ngo", "name_fi": "Väärä", "area": area("03").pk})
        assert not Organisation.objects.filter(name_fi="Väärä").exists()
        client.post(self.url, {"kind": "ngo", "name_fi": "Oikea", "area": area("08").pk})
        assert Organisation.objects.get(name_fi="Oikea").area.code == "08"

    def test_editors_and_members_cannot_add(self, client, tampere_editor, nokia_member):
        for person in (tampere_editor, nokia_member):
            client.force_login(person)
            assert client.get(self.url).status_code == 403
            assert client.post(self.url, {"kind": "ngo", "name_fi": "X"}).status_code == 403


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "organisations.xlsx"
    return buffer


class TestImport:
    url = reverse("organisations:organisation_import")
    header = ["kind", "name_fi", "name_sv", "business_id", "area_code", "website"]

    def test_good_xlsx_imports_every_row(self, client, platform_admin):
        client.force_login(platform_admin)
        upload = _xlsx(
            [
                self.header,
                ["joint_authority", "Kuntayhtymä A", "Samkommun A", "", "08", ""],
                ["ngo", "Yhdistys B", "", "", "8", "https://b.example.org"],
            ]
        )
        response = client.post(self.url, {"file": upload})
        assert response.status_code == 302
        assert Organisation.objects.filter(source="import").count() == 2
        assert Organisation.objects.get(name_fi="Yhdistys B").area.code == "08"

    def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_saved(
        self, client, platform_admin
    ):
        client.force_login(platform_admin)
        csv_text = (
            "kind;name_fi;business_id;area_code;website\n"
            "ngo;Hyvä rivi;;08;\n"
            "municipality;Väärä laji;;08;\n"
            "ngo;;;08;\n"
            "company;Yritys;123;99;ftp//x\n"
        )
        upload = io.BytesIO(csv_text.encode())
        upload.name = "orgs.csv"
        response = client.post(self.url, {"file": upload})
        assert response.status_code == 400
        errors = {(e.row, e.column) for e in response.context["errors"]}
        assert errors == {
            (3, "kind"),
            (4, "name_fi"),
            (5, "business_id"),
            (5, "area_code"),
            (5, "website"),
        }
        assert not Organisation.objects.filter(name_fi="Hyvä rivi").exists()

    def test_a_file_that_is_not_a_table_is_refused(self, client, platform_admin):
        client.force_login(platform_admin)
        upload = io.BytesIO(b"%PDF-1.4")
        upload.name = "orgs.pdf"
        response = client.post(self.url, {"file": upload})
        assert response.status_code == 400
        assert response.context["errors"][0].row == 1

    def test_members_cannot_import(self, client, nokia_member):
        client.force_login(nokia_member)
        assert client.get(self.url).status_code == 403


def test_area_names_follow_the_language(client):
    fi = client.get(reverse("organisations:areas")).content.decode()
    sv = client.get("/sv/areas/").content.decode()
    assert ">Pirkanmaa</a>" in fi
    assert ">Birkalands välfärdsområde</a>" in sv
