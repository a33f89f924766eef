"""Meetings as iCalendar (RFC 5545), made with the `icalendar` library.

Each meeting is one VEVENT with a UID that never changes and a SEQUENCE that goes up when its
time, place or status changes, so that Outlook and other calendars update the event they
already hold; a cancelled meeting stays in the feed with STATUS:CANCELLED. Times are written
in Europe/Helsinki with the time zone's definition, so they stay right across summer time.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText

from .models import Meeting

PRODID = "-//Yhdyspinta//Meetings//FI"


def uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@yhdyspinta"


def event(meeting: Meeting) -> Event:
    item = Event()
    item.add("uid", uid(meeting))
    item.add("sequence", meeting.sequence)
    item.add("dtstamp", meeting.updated_at or timezone.now())
    item.add("dtstart", timezone.localtime(meeting.starts_at))
    item.add("dtend", timezone.localtime(meeting.ends_at))
    item.add("summary", meeting.title or meeting.forum.name)
    item.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    location = ", ".join(part for part in (meeting.place, meeting.online_url) if part)
    if location:
        item.add("location", vText(location))
    if meeting.agenda:
        item.add("description", meeting.agenda)
    item.add("url", settings.SITE_URL + meeting.get_absolute_url())
    item.add("organizer", f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    return item


def calendar(meetings: Iterable[Meeting], *, name: str, method: str | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    if method:
        cal.add("method", method)
    for meeting in meetings:
        cal.add_component(event(meeting))
    cal.add_missing_timezones()
    return cal.to_ical()


def invitation(meeting: Meeting) -> bytes:
    """An e-mail attachment: REQUEST for a new or moved meeting, CANCEL for a cancelled one."""
    return calendar(
        [meeting],
        name=meeting.forum.name,
        method="CANCEL" if meeting.is_cancelled else "REQUEST",
    )
