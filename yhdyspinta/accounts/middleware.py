"""Two factors before anything else, for those who must have them (`requires_two_factor`).

A person who must use two factors and has none set up may only set one up (or sign out) until
they have; pages redirect there and the API answers 403 in JSON. Someone signed in with a
second factor passes; the login flow (allauth) asks for the code of anyone who has one.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .permissions import requires_two_factor

ALLOWED_URL_NAMES = {
    "mfa_activate_totp",
    "mfa_index",
    "mfa_generate_recovery_codes",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "account_reauthenticate",
    "logout",
    "account_logout",
    "two_factor_required",
    "set_language",
}


# Set in the session once a second factor is known to exist, so that pages ask only once;
# removing the app in this session clears it (signin_audit.second_factor_removed).
CHECKED = "two_factor_set_up"


def has_second_factor(request: HttpRequest, user) -> bool:
    if request.session.get(CHECKED) == user.pk:
        return True
    found = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    if found:
        request.session[CHECKED] = user.pk
    return found


class RequireTwoFactor:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not requires_two_factor(user):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in ALLOWED_URL_NAMES:
            return None
        if request.path.startswith(("/static/", "/healthz")):
            return None
        if has_second_factor(request, user):
            return None
        message = _("Your role needs two-factor authentication. Set it up first.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "two_factor_required"}, status=403)
        return redirect(reverse("accounts:two_factor_required"))
