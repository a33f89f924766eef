"""Who may read and change negotiations, forums, meetings, action items and agreements.

Built on the rules of `accounts.permissions`, with the same meaning everywhere:
- the convener's staff (its editors and coordinators, and the platform's staff) plan and
  record a negotiation or a forum's meetings;
- the people of the area, and of every party or member organisation, read them;
- a public forum (the national ones) and its meetings are read by anyone;
- an action item is also updated by its owner organisation's editors and its owner person;
- an area's agreement is read by the area's people and kept by the county's staff.
The `get_..._for_user` functions raise Http404 for what does not exist and PermissionDenied,
with a message, for what the user may not use.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from yhdyspinta.accounts import permissions
from yhdyspinta.accounts.access import is_platform_admin
from yhdyspinta.accounts.permissions import AnyUser
from yhdyspinta.registry.models import Organisation

from .models import ActionItem, Agreement, Forum, Meeting, Negotiation


def _organisation_ids(user: AnyUser) -> set[int]:
    return permissions.organisation_ids(user)


def _editable_ids(user: AnyUser) -> set[int]:
    return permissions.organisation_ids(user, editing=True)


# --- Negotiations -----------------------------------------------------------------------


def can_plan_negotiations(user: AnyUser, area: Organisation) -> bool:
    """The county's editors and coordinators (the convener by law for hyte), and staff."""
    return permissions.can_edit_organisation(user, area)


def can_read_negotiation(user: AnyUser, negotiation: Negotiation) -> bool:
    if permissions.can_read_area(user, negotiation.area):
        return True
    mine = _organisation_ids(user)
    return bool(mine) and negotiation.parties.filter(pk__in=mine).exists()


def can_edit_negotiation(user: AnyUser, negotiation: Negotiation) -> bool:
    return permissions.can_edit_organisation(user, negotiation.convener)


def readable_negotiations(user: AnyUser) -> QuerySet[Negotiation]:
    areas = permissions.readable_area_ids(user)
    if areas is None:
        return Negotiation.objects.all()
    return Negotiation.objects.filter(
        Q(area_id__in=areas) | Q(parties__in=_organisation_ids(user))
    ).distinct()


def get_negotiation_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> Negotiation:
    negotiation = Negotiation.objects.select_related("area", "convener").filter(pk=pk).first()
    if negotiation is None:
        raise Http404(_("There is no such negotiation."))
    if edit:
        if not can_edit_negotiation(user, negotiation):
            raise PermissionDenied(
                _("Only the convener's editors and coordinators may change this.")
            )
    elif not can_read_negotiation(user, negotiation):
        raise PermissionDenied(_("This is shown to the people of the area and of the parties."))
    return negotiation


# --- Forums and meetings ------------------------------------------------------------------


def can_read_forum(user: AnyUser, forum: Forum) -> bool:
    if forum.is_public or is_platform_admin(user):
        return True
    if forum.area_id and permissions.can_read_area(user, forum.area):
        return True
    mine = _organisation_ids(user)
    if forum.convener_id in mine:
        return True
    if mine and forum.member_organisations.filter(pk__in=mine).exists():
        return True
    return user.is_authenticated and forum.members.filter(pk=user.pk).exists()


def can_edit_forum(user: AnyUser, forum: Forum) -> bool:
    return permissions.can_edit_organisation(user, forum.convener)


def can_add_forums(user: AnyUser) -> bool:
    return is_platform_admin(user) or bool(_editable_ids(user))


def readable_forums(user: AnyUser) -> QuerySet[Forum]:
    areas = permissions.readable_area_ids(user)
    if areas is None:
        return Forum.objects.all()
    mine = _organisation_ids(user)
    condition = (
        Q(is_public=True)
        | Q(area_id__in=areas)
        | Q(convener_id__in=mine)
        | Q(member_organisations__in=mine)
    )
    if user.is_authenticated:
        condition |= Q(members=user)
    return Forum.objects.filter(condition).distinct()


def get_forum_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> Forum:
    forum = Forum.objects.select_related("area", "convener").filter(pk=pk).first()
    if forum is None:
        raise Http404(_("There is no such forum."))
    if edit:
        if not can_edit_forum(user, forum):
            raise PermissionDenied(
                _("Only the convener's editors and coordinators may change this.")
            )
    elif not can_read_forum(user, forum):
        raise PermissionDenied(_("This forum is shown to its members and the area's people."))
    return forum


def get_meeting_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> Meeting:
    meeting = Meeting.objects.select_related("forum", "forum__convener").filter(pk=pk).first()
    if meeting is None:
        raise Http404(_("There is no such meeting."))
    get_forum_for_user(user, meeting.forum_id, edit=edit)
    return meeting


# --- Action items ----------------------------------------------------------------------


def can_read_action(user: AnyUser, action: ActionItem) -> bool:
    if action.owner_person_id and action.owner_person_id == getattr(user, "pk", None):
        return True
    if action.owner_organisation_id in _organisation_ids(user):
        return True
    if action.negotiation_id:
        return can_read_negotiation(user, action.negotiation)
    forum = action.meeting.forum
    # A public forum's meetings are public; its action items are for its people only.
    return (not forum.is_public or user.is_authenticated) and (
        is_platform_admin(user)
        or (forum.area_id is not None and permissions.can_read_area(user, forum.area))
        or forum.convener_id in _organisation_ids(user)
        or forum.member_organisations.filter(pk__in=_organisation_ids(user)).exists()
        or (user.is_authenticated and forum.members.filter(pk=user.pk).exists())
    )


def can_manage_actions_of(user: AnyUser, parent: Negotiation | Meeting) -> bool:
    """Add action items to, and change every action item of, a negotiation or meeting."""
    if isinstance(parent, Negotiation):
        return can_edit_negotiation(user, parent)
    return can_edit_forum(user, parent.forum)


def can_update_action(user: AnyUser, action: ActionItem) -> bool:
    """Change the status and comment: the source's staff, the owner's editors, the owner."""
    if action.owner_person_id and action.owner_person_id == getattr(user, "pk", None):
        return True
    if permissions.can_edit_organisation(user, action.owner_organisation):
        return True
    return can_manage_actions_of(user, action.source)


def get_action_for_user(user: AnyUser, pk: int, *, update: bool = False) -> ActionItem:
    action = (
        ActionItem.objects.select_related(
            "negotiation", "negotiation__area", "negotiation__convener", "meeting",
            "meeting__forum", "meeting__forum__convener", "owner_organisation", "owner_person",
        )
        .filter(pk=pk)
        .first()
    )  # fmt: skip
    if action is None:
        raise Http404(_("There is no such action item."))
    if update:
        if not can_update_action(user, action):
            raise PermissionDenied(
                _(
                    "Only the owner, the owner organisation's editors and the convener may change "
                    "this."
                )
            )
    elif not can_read_action(user, action):
        raise PermissionDenied(
            _("This action item is shown to the people of its negotiation or forum.")
        )
    return action


# --- Agreements --------------------------------------------------------------------------


def can_edit_agreement(user: AnyUser, agreement: Agreement) -> bool:
    return permissions.can_edit_organisation(user, agreement.area)


def get_agreement_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> Agreement:
    agreement = Agreement.objects.select_related("area").filter(pk=pk).first()
    if agreement is None:
        raise Http404(_("There is no such agreement."))
    if edit:
        if not can_edit_agreement(user, agreement):
            raise PermissionDenied(_("Only the county's editors and coordinators may change this."))
    elif not permissions.can_read_area(user, agreement.area):
        raise PermissionDenied(_("This is shown to the people of the area's organisations."))
    return agreement
