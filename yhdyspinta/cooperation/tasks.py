"""Background work of the cooperation app, run by `manage.py db_worker`, never in a request.

- `send_duty_reminders` (daily, queued by `manage.py send_duty_reminders`): when an area's
  §14 or hyte duty is still open for some municipality within the warning window before the
  period ends, the county's coordinators get one message per area, duty and period, in their
  own language.
- `send_meeting_notice` / `send_series_notice`: a forum's members get a new, moved or
  cancelled meeting by e-mail with an .ics attachment their calendar reads.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from yhdyspinta.accounts.models import Membership, User

from . import calendar, duties
from .models import DutyReminder, Meeting

logger = logging.getLogger(__name__)


def _language(user: User) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def area_coordinators(area) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=area,
            memberships__role=Membership.Role.AREA_COORDINATOR,
        )
        .exclude(email="")
        .distinct()
        .order_by("email")
    )


def reminder_message(user: User, report: duties.AreaDuties, duty: str) -> EmailMessage:
    with translation.override(_language(user)):
        period = report.periods[duty]
        context = {
            "user": user,
            "area": report.area,
            "duty": duties.DUTY_LABELS[duty],
            "period": period,
            "days_left": period.days_left(report.on),
            "open": [row.municipality for row in report.due_soon(duty)],
            "board_url": settings.SITE_URL + reverse("cooperation:duties", args=[report.area.code]),
        }
        subject = render_to_string("cooperation/email/duty_reminder_subject.txt", context)
        body = render_to_string("cooperation/email/duty_reminder.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[user.email])


@task()
def send_duty_reminders() -> dict[str, int]:
    on = timezone.localdate()
    national = duties.national_duties(on)
    sent = failed = 0
    for report in national.areas:
        for duty in duties.DUTIES:
            if not duties.reminder_due(report, duty, on):
                continue
            period = report.periods[duty]
            try:
                with transaction.atomic():
                    DutyReminder.objects.create(area=report.area, duty=duty, period=period.name)
            except IntegrityError:
                continue  # already sent for this period
            for user in area_coordinators(report.area):
                try:
                    reminder_message(user, report, duty).send()
                    sent += 1
                except Exception:
                    failed += 1
                    logger.exception("Duty reminder to user %s failed", user.pk)
    return {"sent": sent, "failed": failed}


def meeting_message(user: User, meeting: Meeting) -> EmailMessage:
    with translation.override(_language(user)):
        context = {
            "user": user,
            "meeting": meeting,
            "forum": meeting.forum,
            "starts": timezone.localtime(meeting.starts_at),
            "ends": timezone.localtime(meeting.ends_at),
            "url": settings.SITE_URL + meeting.get_absolute_url(),
            "changed": meeting.sequence > 0,
        }
        subject = render_to_string("cooperation/email/meeting_subject.txt", context)
        body = render_to_string("cooperation/email/meeting.txt", context)
    message = EmailMessage(subject=" ".join(subject.split()), body=body, to=[user.email])
    method = "CANCEL" if meeting.is_cancelled else "REQUEST"
    message.attach("meeting.ics", calendar.invitation(meeting), f"text/calendar; method={method}")
    return message


def _send_meeting(meeting: Meeting) -> int:
    sent = 0
    for user in meeting.forum.members.filter(is_active=True).exclude(email=""):
        try:
            meeting_message(user, meeting).send()
            sent += 1
        except Exception:
            logger.exception("Meeting notice to user %s failed", user.pk)
    return sent


@task()
def send_meeting_notice(meeting_id: int) -> int:
    meeting = Meeting.objects.select_related("forum").filter(pk=meeting_id).first()
    return _send_meeting(meeting) if meeting else 0


@task()
def send_series_notice(meeting_ids: list[int]) -> int:
    """One message per member for a new series, its meetings in one .ics (METHOD:PUBLISH)."""
    meetings = list(Meeting.objects.select_related("forum").filter(pk__in=meeting_ids))
    if not meetings:
        return 0
    forum = meetings[0].forum
    attachment = calendar.calendar(meetings, name=forum.name, method="PUBLISH")
    sent = 0
    for user in forum.members.filter(is_active=True).exclude(email=""):
        with translation.override(_language(user)):
            context = {
                "user": user,
                "forum": forum,
                "meetings": [timezone.localtime(m.starts_at) for m in meetings],
                "url": settings.SITE_URL + forum.get_absolute_url(),
            }
            subject = render_to_string("cooperation/email/series_subject.txt", context)
            body = render_to_string("cooperation/email/series.txt", context)
        message = EmailMessage(subject=" ".join(subject.split()), body=body, to=[user.email])
        message.attach("meetings.ics", attachment, "text/calendar; method=PUBLISH")
        try:
            message.send()
            sent += 1
        except Exception:
            logger.exception("Series notice to user %s failed", user.pk)
    return sent
