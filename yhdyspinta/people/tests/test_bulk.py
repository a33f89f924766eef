"""Inviting many from a file: all or nothing, every bad row by row and column."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from yhdyspinta.accounts.models import Invitation

pytestmark = pytest.mark.django_db

HEADER = "email,organisation,position,role,name,language\n"


def upload(client, text: str, name="kutsut.csv"):
    return client.post(
        "/people/import/", {"file": SimpleUploadedFile(name, text.encode(), "text/csv")}
    )


def test_a_coordinator_invites_people_of_the_areas_organisations(client, area_coordinator):
    client.force_login(area_coordinator)
    response = upload(
        client,
        HEADER + "aino@tampere.example,837,manager,editor,Aino A,fi\n"
        "bo@nokia.example,536,official,,Bo B,sv\n",
    )
    assert response.status_code == 302
    invitations = {i.email: i for i in Invitation.objects.all()}
    assert invitations["aino@tampere.example"].role == "editor"
    assert invitations["bo@nokia.example"].role == "member"
    assert invitations["bo@nokia.example"].language == "sv"


def test_every_bad_row_is_reported_and_nothing_is_invited(client, area_coordinator, tampere_editor):
    client.force_login(area_coordinator)
    response = upload(
        client,
        HEADER + "aino@tampere.example,837,manager,editor,,fi\n"  # fine
        "not-an-address,837,manager,member,,fi\n"  # 3: email
        "x@espoo.example,049,manager,member,,fi\n"  # 4: another area
        "y@tampere.example,837,boss,member,,fi\n"  # 5: position
        "z@tampere.example,999,manager,member,,fi\n"  # 6: no such code
        f"{tampere_editor.email},837,manager,member,,fi\n"  # 7: already a member
        "aino@tampere.example,837,manager,member,,fi\n"  # 8: twice
        "w@tampere.example,837,manager,member,,de\n",  # 9: language
    )
    assert response.status_code == 400
    errors = [(e.row, e.column) for e in response.context["errors"]]
    assert errors == [
        (3, "email"),
        (4, "organisation"),
        (5, "position"),
        (6, "organisation"),
        (7, "email"),
        (8, "email"),
        (9, "language"),
    ]
    assert not Invitation.objects.exists()


def test_an_editor_may_not_give_coordinator_in_a_file(client, tampere_editor):
    client.force_login(tampere_editor)
    response = upload(client, HEADER + "aino@tampere.example,837,manager,area_coordinator,,fi\n")
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["errors"]] == [(2, "role")]
    assert not Invitation.objects.exists()


def test_an_xlsx_file_works_too(client, area_coordinator):
    book = Workbook()
    sheet = book.active
    sheet.append(["email", "organisation", "position"])
    sheet.append(["aino@tampere.example", "837", "manager"])
    content = io.BytesIO()
    book.save(content)
    client.force_login(area_coordinator)
    response = client.post(
        "/people/import/",
        {"file": SimpleUploadedFile("kutsut.xlsx", content.getvalue())},
    )
    assert response.status_code == 302
    assert Invitation.objects.get().organisation.code == "837"


def test_a_member_cannot_open_the_import(client, nokia_member):
    client.force_login(nokia_member)
    assert client.get("/people/import/").status_code == 403
