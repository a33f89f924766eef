"""Background work: sending invitations and reminders.

Runs in `manage.py db_worker`, never in a request. A failed message is recorded on its
invitation (visible on the wave page) and retried later with a growing pause.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from .models import Invitation, Wave, unmarked_answered_ids

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
RETRY_PAUSES = [timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1)]
# A recipient is not reminded twice within this time, however the reminders were queued.
REMINDER_GAP = timedelta(hours=12)


def build_message(invitation: Invitation, kind: str) -> EmailMessage:
    wave = invitation.wave
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "wave": wave,
            "survey": wave.survey,
            "url": invitation.answer_url(),
            "closes_at": timezone.localtime(wave.closes_at),
        }
        subject = render_to_string(f"surveys/email/{kind}_subject.txt", context).strip()
        body = render_to_string(f"surveys/email/{kind}.txt", context)
    headers = {"Reply-To": wave.organiser_email} if wave.organiser_email else {}
    return EmailMessage(subject=subject, body=body, to=[invitation.email], headers=headers)


@task()
def send_wave_emails(wave_id: int, kind: str, invitation_ids: list[int]) -> dict[str, int]:
    """Send one kind of message ("invitation" or "reminder") to the given recipients."""
    wave = Wave.objects.select_related("survey").get(pk=wave_id)
    invitations = (
        Invitation.objects.filter(wave=wave, pk__in=invitation_ids, used=False)
        .exclude(pk__in=unmarked_answered_ids(wave.pk))
        # A person erased on request keeps a placeholder address that must not be written to.
        .exclude(email__endswith="@erased.invalid")
        .select_related("organisation", "wave__survey")
        .order_by("pk")
    )
    # The same recipients may be queued twice (a double click, a re-queue after a stopped
    # worker): what was done meanwhile is not done again.
    if kind == "invitation":
        invitations = invitations.exclude(send_status=Invitation.SendStatus.SENT)
    else:
        invitations = invitations.filter(reminders_sent__lt=wave.max_reminders).exclude(
            last_reminded_at__gt=timezone.now() - REMINDER_GAP
        )
    sent = failed = 0
    retry: list[int] = []
    most_attempts = 0
    connection = get_connection()
    try:
        connection.open()
    except Exception:
        logger.exception("Could not connect to the mail server")
    for invitation in invitations:
        invitation.send_attempts += 1
        try:
            connection.send_messages([build_message(invitation, kind)])
        except Exception as exc:
            failed += 1
            invitation.send_status = Invitation.SendStatus.FAILED
            invitation.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            invitation.save(update_fields=["send_status", "last_error", "send_attempts"])
            if invitation.send_attempts < MAX_ATTEMPTS:
                retry.append(invitation.pk)
                most_attempts = max(most_attempts, invitation.send_attempts)
            # A broken connection is reopened for the next recipient.
            try:
                connection.close()
                connection.open()
            except Exception:
                logger.warning("Mail server still unreachable")
            continue
        sent += 1
        now = timezone.now()
        invitation.last_error = ""
        if kind == "reminder":
            invitation.reminders_sent += 1
            invitation.last_reminded_at = now
            # A reminder that got through after a failure puts the recipient back to "sent".
            invitation.send_status = Invitation.SendStatus.SENT
            invitation.save(
                update_fields=[
                    "reminders_sent",
                    "last_reminded_at",
                    "send_status",
                    "last_error",
                    "send_attempts",
                ]
            )
        else:
            invitation.send_status = Invitation.SendStatus.SENT
            invitation.sent_at = now
            invitation.save(update_fields=["send_status", "sent_at", "last_error", "send_attempts"])
    try:
        connection.close()
    except Exception:
        # The messages are out; a failed goodbye to the server does not matter.
        logger.info("Mail connection did not close cleanly")
    if retry:
        pause = RETRY_PAUSES[min(most_attempts, len(RETRY_PAUSES)) - 1]
        send_wave_emails.using(run_after=timezone.now() + pause).enqueue(wave_id, kind, retry)
    return {"sent": sent, "failed": failed, "retrying": len(retry)}
