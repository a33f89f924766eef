"""Sign-ins, sign-outs and refusals in the audit log, on the person's account.

Never a password, a code or a token: the method (password, the provider's identifier, the
second factor) and, for a refusal, the reason. A failure for an address with no account has
no account to record it on; django-axes counts it (and the log says a failure happened).
"""

from __future__ import annotations

import logging

from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver
from django.http import HttpRequest

from yhdyspinta.core import audit

from .middleware import CHECKED as TWO_FACTOR_CHECKED
from .models import User

logger = logging.getLogger(__name__)


def _method(request: HttpRequest | None) -> str:
    methods = request.session.get("account_authentication_methods", []) if request else []
    used = {m.get("method") for m in methods}
    first = "password"
    for method in methods:
        if method.get("method") == "socialaccount":
            first = f"provider {method.get('provider', '')}".strip()
    return first + (" + second factor" if "mfa" in used else "")


@receiver(auth_signals.user_logged_in)
def signed_in(sender, request, user, **kwargs) -> None:
    audit.record(obj=user, action="signed in", actor=user, changes={"method": _method(request)})


@receiver(auth_signals.user_logged_out)
def signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit.record(obj=user, action="signed out", actor=user)


@receiver(auth_signals.user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    email = str(credentials.get("username") or credentials.get("email") or "").strip()
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is None:
        logger.info("A sign-in failed for an address with no account.")
        return
    audit.record(
        obj=user, action="sign-in failed", actor_label="sign-in", changes={"method": "password"}
    )


@receiver(mfa_signals.authentication_failed)
def second_factor_failed(sender, user, **kwargs) -> None:
    audit.record(
        obj=user,
        action="sign-in failed",
        actor_label="sign-in",
        changes={"method": "second factor"},
    )


@receiver(mfa_signals.authenticator_added)
def second_factor_added(sender, request, user, authenticator, **kwargs) -> None:
    audit.record(
        obj=user, action="second factor added", actor=user, changes={"type": authenticator.type}
    )


@receiver(mfa_signals.authenticator_removed)
def second_factor_removed(sender, request, user, authenticator, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session.pop(TWO_FACTOR_CHECKED, None)
    audit.record(
        obj=user, action="second factor removed", actor=user, changes={"type": authenticator.type}
    )


def refused(request: HttpRequest, *, reason: str, email: str = "") -> None:
    """A provider's answer that did not sign anyone in."""
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is None:
        logger.info("A sign-in through a provider was refused: %s", reason)
        return
    audit.record(
        obj=user, action="sign-in refused", actor_label="sign-in", changes={"reason": reason}
    )
