import requests
from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yhdyspinta.core.forms import add_form_errors

from . import invitations, signin_audit
from .forms import AcceptInvitationForm, EmailLoginForm, EmailStepForm
from .models import IdentityProvider, Invitation, User
from .signin import PENDING_INVITATION, SIGNIN_LANGUAGE


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def to_provider(request: HttpRequest, provider: IdentityProvider, next_url: str, email: str):
    """Off to the organisation's own sign-in, the address given as a hint."""
    allauth_provider = get_social_adapter(request).get_provider(request, provider=provider.slug)
    auth_params = {**allauth_provider.get_auth_params(), "login_hint": email}
    request.session[SIGNIN_LANGUAGE] = request.LANGUAGE_CODE
    try:
        return allauth_provider.redirect(
            request, process="login", next_url=next_url, auth_params=auth_params
        )
    except (requests.RequestException, ValueError, KeyError):
        # The discovery document could not be read: the provider is down or misconfigured.
        signin_audit.refused(request, reason="provider unreachable", email=email)
        message = _(
            "Your organisation's sign-in service cannot be reached just now. Try again in a "
            "moment; if it goes on, tell the platform's staff."
        )
        return render(request, "accounts/signin_refused.html", {"message": message}, status=503)


def password_login(request: HttpRequest, user, next_url: str) -> HttpResponse:
    """The password was right: allauth's remaining steps (the second factor if the person
    has one), with the password recorded as this session's first method."""
    record_authentication(request, user, method="password", email=user.email)
    return perform_login(request, user, redirect_url=next_url)


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """E-mail first: a configured organisation domain goes to its provider, others give a
    password here. After the password, allauth's steps run (the second factor if set up)."""
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url)
    context = {"nav": "login", "next": request.POST.get("next") or request.GET.get("next", "")}
    if request.method == "GET":
        context["form"] = EmailStepForm(initial={"username": request.GET.get("email", "")})
        return render(request, "accounts/login.html", context)
    step = EmailStepForm(request.POST)
    if not step.is_valid():
        context["form"] = step
        return render(request, "accounts/login.html", context)
    email = step.cleaned_data["username"].strip().lower()
    provider = invitations.provider_for(email)
    if provider is not None:
        return to_provider(request, provider, next_url, email)
    if "password" not in request.POST:
        context["form"] = EmailLoginForm(request, initial={"username": email})
        context["password_step"] = True
        return render(request, "accounts/login.html", context)
    form = EmailLoginForm(request, data=request.POST)
    if form.is_valid():
        return password_login(request, form.get_user(), next_url)
    context.update(form=form, password_step=True)
    return render(request, "accounts/login.html", context)


@login_required
@require_GET
def two_factor_required(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/two_factor_required.html", {"nav": "profile"})


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person's page: choose a password, or sign in at the organisation's
    provider, or (already having an account) join with it."""
    try:
        invitation = invitations.find(token)
    except ValidationError as exc:
        return render(
            request, "accounts/invitation_invalid.html", {"message": exc.messages[0]}, status=410
        )
    provider = invitations.provider_for(invitation.email)
    user = request.user if request.user.is_authenticated else None
    has_account = invitation_has_account(invitation) if user is None else False
    context = {"invitation": invitation, "provider": provider, "has_account": has_account}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "provider" and provider is not None:
            request.session[PENDING_INVITATION] = invitation.pk
            return to_provider(
                request, provider, resolve_url(settings.LOGIN_REDIRECT_URL), invitation.email
            )
        if action == "join" and user is not None:
            try:
                invitations.accept(invitation=invitation, user=user)
            except ValidationError as exc:
                context["error"] = " ".join(exc.messages)
                return render(request, "accounts/invitation.html", context, status=400)
            return redirect("accounts:profile")
        form = AcceptInvitationForm(request.POST)
        if user is None and provider is None and not has_account and form.is_valid():
            data = form.cleaned_data
            try:
                membership = invitations.accept(
                    invitation=invitation,
                    password=data["password1"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                membership.user.backend = "yhdyspinta.accounts.backends.EmailBackend"
                return password_login(request, membership.user, resolve_url("accounts:profile"))
        context["form"] = form
        return render(request, "accounts/invitation.html", context, status=400)
    first, _space, last = invitation.name.partition(" ")
    context["form"] = AcceptInvitationForm(initial={"first_name": first, "last_name": last})
    return render(request, "accounts/invitation.html", context)


def invitation_has_account(invitation: Invitation) -> bool:
    user = User.objects.filter(email__iexact=invitation.email).first()
    return bool(user and user.has_usable_password())


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("organisation", "organisation__area")
    from .permissions import requires_two_factor

    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": memberships,
            "nav": "profile",
            "two_factor_required": requires_two_factor(request.user),
        },
    )


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What django-axes shows after too many failed logins: the pause, in minutes, translated."""
    from django.conf import settings

    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
