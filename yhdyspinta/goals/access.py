"""Who may read and keep an area's goals and who assesses its maturity.

Built on `accounts.permissions`:
- the people of the area (its county, municipalities and joined parties) read its goals and
  assessments; the platform's staff read everything;
- the county's editors and coordinators, and the area's coordinators, keep the goals; the
  editors of a goal's responsible parties also record its measurements;
- an organisation's own editors and coordinators, and nobody else, submit its assessment.
The `get_..._for_user` functions raise Http404 for what does not exist and PermissionDenied,
with a message, for what the user may not use.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from yhdyspinta.accounts import permissions
from yhdyspinta.accounts.permissions import AnyUser
from yhdyspinta.registry.models import Organisation

from .models import Goal, Indicator


def can_keep_goals(user: AnyUser, area: Organisation) -> bool:
    return permissions.can_edit_organisation(user, area) or permissions.can_manage_area(user, area)


def can_read_goals(user: AnyUser, area: Organisation) -> bool:
    return permissions.can_read_area(user, area)


def can_record_measurements(user: AnyUser, goal: Goal) -> bool:
    if can_keep_goals(user, goal.area):
        return True
    mine = permissions.organisation_ids(user, editing=True)
    return bool(mine) and goal.responsible.filter(pk__in=mine).exists()


def get_goal_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> Goal:
    goal = Goal.objects.select_related("area", "agreement").filter(pk=pk).first()
    if goal is None:
        raise Http404(_("There is no such goal."))
    if edit and not can_keep_goals(user, goal.area):
        raise PermissionDenied(
            _(
                "Only the county's editors and coordinators and the area's coordinators "
                "may change it."
            )
        )
    if not can_read_goals(user, goal.area):
        raise PermissionDenied(_("An area's goals are shown to the people of the area."))
    return goal


def get_indicator_for_user(user: AnyUser, pk: int) -> Indicator:
    """An indicator whose measurements the user may record."""
    indicator = Indicator.objects.select_related("goal__area").filter(pk=pk).first()
    if indicator is None:
        raise Http404(_("There is no such indicator."))
    if not can_record_measurements(user, indicator.goal):
        raise PermissionDenied(
            _("Only the goal's keepers and its responsible parties' editors may record figures.")
        )
    return indicator


def can_assess(user: AnyUser, organisation: Organisation) -> bool:
    """Only an organisation's own editors and coordinators submit its assessment; staff do
    not assess on anyone's behalf."""
    return organisation.pk in permissions.organisation_ids(user, editing=True)


def assessable_organisations(user: AnyUser, area: Organisation) -> list[Organisation]:
    """The organisations of the area whose assessment the user may submit."""
    mine = permissions.organisation_ids(user, editing=True)
    return [o for o in assessing_organisations(area) if o.pk in mine]


def assessing_organisations(area: Organisation) -> list[Organisation]:
    """Who places an area on the ladder: the county and each of its municipalities."""
    municipalities = Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY, area=area
    ).active()
    return [area, *municipalities.order_by("name")]
