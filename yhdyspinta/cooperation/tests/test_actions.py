"""Action items: made in a meeting or a negotiation, listed in the owner's open actions across
sources, flagged when overdue, closed by the owner, with a comment trail, an audit history and
an XLSX/CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from conftest import area, municipality
from yhdyspinta.cooperation import services
from yhdyspinta.cooperation.models import ActionComment, ActionItem, Meeting

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def meeting(area_coordinator):
    forum = services.create_forum(
        actor=area_coordinator,
        name_fi="Johdon foorumi",
        level="management",
        area=area("08"),
        convener=area("08"),
        is_standing=True,
        member_organisations=[area("08"), municipality("837")],
    )
    return Meeting.objects.create(
        forum=forum,
        title="Tammikuun kokous",
        starts_at=datetime(2027, 1, 8, 9, tzinfo=HELSINKI),
        ends_at=datetime(2027, 1, 8, 11, tzinfo=HELSINKI),
    )


def test_an_item_made_in_a_meeting_is_in_the_owners_open_actions_until_done(
    client, meeting, area_coordinator, tampere_editor
):
    client.force_login(area_coordinator)
    response = client.post(
        f"/meetings/{meeting.pk}/actions/",
        {
            "title": "Kootaan palveluverkon tilatarpeet",
            "owner_organisation": municipality("837").pk,
            "owner_person": tampere_editor.pk,
            "due_on": "2027-02-01",
        },
    )
    assert response.status_code == 302
    action = ActionItem.objects.get()
    assert action.meeting == meeting and action.status == "open"

    # (Signed in inside each travel: the session would not outlive a jump of weeks.)
    with time_machine.travel(datetime(2027, 1, 20, 12, tzinfo=HELSINKI)):
        client.force_login(tampere_editor)
        page = client.get("/actions/").content.decode()
    assert "Kootaan palveluverkon tilatarpeet" in page
    assert "myöhässä" not in page
    with time_machine.travel(datetime(2027, 2, 2, 12, tzinfo=HELSINKI)):
        client.force_login(tampere_editor)
        page = client.get("/actions/").content.decode()
        assert "1 toimenpide on myöhässä." in page
        assert client.get(f"/actions/{action.pk}/").context["overdue"] is True

    # The owner closes it with a comment: it leaves the open actions; the trail stays.
    client.force_login(tampere_editor)
    response = client.post(
        f"/actions/{action.pk}/", {"status": "done", "comment": "Tilatarpeet toimitettu."}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    assert ActionComment.objects.get().author == tampere_editor
    assert "Kootaan palveluverkon" not in client.get("/actions/").content.decode()
    detail = client.get(f"/actions/{action.pk}/").content.decode()
    assert "Tilatarpeet toimitettu." in detail
    assert "muutettu" in detail  # the history: status open -> done


def test_an_item_needs_an_owner_and_the_person_must_belong_to_it(
    client, meeting, area_coordinator, nokia_member
):
    client.force_login(area_coordinator)
    response = client.post(f"/meetings/{meeting.pk}/actions/", {"title": "Ilman omistajaa"})
    assert response.status_code == 400
    assert "Tämä kenttä vaaditaan." in response.content.decode()
    response = client.post(
        f"/meetings/{meeting.pk}/actions/",
        {
            "title": "Väärä henkilö",
            "owner_organisation": municipality("837").pk,
            "owner_person": nokia_member.pk,  # not one of Tampere's people
        },
    )
    assert response.status_code == 400
    assert ActionItem.objects.count() == 0


def test_who_may_change_an_item(client, meeting, area_coordinator, tampere_editor, nokia_member):
    action = services.create_action(
        actor=area_coordinator,
        parent=meeting,
        title="Tehtävä",
        owner_organisation=municipality("837"),
    )
    # Tampere's editor (the owner organisation) may change its status.
    client.force_login(tampere_editor)
    assert client.post(f"/actions/{action.pk}/", {"status": "in_progress"}).status_code == 302
    # Nokia's member reads it (the area's people) but may not change it.
    client.force_login(nokia_member)
    assert client.get(f"/actions/{action.pk}/").status_code == 200
    assert client.post(f"/actions/{action.pk}/", {"status": "dropped"}).status_code == 403
    action.refresh_from_db()
    assert action.status == "in_progress"
    # The owner may not rewrite the task itself; the convener's staff may.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.update_action(actor=tampere_editor, action=action, title="Toinen tehtävä")
    services.update_action(actor=area_coordinator, action=action, due_on=date(2027, 3, 1))


def test_the_open_actions_export_as_xlsx_and_csv(client, meeting, area_coordinator):
    services.create_action(
        actor=area_coordinator,
        parent=meeting,
        title='=HYPERLINK("x")',
        owner_organisation=area("08"),
        owner_person=area_coordinator,
        due_on=date(2027, 2, 1),
    )
    services.create_action(
        actor=area_coordinator,
        parent=meeting,
        title="Valmis jo",
        owner_organisation=area("08"),
    ).status = "done"
    ActionItem.objects.filter(title="Valmis jo").update(status="done")
    client.force_login(area_coordinator)
    response = client.get("/actions/?format=csv")
    assert response["Content-Disposition"].startswith('attachment; filename="open-actions-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Toimenpide", "Lähde", "Vastuuorganisaatio"]
    assert len(rows) == 2
    assert rows[1][0] == '\'=HYPERLINK("x")'  # a formula stays text
    workbook = load_workbook(io.BytesIO(client.get("/actions/?format=xlsx").content))
    sheet = workbook.active
    assert sheet.max_row == 2
    assert sheet.cell(row=2, column=3).value == "Pirkanmaan hyvinvointialue"


def test_our_open_actions_by_organisation_and_only_mine(client, meeting, area_coordinator):
    services.create_action(
        actor=area_coordinator, parent=meeting, title="Alueen", owner_organisation=area("08")
    )
    services.create_action(
        actor=area_coordinator,
        parent=meeting,
        title="Minun",
        owner_organisation=municipality("837"),
        owner_person=None,
    )
    ActionItem.objects.filter(title="Minun").update(owner_person=area_coordinator)
    client.force_login(area_coordinator)
    everything = client.get("/actions/").context["items"]
    assert sorted(a.title for a in everything) == ["Alueen", "Minun"]
    mine = client.get("/actions/?organisation=me").context["items"]
    assert [a.title for a in mine] == ["Minun"]
    county = client.get(f"/actions/?organisation={area('08').pk}").context["items"]
    assert [a.title for a in county] == ["Alueen"]
    # Someone else's organisation in the query is ignored, not shown.
    other = client.get(f"/actions/?organisation={municipality('049').pk}").context["items"]
    assert sorted(a.title for a in other) == ["Alueen", "Minun"]
