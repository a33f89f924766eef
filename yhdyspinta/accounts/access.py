"""Fetch what a request names and check the user may use it, in one call, for pages and API.

Every view of every app asks here (or the rules in `permissions`) before it shows or changes
anything. A missing object raises Http404, a refusal PermissionDenied with a message the
person can act on; Django turns them into the 404 and 403 pages, and the API into JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rest_framework import permissions as drf_permissions

from yhdyspinta.registry.models import Organisation

from . import permissions
from .permissions import AnyUser


def is_platform_admin(user: AnyUser) -> bool:
    return bool(getattr(user, "is_platform_admin", False))


def require_platform_admin(user: AnyUser) -> None:
    if not is_platform_admin(user):
        raise PermissionDenied(_("Only the platform's staff may do this."))


def staff_only(view: Callable) -> Callable:
    """For pages of the association's staff only: sign in first, then staff or 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        require_platform_admin(request.user)
        return view(request, *args, **kwargs)

    return wrapper


class IsPlatformAdmin(drf_permissions.BasePermission):
    """For API endpoints of the association's staff only."""

    message = "Only the platform's staff may use this endpoint."

    def has_permission(self, request, view) -> bool:
        return is_platform_admin(request.user)


def get_area(code: str) -> Organisation:
    """An area by its code, for anyone: the registry is public."""
    area = Organisation.objects.areas().filter(code=code).first()
    if area is None:
        raise Http404(_("There is no area with the code %(code)s.") % {"code": code})
    return area


def get_area_for_user(user: AnyUser, code: str, *, manage: bool = False) -> Organisation:
    """An area whose shared, non-public data the user may read (or, with `manage`, change)."""
    area = get_area(code)
    if manage:
        if not permissions.can_manage_area(user, area):
            raise PermissionDenied(_("Only the area's coordinators may change this."))
    elif not permissions.can_read_area(user, area):
        raise PermissionDenied(_("This is shown to the people of the area's organisations."))
    return area


def get_organisation(pk: int | str) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if organisation is None:
        raise Http404(_("There is no such organisation."))
    return organisation


def check_manages_people(user: AnyUser, organisation: Organisation) -> None:
    """Refuse anyone but the organisation's editors, its area's coordinators and the staff."""
    if not permissions.can_manage_people(user, organisation):
        raise PermissionDenied(
            _("Only the organisation's editors and its area's coordinators manage its people.")
        )


def get_organisation_for_people_manager(user: AnyUser, pk: int | str) -> Organisation:
    """An organisation whose people the user may manage (invite, change, end)."""
    organisation = get_organisation(pk)
    check_manages_people(user, organisation)
    return organisation


def get_organisation_for_user(user: AnyUser, pk: int | str, *, edit: bool = False) -> Organisation:
    """An organisation whose non-public data the user may read (or, with `edit`, change)."""
    organisation = get_organisation(pk)
    if edit:
        if not permissions.can_edit_organisation(user, organisation):
            raise PermissionDenied(
                _("Only the organisation's editors and coordinators may change its details.")
            )
    elif not permissions.can_read_area_data(user, organisation):
        raise PermissionDenied(_("This is shown to the people of the organisation's area."))
    return organisation
