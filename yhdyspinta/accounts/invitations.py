"""Inviting people to an organisation and accepting an invitation.

Every change checks the rules in `permissions` (who may manage whose people, which roles they
may give) and is written to the audit log. The e-mail goes out from the background worker
(`tasks.send_invitation`); the link's token is made there and only its digest is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yhdyspinta.core import audit
from yhdyspinta.registry.models import Organisation

from . import access, permissions
from .models import IdentityProvider, Invitation, Membership, User


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(invitation: Invitation) -> str:
    """A fresh link token for the invitation; the earlier link stops working."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_digest(token)
    invitation.save(update_fields=["token_hash"])
    return token


def accept_url(invitation: Invitation, token: str) -> str:
    with translation.override(invitation.language):
        path = reverse("accounts:invitation", kwargs={"token": token})
    return f"{settings.SITE_URL}{path}"


def provider_for(email: str) -> IdentityProvider | None:
    """The identity provider that serves the address's domain, if any is configured."""
    for provider in IdentityProvider.objects.filter(is_active=True):
        if provider.serves(email):
            return provider
    return None


def check_may_give(actor: Any, organisation: Organisation, role: str) -> None:
    access.check_manages_people(actor, organisation)
    if role not in permissions.grantable_roles(actor, organisation):
        raise PermissionDenied(
            _("You cannot give the role “%(role)s”: it is above your own in this organisation.")
            % {"role": Membership.Role(role).label}
        )


def clean_invitation(
    *, organisation: Organisation, email: str, position: str, role: str, language: str
) -> str:
    """The address, normalised; a ValidationError naming the field for anything wrong."""
    email = (email or "").strip().lower()
    errors: dict[str, str] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid e-mail address.")
    if position not in Membership.Position.values:
        errors["position"] = _("Choose one of the positions.")
    if role not in Membership.Role.values:
        errors["role"] = _("Choose one of the permission roles.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose fi, sv or en.")
    if not organisation.is_active:
        errors["organisation"] = _("The organisation no longer exists.")
    if "email" not in errors:
        if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
            errors["email"] = _("%(email)s is already a member of %(organisation)s.") % {
                "email": email,
                "organisation": organisation,
            }
        elif pending(organisation).filter(email__iexact=email).exists():
            errors["email"] = _("%(email)s already has a pending invitation here.") % {
                "email": email
            }
    if errors:
        raise ValidationError(errors)
    return email


def pending(organisation: Organisation):
    return Invitation.objects.filter(
        organisation=organisation,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


@transaction.atomic
def invite(
    *,
    actor: Any,
    organisation: Organisation,
    email: str,
    position: str,
    role: str = Membership.Role.MEMBER,
    name: str = "",
    language: str = "fi",
    send: bool = True,
) -> Invitation:
    check_may_give(actor, organisation, role)
    email = clean_invitation(
        organisation=organisation, email=email, position=position, role=role, language=language
    )
    invitation = Invitation.objects.create(
        email=email,
        name=name.strip()[:200],
        organisation=organisation,
        position=position,
        role=role,
        language=language,
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    changes = {"email": [None, email], "role": [None, role], "position": [None, position]}
    audit.record(obj=invitation, action="invited", actor=actor, changes=changes)
    audit.record(obj=organisation, action="person invited", actor=actor, changes=changes)
    if send:
        queue(invitation)
    return invitation


def queue(invitation: Invitation) -> None:
    from .tasks import send_invitation

    invitation_id = invitation.pk
    transaction.on_commit(lambda: send_invitation.enqueue(invitation_id))


@transaction.atomic
def resend(*, actor: Any, invitation: Invitation) -> Invitation:
    """A new link, valid again for the full time; the earlier link stops working."""
    check_may_give(actor, invitation.organisation, invitation.role)
    if invitation.status in (Invitation.Status.ACCEPTED, Invitation.Status.REVOKED):
        raise ValidationError(_("This invitation is no longer open; invite the person again."))
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.token_hash = ""
    invitation.save(update_fields=["expires_at", "token_hash"])
    audit.record(obj=invitation, action="resent", actor=actor)
    audit.record(
        obj=invitation.organisation,
        action="invitation resent",
        actor=actor,
        changes={"email": [invitation.email, invitation.email]},
    )
    queue(invitation)
    return invitation


@transaction.atomic
def revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    check_may_give(actor, invitation.organisation, invitation.role)
    if invitation.status == Invitation.Status.ACCEPTED:
        raise ValidationError(_("This invitation was already accepted; end the membership."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.record(obj=invitation, action="revoked", actor=actor)
        audit.record(
            obj=invitation.organisation,
            action="invitation revoked",
            actor=actor,
            changes={"email": [invitation.email, None]},
        )
    return invitation


def find(token: str) -> Invitation:
    """The invitation a link names, if it can still be accepted; else a ValidationError that
    says why (used, revoked, expired, unknown)."""
    invitation = (
        Invitation.objects.select_related("organisation").filter(token_hash=token_digest(token))
        if token
        else Invitation.objects.none()
    ).first()
    if invitation is None:
        raise ValidationError(
            _("This invitation link is not valid. It may have been replaced by a newer one.")
        )
    status = invitation.status
    if status == Invitation.Status.ACCEPTED:
        raise ValidationError(_("This invitation has already been used. Log in instead."))
    if status == Invitation.Status.REVOKED:
        raise ValidationError(_("This invitation was withdrawn."))
    if status == Invitation.Status.EXPIRED:
        raise ValidationError(
            _("This invitation expired. Ask the person who invited you to send it again.")
        )
    return invitation


@transaction.atomic
def accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    password: str = "",
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Join the organisation. An existing account (signed in as the invited address) gets the
    membership; otherwise a new account is made with the given password."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("This invitation can no longer be used."))
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if user is not None:
        if user.email.lower() != invitation.email.lower():
            raise ValidationError(
                _("This invitation is for %(email)s; you are signed in as someone else.")
                % {"email": invitation.email}
            )
    elif existing is not None and existing.has_usable_password():
        raise ValidationError(
            _("An account for %(email)s exists: log in first, then open the link again.")
            % {"email": invitation.email}
        )
    else:
        user = existing or User(email=invitation.email, preferred_language=invitation.language)
        if not first_name.strip() or not last_name.strip():
            raise ValidationError(
                {
                    key: _("This field is required.")
                    for key, value in (("first_name", first_name), ("last_name", last_name))
                    if not value.strip()
                }
            )
        user.first_name, user.last_name = first_name.strip(), last_name.strip()
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password1": exc.messages}) from exc
        user.set_password(password)
        user.is_active = True
        user.save()
    return _join(invitation, user)


def _join(invitation: Invitation, user: User) -> Membership:
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    membership, _created = Membership.objects.get_or_create(
        user=user,
        organisation=invitation.organisation,
        defaults={"position": invitation.position, "role": invitation.role},
    )
    # The digest stays, so that the used link says it was used.
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(obj=invitation, action="accepted", actor=user)
    changes = {
        "person": [None, str(user)],
        "role": [None, membership.role],
        "position": [None, membership.position],
    }
    audit.record(obj=membership, action="joined", actor=user, changes=changes)
    audit.record(obj=invitation.organisation, action="person joined", actor=user, changes=changes)
    return membership


@transaction.atomic
def accept_through_provider(*, invitation: Invitation, email: str, verified: bool) -> User:
    """The invited person signed in at their organisation's provider: the provider vouched for
    the address, so the account is made (with no password) and the membership given."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("This invitation can no longer be used."))
    if not verified or email.lower() != invitation.email.lower():
        raise ValidationError(
            _("Your organisation's service signed you in as another address than the invited.")
        )
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=invitation.email, preferred_language=invitation.language)
        user.set_unusable_password()
        user.save()
    _join(invitation, user)
    return user
