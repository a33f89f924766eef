"""An organisation's people: members, invitations, their history; one person's membership."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from yhdyspinta.accounts import invitations, permissions
from yhdyspinta.accounts.access import get_organisation_for_people_manager
from yhdyspinta.accounts.models import Invitation, Membership
from yhdyspinta.core.forms import add_form_errors
from yhdyspinta.core.tables import ImportRejected

from . import services
from .forms import InviteForm, InviteImportForm, MembershipForm


@login_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_people_manager(request.user, pk)
    roles = permissions.grantable_roles(request.user, organisation)
    form = InviteForm(
        request.POST or None, roles=roles, initial={"language": request.LANGUAGE_CODE}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation = invitations.invite(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("An invitation is on its way to %(email)s.") % {"email": invitation.email},
                )
                return redirect("people:people", pk=organisation.pk)
        status = 400
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    rank = permissions.people_rank(request.user, organisation)
    context = {
        "org": organisation,
        "memberships": [(m, permissions.ROLE_RANK[m.role] <= rank) for m in memberships],
        "invitations": invitations.pending(organisation).select_related("invited_by"),
        "closed_invitations": Invitation.objects.filter(organisation=organisation)
        .exclude(pk__in=invitations.pending(organisation))
        .order_by("-created_at")[:20],
        "history": services.people_history(organisation),
        "form": form,
        "nav": "organisations",
    }
    return render(request, "people/people.html", context, status=status)


def _membership_for_manager(user, pk: int) -> Membership:
    membership = Membership.objects.select_related("user", "organisation").filter(pk=pk).first()
    if membership is None:
        raise Http404(_("There is no such membership."))
    services.check_manages(user, membership)
    return membership


@login_required
@require_http_methods(["GET", "POST"])
def membership(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_for_manager(request.user, pk)
    roles = permissions.grantable_roles(request.user, membership.organisation)
    form = MembershipForm(
        request.POST or None,
        roles=roles,
        initial={"role": membership.role, "position": membership.position},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.change_membership(
                    actor=request.user, membership=membership, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as exc:
                add_form_errors(
                    form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
                )
            else:
                messages.success(request, _("The membership was changed."))
                return redirect("people:people", pk=membership.organisation_id)
        status = 400
    context = {
        "membership": membership,
        "org": membership.organisation,
        "form": form,
        "handover": services.handover(membership),
        "nav": "organisations",
    }
    return render(request, "people/membership.html", context, status=status)


@login_required
@require_POST
def end_membership(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_for_manager(request.user, pk)
    organisation, person = membership.organisation, membership.user
    has_left = request.POST.get("has_left") == "1"
    ending = services.end_membership(actor=request.user, membership=membership, has_left=has_left)
    return render(
        request,
        "people/ended.html",
        {"org": organisation, "person": person, "ending": ending, "has_left": has_left},
    )


def _invitation_for_manager(user, pk: int) -> Invitation:
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), pk=pk)
    get_organisation_for_people_manager(user, invitation.organisation_id)
    return invitation


def _on_invitation(request: HttpRequest, pk: int, act, done: str) -> HttpResponse:
    """Resend or withdraw an invitation, and back to the organisation's people."""
    invitation = _invitation_for_manager(request.user, pk)
    try:
        act(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"email": invitation.email})
    return redirect("people:people", pk=invitation.organisation_id)


@login_required
@require_POST
def resend_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    return _on_invitation(
        request, pk, invitations.resend, _("A new link is on its way to %(email)s.")
    )


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    return _on_invitation(
        request, pk, invitations.revoke, _("The invitation of %(email)s was withdrawn.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite_import(request: HttpRequest) -> HttpResponse:
    managed = permissions.managed_area_ids(request.user)
    if (
        managed is not None
        and not managed
        and not permissions.organisation_ids(request.user, editing=True)
    ):
        raise PermissionDenied(
            _("Only editors, area coordinators and the platform's staff invite people.")
        )
    form = InviteImportForm(request.POST or None, request.FILES or None)
    errors = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                created = services.bulk_invite(
                    actor=request.user, name=upload.name, content=upload.read()
                )
            except ImportRejected as exc:
                errors = exc.errors
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d invitation is on its way.",
                        "%(count)d invitations are on their way.",
                        len(created),
                    )
                    % {"count": len(created)},
                )
                return redirect("accounts:profile")
        status = 400
    context = {
        "form": form,
        "errors": errors,
        "columns": services.IMPORT_COLUMNS,
        "positions": Membership.Position.choices,
        "roles": Membership.Role.choices,
        "nav": "organisations",
    }
    return render(request, "people/invite_import.html", context, status=status)
