"""Negotiations through the pages: who plans, records and reads them; bad input gets a clear
message in the user's language and saves nothing; minutes are sanitised; documents are PDFs
within the limit; a negotiation with minutes is archived, never deleted."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import area, municipality
from yhdyspinta.cooperation import services
from yhdyspinta.cooperation.models import Document, Negotiation
from yhdyspinta.core.models import AuditEntry

from .factories import at

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_data(**values) -> dict:
    data = {
        "kind": "section14",
        "model": "whole_area",
        "title_fi": "14 §:n neuvottelu",
        "status": "planned",
        "starts_at": "2026-03-19T09:00",
        "municipalities": [municipality("837").pk, municipality("536").pk],
        "agenda": "1. Tavoitteet",
        "minutes": "",
        "decisions": "",
    }
    data.update(values)
    return data


@pytest.fixture
def negotiation(area_coordinator):
    return services.create_negotiation(
        actor=area_coordinator,
        area=area("08"),
        parties=[municipality("837"), municipality("536")],
        kind="section14",
        title_fi="Tampereen seudun 14 §:n neuvottelu",
        starts_at=at(2026, 3, 19, 9),
        status="held",
    )


def test_the_county_coordinator_plans_a_negotiation_and_the_county_is_a_party(
    client, area_coordinator
):
    client.force_login(area_coordinator)
    response = client.post("/areas/08/negotiations/new/", form_data())
    negotiation = Negotiation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/negotiations/{negotiation.pk}/"
    assert negotiation.convener == area("08")
    assert sorted(p.code for p in negotiation.parties.all()) == ["08", "536", "837"]
    assert AuditEntry.objects.filter(object_id=str(negotiation.pk), action="created").exists()
    page = client.get(f"/negotiations/{negotiation.pk}/").content.decode()
    assert "Tampere" in page and "Muutoshistoria" in page


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"municipalities": []}, "municipalities", "Tämä kenttä vaaditaan."),
        ({"ends_at": "2026-03-18T09:00"}, "ends_at", "Päättymisaika ei voi olla ennen alkua."),
        (
            {"minutes": "<p>Hyvä</p><script>alert(1)</script>"},
            "minutes",
            "Pöytäkirjassa on skripti",
        ),
        ({"minutes": '<a href="javascript:alert(1)">x</a>'}, "minutes", "javascript:"),
    ],
)
def test_bad_input_is_refused_in_finnish_and_nothing_is_saved(
    client, area_coordinator, values, field, message
):
    client.force_login(area_coordinator)
    response = client.post("/areas/08/negotiations/new/", form_data(**values))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert Negotiation.objects.count() == 0


def test_a_municipality_of_another_area_or_an_ngo_in_a_section14_is_refused(area_coordinator):
    from django.core.exceptions import ValidationError

    from yhdyspinta.registry.models import Organisation

    with pytest.raises(ValidationError) as error:
        services.create_negotiation(
            actor=area_coordinator,
            area=area("08"),
            parties=[municipality("837"), municipality("049")],
            kind="section14",
            title_fi="x",
            starts_at=at(2026, 3, 19),
        )
    assert "Espoo" in str(error.value)
    ngo = Organisation.objects.create(kind="ngo", name="Pirkanmaan liikuntayhdistys (testi)")
    with pytest.raises(ValidationError, match="ei voi olla osapuoli"):
        services.create_negotiation(
            actor=area_coordinator,
            area=area("08"),
            parties=[municipality("837"), ngo],
            kind="section14",
            title_fi="x",
            starts_at=at(2026, 3, 19),
        )
    # The same NGO may join a hyte negotiation.
    hyte = services.create_negotiation(
        actor=area_coordinator,
        area=area("08"),
        parties=[municipality("837"), ngo],
        kind="hyte",
        title_fi="Hyte",
        starts_at=at(2026, 3, 19),
    )
    assert ngo in hyte.parties.all()
    assert Negotiation.objects.count() == 1


def test_minutes_keep_their_markup_but_lose_anything_else(client, area_coordinator, negotiation):
    client.force_login(area_coordinator)
    data = form_data(
        status="held",
        minutes='<p onmouseover="x">Sovittiin</p><ul><li><strong>tavoite</strong></li></ul>'
        '<p style="color:red">Toinen</p><img src="x.png">',
    )
    response = client.post(f"/negotiations/{negotiation.pk}/edit/", data)
    assert response.status_code == 200  # an event handler is active content: refused
    assert "minutes" in response.context["form"].errors
    data["minutes"] = '<p>Sovittiin</p><ul><li><strong>tavoite</strong></li></ul><img src="x">'
    assert client.post(f"/negotiations/{negotiation.pk}/edit/", data).status_code == 302
    negotiation.refresh_from_db()
    assert negotiation.minutes == "<p>Sovittiin</p><ul><li><strong>tavoite</strong></li></ul>"
    plain = form_data(status="held", minutes="Eka kappale.\n\nToinen <b>ei html</b>")
    plain["minutes"] = "Eka kappale.\n\nToinen & kolmas"
    client.post(f"/negotiations/{negotiation.pk}/edit/", plain)
    negotiation.refresh_from_db()
    assert negotiation.minutes == "<p>Eka kappale.</p>\n\n<p>Toinen &amp; kolmas</p>"


def test_a_row_written_past_the_services_is_still_sanitised_on_the_page(
    client, area_coordinator, negotiation
):
    Negotiation.objects.filter(pk=negotiation.pk).update(minutes="<p>ok</p><script>x()</script>")
    client.force_login(area_coordinator)
    page = client.get(f"/negotiations/{negotiation.pk}/").content.decode()
    assert "<p>ok</p>" in page
    assert "<script>x()" not in page


def test_documents_must_be_pdfs_within_the_limit(client, area_coordinator, negotiation, settings):
    client.force_login(area_coordinator)
    url = f"/negotiations/{negotiation.pk}/documents/"
    fake = SimpleUploadedFile("muistio.pdf", b"PK\x03\x04 not a pdf", "application/pdf")
    response = client.post(url, {"file": fake, "title": "Muistio"})
    assert response.status_code == 400
    assert "ei ole PDF-asiakirja" in response.content.decode()
    settings.COOPERATION_DOCUMENT_MAX_BYTES = 30
    big = SimpleUploadedFile("iso.pdf", PDF + b"x" * 100, "application/pdf")
    response = client.post(url, {"file": big})
    assert response.status_code == 400
    assert "raja on" in response.content.decode()
    assert Document.objects.count() == 0
    settings.COOPERATION_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
    ok = SimpleUploadedFile("poytakirja.pdf", PDF, "application/pdf")
    response = client.post(url, {"file": ok, "title": "Pöytäkirja", "is_minutes": "on"})
    assert response.status_code == 302
    document = Document.objects.get()
    download = client.get(f"/documents/{document.pk}/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_a_negotiation_with_minutes_is_archived_never_deleted(
    client, area_coordinator, negotiation
):
    client.force_login(area_coordinator)
    negotiation.minutes = "<p>Pöytäkirja</p>"
    negotiation.save()
    response = client.post(f"/negotiations/{negotiation.pk}/archive/", {"delete": "1"}, follow=True)
    assert "arkistoi se" in response.content.decode()
    assert Negotiation.objects.filter(pk=negotiation.pk).exists()
    client.post(f"/negotiations/{negotiation.pk}/archive/")
    negotiation.refresh_from_db()
    assert negotiation.archived_at is not None
    # Archived: it can no longer be changed.
    response = client.post(f"/negotiations/{negotiation.pk}/edit/", form_data(status="held"))
    assert response.status_code == 200
    assert "Arkistoitua neuvottelua ei voi muuttaa." in response.content.decode()


def test_a_planned_negotiation_without_minutes_can_be_deleted(client, area_coordinator):
    client.force_login(area_coordinator)
    client.post("/areas/08/negotiations/new/", form_data())
    negotiation = Negotiation.objects.get()
    response = client.post(f"/negotiations/{negotiation.pk}/archive/", {"delete": "1"})
    assert response.status_code == 302
    assert not Negotiation.objects.exists()
    assert AuditEntry.objects.filter(action="deleted", object_id=str(negotiation.pk)).exists()


# --- Permission matrix ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "read", "edit"),
    [
        ("platform_admin", 200, 200),
        ("area_coordinator", 200, 200),  # the convener's staff
        ("tampere_editor", 200, 403),  # a party: reads
        ("nokia_member", 200, 403),
        ("espoo_editor", 403, 403),  # another area sees nothing
    ],
)
def test_only_the_conveners_staff_edit_parties_read_others_see_nothing(
    client, request, negotiation, persona, read, edit
):
    client.force_login(request.getfixturevalue(persona))
    pk = negotiation.pk
    assert client.get(f"/negotiations/{pk}/").status_code == read
    assert client.get("/areas/08/negotiations/").status_code == read
    assert client.get("/areas/08/duties/").status_code == read
    assert client.get(f"/negotiations/{pk}/edit/").status_code == edit
    assert client.get("/areas/08/negotiations/new/").status_code == edit
    response = client.post(f"/negotiations/{pk}/edit/", form_data(title_fi="Muutettu"))
    negotiation.refresh_from_db()
    assert (negotiation.title == "Muutettu") == (edit == 200)
    archive = client.post(f"/negotiations/{pk}/archive/")
    assert archive.status_code == (302 if edit == 200 else 403)
    assert response.status_code in (302, 403)


def test_anonymous_visitors_are_sent_to_log_in(client, negotiation):
    for url in (f"/negotiations/{negotiation.pk}/", "/areas/08/duties/", "/duties/", "/actions/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_duty_board_page_shows_the_rules_and_statuses_in_swedish(
    client, area_coordinator, negotiation
):
    client.force_login(area_coordinator)
    page = client.get("/sv/areas/08/duties/?on=2026-06-01").content.decode()
    assert "Så bestäms statusen" in page
    assert "uppfylld" in page  # Tampere and Nokia met §14
    bad = client.get("/areas/08/duties/?on=not-a-date")
    assert bad.status_code == 200
    assert "Syötä oikea päivämäärä." in bad.content.decode()
