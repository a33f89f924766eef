"""Forums and meetings: recurring meetings from an RRULE in Helsinki time, the iCalendar feeds
(parsed back with `icalendar`), moved and cancelled meetings in the feed and by e-mail with an
.ics, the national forums loaded from their sources, and who may see and change what."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from conftest import area, municipality
from yhdyspinta.cooperation import services, tasks
from yhdyspinta.cooperation.models import CalendarFeed, Forum, Meeting

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def forum(area_coordinator, tampere_editor, nokia_member):
    return services.create_forum(
        actor=area_coordinator,
        name_fi="Johdon foorumi",
        name_sv="Ledningens forum",
        level="management",
        area=area("08"),
        convener=area("08"),
        is_standing=True,
        member_organisations=[area("08"), municipality("837")],
        members=[tampere_editor, area_coordinator],
    )


def events(body: bytes) -> list:
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


def test_first_friday_of_each_month_at_nine_across_the_summer_time_change(forum, area_coordinator):
    meetings = services.add_series(
        actor=area_coordinator,
        forum=forum,
        rule="FREQ=MONTHLY;BYDAY=1FR;COUNT=6",
        first_starts_at=datetime(2027, 1, 1, 9, tzinfo=HELSINKI),
        duration_minutes=120,
    )
    local = [timezone.localtime(m.starts_at) for m in meetings]
    assert [d.date().isoformat() for d in local] == [
        "2027-01-01", "2027-02-05", "2027-03-05", "2027-04-02", "2027-05-07", "2027-06-04",
    ]  # fmt: skip
    assert {(d.hour, d.minute) for d in local} == {(9, 0)}
    # 9 o'clock is 07:00 UTC in winter and 06:00 UTC in summer (the change: 28 March 2027).
    assert meetings[2].starts_at.astimezone(ZoneInfo("UTC")).hour == 7
    assert meetings[3].starts_at.astimezone(ZoneInfo("UTC")).hour == 6
    assert all(m.ends_at - m.starts_at == (m.ends_at - m.starts_at) for m in meetings)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=MONTHLY;BYDAY=1FR", "ei pääty"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3", "ei anna yhtään kokousta"),
        ("FREQ=SOMETIMES;COUNT=2", "Sääntöä ei voi lukea"),
        ("FREQ=DAILY;COUNT=500", "yli 120 kokousta"),
    ],
)
def test_a_rule_that_never_ends_yields_nothing_or_cannot_be_read_is_refused(
    client, forum, area_coordinator, rule, message
):
    client.force_login(area_coordinator)
    response = client.post(
        f"/forums/{forum.pk}/series/new/",
        {"first_starts_at": "2027-01-08T09:00", "duration_minutes": 120, "rule": rule},
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["rule"])
    assert forum.meetings.count() == 0


def test_a_meeting_that_ends_before_it_starts_is_refused(client, forum, area_coordinator):
    client.force_login(area_coordinator)
    response = client.post(
        f"/forums/{forum.pk}/meetings/new/",
        {"starts_at": "2027-01-08T11:00", "ends_at": "2027-01-08T09:00", "title_fi": "x"},
    )
    assert response.status_code == 200
    assert "Kokouksen on päätyttävä sen alun jälkeen." in response.content.decode()
    assert forum.meetings.count() == 0
    with pytest.raises(ValidationError):
        services.add_meeting(
            actor=area_coordinator,
            forum=forum,
            starts_at=datetime(2027, 1, 8, 11, tzinfo=HELSINKI),
            ends_at=datetime(2027, 1, 8, 11, tzinfo=HELSINKI),
        )


def test_the_feed_holds_the_meetings_in_helsinki_time_and_a_moved_one_keeps_its_uid(
    client, forum, area_coordinator, django_capture_on_commit_callbacks
):
    meetings = services.add_series(
        actor=area_coordinator,
        forum=forum,
        rule="FREQ=MONTHLY;BYDAY=1FR;UNTIL=20270430",
        first_starts_at=datetime(2027, 3, 5, 9, tzinfo=HELSINKI),
        duration_minutes=90,
        place="Tampere",
    )
    feed = services.feed_for(forum=forum)
    body = client.get(f"/calendar/{feed.token}.ics")
    assert body["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(body.content)
    assert len(found) == 2
    march, april = sorted(found, key=lambda e: e.decoded("dtstart"))
    assert march.decoded("dtstart") == datetime(2027, 3, 5, 9, tzinfo=HELSINKI)
    assert april.decoded("dtstart") == datetime(2027, 4, 2, 9, tzinfo=HELSINKI)
    assert april.decoded("dtstart").utcoffset().total_seconds() == 3 * 3600  # summer time
    assert str(march["dtstart"].params["TZID"]) == "Europe/Helsinki"
    assert Calendar.from_ical(body.content).walk("VTIMEZONE")
    uid = str(april["uid"])
    assert int(april["sequence"]) == 0

    # Moved by an hour: the same UID, a higher SEQUENCE; the members get an .ics by e-mail.
    moved = meetings[1]
    with django_capture_on_commit_callbacks(execute=True):
        services.update_meeting(
            actor=area_coordinator,
            meeting=moved,
            starts_at=datetime(2027, 4, 2, 10, tzinfo=HELSINKI),
            ends_at=datetime(2027, 4, 2, 11, 30, tzinfo=HELSINKI),
        )
    again = {str(e["uid"]): e for e in events(client.get(f"/calendar/{feed.token}.ics").content)}
    assert again[uid].decoded("dtstart") == datetime(2027, 4, 2, 10, tzinfo=HELSINKI)
    assert int(again[uid]["sequence"]) == 1
    assert str(again[uid]["status"]) == "CONFIRMED"

    # Cancelled: still in the feed, STATUS:CANCELLED and a higher SEQUENCE.
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(actor=area_coordinator, meeting=moved)
    again = {str(e["uid"]): e for e in events(client.get(f"/calendar/{feed.token}.ics").content)}
    assert str(again[uid]["status"]) == "CANCELLED"
    assert int(again[uid]["sequence"]) == 2


def test_members_get_moved_and_cancelled_meetings_with_an_ics_in_their_language(
    forum, area_coordinator, tampere_editor, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    tampere_editor.preferred_language = "sv"
    tampere_editor.save()
    meeting = Meeting.objects.create(
        forum=forum,
        title="Kokous",
        starts_at=datetime(2027, 5, 7, 9, tzinfo=HELSINKI),
        ends_at=datetime(2027, 5, 7, 11, tzinfo=HELSINKI),
    )
    mail.outbox.clear()
    tasks.send_meeting_notice.call(meeting.pk)  # a new meeting
    services.cancel_meeting(actor=area_coordinator, meeting=meeting)
    meeting.refresh_from_db()
    sent = tasks.send_meeting_notice.call(meeting.pk)
    assert sent == 2  # the two members
    cancelled = [m for m in mail.outbox if m.to == [tampere_editor.email]][-1]
    assert cancelled.subject.startswith("Inställt: Ledningens forum")
    filename, content, mimetype = cancelled.attachments[0]
    assert filename == "meeting.ics"
    assert mimetype == "text/calendar; method=CANCEL"
    cal = Calendar.from_ical(content)
    assert str(cal["method"]) == "CANCEL"
    (event,) = cal.walk("VEVENT")
    assert str(event["uid"]) == f"{meeting.uid}@yhdyspinta"
    assert int(event["sequence"]) == 1


def test_a_renewed_address_ends_the_old_feed(client, forum, area_coordinator):
    old = services.feed_for(forum=forum).token
    assert client.get(f"/calendar/{old}.ics").status_code == 200
    client.force_login(area_coordinator)
    assert client.post(f"/forums/{forum.pk}/calendar/").status_code == 302
    new = CalendarFeed.objects.get(forum=forum).token
    assert new != old
    client.logout()
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_a_persons_feed_holds_the_meetings_of_their_forums(client, forum, tampere_editor):
    Meeting.objects.create(
        forum=forum,
        title="Oma kokous",
        starts_at=datetime(2027, 5, 7, 9, tzinfo=HELSINKI),
        ends_at=datetime(2027, 5, 7, 11, tzinfo=HELSINKI),
    )
    client.force_login(tampere_editor)
    page = client.get("/calendar/")
    feed = CalendarFeed.objects.get(user=tampere_editor)
    assert feed.token in page.content.decode()
    client.post("/calendar/")
    renewed = CalendarFeed.objects.get(user=tampere_editor).token
    assert renewed != feed.token
    body = client.get(f"/calendar/{renewed}.ics").content
    assert [str(e["summary"]) for e in events(body)] == ["Oma kokous"]
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404


def test_the_national_forums_are_loaded_from_their_sources():
    series = Forum.objects.get(key="kuntaliitto-yhdyspintafoorumit-2023")
    assert series.is_public and series.area is None and not series.is_standing
    assert series.convener.name_fi == "Suomen Kuntaliitto ry"
    meetings = list(series.meetings.order_by("starts_at"))
    assert [timezone.localtime(m.starts_at).strftime("%a %d.%m. %H-%M") for m in meetings] == [
        "Fri 25.08. 09-00", "Fri 29.09. 09-00", "Fri 27.10. 09-00", "Fri 24.11. 09-00",
        "Fri 15.12. 09-00",
    ]  # fmt: skip
    assert meetings[1].title_fi == "Palveluverkko, maankäyttö ja kiinteistöt"
    assert "Syksyn 2023 yhdyspintafoorumit" in series.source
    group = Forum.objects.get(key="vm-yhteistyoryhma-2026")
    assert (group.starts_on.isoformat(), group.ends_on.isoformat()) == ("2026-03-13", "2027-03-31")
    assert sorted(o.name_fi for o in group.member_organisations.all()) == [
        "Hyvil Oy", "Opetus- ja kulttuuriministeriö", "Sisäministeriö",
        "Sosiaali- ja terveysministeriö", "Suomen Kuntaliitto ry",
        "Työ- ja elinkeinoministeriö", "Valtiovarainministeriö",
    ]  # fmt: skip


def test_a_public_forum_is_read_by_anyone_but_its_action_items_are_not(
    client, platform_admin, espoo_editor
):
    series = Forum.objects.get(key="kuntaliitto-yhdyspintafoorumit-2023")
    meeting = series.meetings.first()
    action = services.create_action(
        actor=platform_admin,
        parent=meeting,
        title="Julkaistaan tallenne",
        owner_organisation=series.convener,
    )
    assert client.get(f"/forums/{series.pk}/").status_code == 200
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Julkaistaan tallenne" not in page
    assert client.get(f"/actions/{action.pk}/").status_code == 302  # log in first
    client.force_login(espoo_editor)
    assert client.get(f"/actions/{action.pk}/").status_code == 403


@pytest.mark.parametrize(
    ("persona", "read", "edit"),
    [
        ("platform_admin", 200, 200),
        ("area_coordinator", 200, 200),
        ("tampere_editor", 200, 403),  # member organisation's editor, not the convener's
        ("nokia_member", 200, 403),  # the area's people read
        ("espoo_editor", 403, 403),
    ],
)
def test_forum_permissions(client, request, forum, persona, read, edit):
    meeting = Meeting.objects.create(
        forum=forum,
        starts_at=datetime(2027, 5, 7, 9, tzinfo=HELSINKI),
        ends_at=datetime(2027, 5, 7, 11, tzinfo=HELSINKI),
    )
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/forums/{forum.pk}/").status_code == read
    assert client.get(f"/meetings/{meeting.pk}/").status_code == read
    assert client.get(f"/forums/{forum.pk}/edit/").status_code == edit
    assert client.get(f"/meetings/{meeting.pk}/edit/").status_code == edit
    assert client.post(f"/meetings/{meeting.pk}/cancel/").status_code == (
        302 if edit == 200 else 403
    )
    listed = client.get("/forums/").content.decode()
    assert ("Johdon foorumi" in listed) == (read == 200)
