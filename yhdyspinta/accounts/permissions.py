"""Who may read and change what. Every view and API endpoint asks these functions.

The rules:
- platform administrators (the association's staff) read and change everything;
- an area coordinator manages their area's shared data and reads everything in it;
- an organisation editor changes their own organisation's data;
- a member reads the non-public data of the areas their organisations belong to.
The registry itself (names, codes, links) is public.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from yhdyspinta.registry.models import Organisation

from .models import Membership, User

AnyUser = User | AnonymousUser


def _memberships(user: AnyUser) -> list[Membership]:
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_membership_cache", None)
    if cached is None:
        cached = list(user.memberships.select_related("organisation"))
        user._membership_cache = cached
    return cached


def organisation_ids(user: AnyUser, *, editing: bool = False) -> set[int]:
    """The organisations the user belongs to (with `editing`: as an editor or coordinator)."""
    roles = (Membership.Role.EDITOR, Membership.Role.AREA_COORDINATOR)
    return {m.organisation_id for m in _memberships(user) if not editing or m.role in roles}


def readable_area_ids(user: AnyUser) -> set[int] | None:
    """The areas whose non-public data the user may read; None means every area."""
    if getattr(user, "is_platform_admin", False):
        return None
    ids: set[int] = set()
    for membership in _memberships(user):
        ids |= membership.organisation.area_ids()
    return ids


def managed_area_ids(user: AnyUser) -> set[int] | None:
    """The areas whose shared data the user manages; None means every area."""
    if getattr(user, "is_platform_admin", False):
        return None
    ids: set[int] = set()
    for membership in _memberships(user):
        if membership.role == Membership.Role.AREA_COORDINATOR:
            ids |= membership.organisation.area_ids()
    return ids


def can_read_area_data(user: AnyUser, organisation: Organisation) -> bool:
    """May the user see the non-public data (people, contacts) of this organisation?"""
    areas = readable_area_ids(user)
    if areas is None:
        return True
    if any(m.organisation_id == organisation.pk for m in _memberships(user)):
        return True
    return bool(areas & organisation.area_ids())


def can_edit_organisation(user: AnyUser, organisation: Organisation) -> bool:
    """May the user change this organisation's own data (description, contacts)?"""
    if getattr(user, "is_platform_admin", False):
        return True
    return any(
        m.organisation_id == organisation.pk
        and m.role in (Membership.Role.EDITOR, Membership.Role.AREA_COORDINATOR)
        for m in _memberships(user)
    )


def can_add_organisations(user: AnyUser) -> bool:
    """Platform administrators add organisations anywhere, coordinators within their areas."""
    managed = managed_area_ids(user)
    return managed is None or bool(managed)


def area_choices_for(user: AnyUser) -> QuerySet[Organisation]:
    """The areas a user may attach a new organisation to."""
    areas = Organisation.objects.areas().active()
    managed = managed_area_ids(user)
    return areas if managed is None else areas.filter(pk__in=managed)


def can_read_area(user: AnyUser, area: Organisation) -> bool:
    """May the user read an area's shared, non-public data (its responsibility table)?"""
    areas = readable_area_ids(user)
    return areas is None or area.pk in areas


def can_manage_area(user: AnyUser, area: Organisation) -> bool:
    """May the user change an area's shared settings (its own themes, the joined parties)?"""
    managed = managed_area_ids(user)
    return managed is None or area.pk in managed


def can_edit_column(user: AnyUser, party: Organisation) -> bool:
    """May the user change a party's column of an area's responsibility table?

    Each organisation keeps its own column: its editors and its area coordinators. An area
    coordinator of the county reads the whole table but changes only the county's column.
    The caller checks that the party takes part in the area.
    """
    return can_edit_organisation(user, party)


# People and their roles. A role may be given only by someone who holds it (or more) for the
# organisation: an editor gives editor or member, a coordinator of the area gives any role.
ROLE_RANK = {
    Membership.Role.MEMBER: 1,
    Membership.Role.EDITOR: 2,
    Membership.Role.AREA_COORDINATOR: 3,
}
STAFF_RANK = 4


def people_rank(user: AnyUser, organisation: Organisation) -> int:
    """How far the user may manage the organisation's people: 0 not at all, else the rank of
    the highest role they may give (and take away)."""
    if getattr(user, "is_platform_admin", False):
        return STAFF_RANK
    rank = 0
    managed = managed_area_ids(user) or set()
    if managed & organisation.area_ids():
        rank = ROLE_RANK[Membership.Role.AREA_COORDINATOR]
    for membership in _memberships(user):
        if membership.organisation_id == organisation.pk and membership.role in (
            Membership.Role.EDITOR,
            Membership.Role.AREA_COORDINATOR,
        ):
            rank = max(rank, ROLE_RANK[membership.role])
    return rank


def can_manage_people(user: AnyUser, organisation: Organisation) -> bool:
    """May the user invite people to the organisation and change their memberships?"""
    return people_rank(user, organisation) >= ROLE_RANK[Membership.Role.EDITOR]


def grantable_roles(user: AnyUser, organisation: Organisation) -> list[str]:
    rank = people_rank(user, organisation)
    return [role for role in Membership.Role.values if ROLE_RANK[role] <= rank]


def requires_two_factor(user: AnyUser) -> bool:
    """Two factors for everyone who can read raw survey responses or erase personal data: today
    both are the platform staff's alone (surveys' raw export, privacy's erasure)."""
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))
