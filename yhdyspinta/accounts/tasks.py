"""Background work of accounts: the invitation e-mail, in the recipient's language."""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from . import invitations
from .models import Invitation

logger = logging.getLogger(__name__)


@task()
def send_invitation(invitation_id: int) -> str:
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        return "not pending"
    token = invitations.new_token(invitation)
    provider = invitations.provider_for(invitation.email)
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "role": invitation.get_role_display(),
            "position": invitation.get_position_display(),
            "url": invitations.accept_url(invitation, token),
            "expires_at": timezone.localtime(invitation.expires_at),
            "provider": provider,
            "inviter": invitation.invited_by,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[invitation.email])
    if invitation.invited_by and invitation.invited_by.email:
        message.reply_to = [invitation.invited_by.email]
    try:
        message.send()
    except Exception as exc:  # an SMTP failure of any kind is recorded on the invitation
        logger.warning("Invitation %s could not be sent: %s", invitation.pk, type(exc).__name__)
        invitation.send_error = f"{type(exc).__name__}: {exc}"[:500]
        invitation.save(update_fields=["send_error"])
        raise
    invitation.sent_at = timezone.now()
    invitation.send_error = ""
    invitation.save(update_fields=["sent_at", "send_error"])
    return "sent"
