"""Managing an organisation's people: roles, ending a membership, a person who has left, and
inviting many at once.

The rules (in accounts.permissions): an organisation's editors and its area's coordinators
manage its people (platform staff everywhere); nobody gives or takes away a role above their
own, nor raises their own. Every change is in the audit log. A person who has left keeps no
access: their entries in the division of work turn vacant, what they still had open is listed
for handover, and with no membership left their account is closed and signed out everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from allauth.usersessions.models import UserSession
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from yhdyspinta.accounts import access, invitations, permissions
from yhdyspinta.accounts.models import Invitation, Membership, User
from yhdyspinta.cooperation.models import ActionItem
from yhdyspinta.core import audit
from yhdyspinta.core.tables import ImportRejected, RowError, read_table
from yhdyspinta.registry.models import Organisation
from yhdyspinta.responsibilities import services as responsibility_services
from yhdyspinta.responsibilities.models import Contact
from yhdyspinta.surveys.models import Invitation as SurveyInvitation

RANK = permissions.ROLE_RANK
# The organisation's audit entries that make its people page's history.
PEOPLE_ACTIONS = (
    "person invited",
    "invitation resent",
    "invitation revoked",
    "person joined",
    "membership changed",
    "membership ended",
    "person left",
)


def people_history(organisation: Organisation):
    return audit.history(organisation).filter(action__in=PEOPLE_ACTIONS)[:200]


def check_manages(actor: Any, membership: Membership) -> None:
    organisation = membership.organisation
    access.check_manages_people(actor, organisation)
    if RANK[membership.role] > permissions.people_rank(actor, organisation):
        raise PermissionDenied(
            _("%(person)s's role is above yours in this organisation; you cannot change it.")
            % {"person": membership.user}
        )


@transaction.atomic
def change_membership(
    *, actor: Any, membership: Membership, role: str, position: str
) -> Membership:
    check_manages(actor, membership)
    errors = {}
    if role not in Membership.Role.values:
        errors["role"] = _("Choose one of the permission roles.")
    if position not in Membership.Position.values:
        errors["position"] = _("Choose one of the positions.")
    if errors:
        raise ValidationError(errors)
    if role not in permissions.grantable_roles(actor, membership.organisation):
        raise PermissionDenied(
            _("You cannot give the role “%(role)s”: it is above your own in this organisation.")
            % {"role": Membership.Role(role).label}
        )
    if membership.user_id == getattr(actor, "pk", None) and RANK[role] > RANK[membership.role]:
        raise PermissionDenied(_("Nobody can raise their own role; ask another coordinator."))
    changes = audit.update(membership, {"role": role, "position": position}, actor=actor)
    if changes:
        audit.record(
            obj=membership.organisation,
            action="membership changed",
            actor=actor,
            changes={"person": [str(membership.user), str(membership.user)], **changes},
        )
    return membership


@dataclass
class Handover:
    """What a leaving person still had open, for someone else to take over."""

    actions: list[ActionItem] = field(default_factory=list)
    survey_invitations: list[SurveyInvitation] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)


def handover(membership: Membership) -> Handover:
    user, organisation = membership.user, membership.organisation
    now = timezone.now()
    return Handover(
        actions=list(
            ActionItem.objects.filter(
                owner_person=user, status__in=ActionItem.OPEN_STATUSES
            ).select_related("owner_organisation")
        ),
        # Only still open waves, and nothing about answers: whether the person answered is
        # not shown (an anonymous wave must not tell).
        survey_invitations=list(
            SurveyInvitation.objects.filter(
                Q(user=user) | Q(email__iexact=user.email),
                organisation=organisation,
                wave__closes_at__gt=now,
            ).select_related("wave__survey")
        ),
        contacts=list(
            Contact.objects.filter(
                Q(user=user) | Q(email__iexact=user.email),
                organisation=organisation,
                left_on__isnull=True,
            )
        ),
    )


@dataclass
class Ending:
    handover: Handover
    account_closed: bool
    sessions_ended: int


@transaction.atomic
def end_membership(*, actor: Any, membership: Membership, has_left: bool = False) -> Ending:
    """End a membership; with `has_left`, the person left the organisation: their entries in
    the division of work show vacant from today (the responsibilities rule)."""
    check_manages(actor, membership)
    user = membership.user
    open_items = handover(membership)
    if has_left:
        for contact in open_items.contacts:
            responsibility_services.record_left(actor=actor, contact=contact)
    audit.record(
        obj=membership,
        action="left the organisation" if has_left else "membership ended",
        actor=actor,
        changes={
            "organisation": [str(membership.organisation), None],
            "role": [membership.role, None],
        },
    )
    audit.record(
        obj=membership.organisation,
        action="person left" if has_left else "membership ended",
        actor=actor,
        changes={"person": [str(user), None], "role": [membership.role, None]},
    )
    audit.record(
        obj=user,
        action="left the organisation" if has_left else "membership ended",
        actor=actor,
        changes={"organisation": [str(membership.organisation), None]},
    )
    membership.delete()
    closed, ended = False, 0
    if not user.memberships.exists() and not user.is_staff:
        ended = close_account(actor=actor, user=user)
        closed = True
    return Ending(handover=open_items, account_closed=closed, sessions_ended=ended)


def close_account(*, actor: Any, user: User) -> int:
    """No organisation left: the account is deactivated and signed out everywhere."""
    ended = end_sessions(user)
    Token.objects.filter(user=user).delete()
    audit.update(user, {"is_active": False}, actor=actor)
    return ended


def end_sessions(user: User) -> int:
    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        session.end()
    return len(sessions)


# Bulk invitations: one row per person, all or nothing.
IMPORT_COLUMNS = ("email", "organisation", "position", "role", "name", "language")
REQUIRED_COLUMNS = ("email", "organisation", "position")


def _organisation(value: str) -> tuple[Organisation | None, str]:
    value = value.strip()
    if not value:
        return None, _("Give the organisation's official code.")
    found = list(Organisation.objects.active().filter(code=value)[:3])
    if not found:
        return None, _("No organisation has the code %(code)s.") % {"code": value}
    if len(found) > 1:
        kinds = ", ".join(str(o) for o in found)
        return None, _("Several organisations have the code %(code)s (%(kinds)s).") % {
            "code": value,
            "kinds": kinds,
        }
    return found[0], ""


@transaction.atomic
def bulk_invite(*, actor: Any, name: str, content: bytes) -> list[Invitation]:
    rows = read_table(name, content, required=REQUIRED_COLUMNS, allowed=IMPORT_COLUMNS)
    errors: list[RowError] = []
    planned: list[dict[str, Any]] = []
    seen: set[tuple[str, int]] = set()
    for row in rows:
        organisation, problem = _organisation(row.get("organisation", ""))
        if problem:
            errors.append(RowError(row.line, "organisation", problem))
            continue
        role = (row.get("role") or Membership.Role.MEMBER).strip()
        language = (row.get("language") or "fi").strip().lower()
        email = (row.get("email") or "").strip().lower()
        try:
            invitations.check_may_give(actor, organisation, role if role in RANK else "member")
        except PermissionDenied as exc:
            manages = permissions.can_manage_people(actor, organisation)
            errors.append(RowError(row.line, "role" if manages else "organisation", str(exc)))
            continue
        try:
            email = invitations.clean_invitation(
                organisation=organisation,
                email=email,
                position=(row.get("position") or "").strip(),
                role=role,
                language=language,
            )
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                errors.extend(RowError(row.line, column, message) for message in messages)
            continue
        if (email, organisation.pk) in seen:
            errors.append(
                RowError(row.line, "email", _("The same person twice for one organisation."))
            )
            continue
        seen.add((email, organisation.pk))
        planned.append(
            {
                "organisation": organisation,
                "email": email,
                "position": row["position"].strip(),
                "role": role,
                "name": (row.get("name") or "").strip(),
                "language": language,
            }
        )
    if errors:
        raise ImportRejected(errors)
    if not planned:
        raise ImportRejected([RowError(2, "", _("The file has no rows to import."))])
    return [invitations.invite(actor=actor, **values) for values in planned]
