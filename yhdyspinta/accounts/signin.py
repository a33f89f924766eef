"""How django-allauth signs people in here.

- Nobody signs up: people are invited (`invitations`), so both adapters close sign-up.
- Identity providers come from our `IdentityProvider` rows, with their encrypted secrets.
- A provider's answer signs in the existing account with the same, verified address in one of
  the provider's domains, never anyone else. An invited person who signs in at their provider
  from the invitation page gets their account then (`invitations.accept_through_provider`).
- Every refusal shows one page that says why, in the reader's language, and is audited.
"""

from __future__ import annotations

import hmac
import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from . import invitations, signin_audit
from .client import client_address
from .models import IdentityProvider, Invitation, User

logger = logging.getLogger(__name__)

# The invitation a person is accepting through their provider, kept in their session while
# they are away signing in.
PENDING_INVITATION = "pending_invitation"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        # The session list shows the address our own proxies vouch for, as the login limit
        # counts it, never one the client wrote in X-Forwarded-For.
        return client_address(request)


def social_app(provider: IdentityProvider) -> SocialApp:
    """allauth's description of one of our providers (not stored: ours is the record)."""
    return SocialApp(
        provider="openid_connect",
        provider_id=provider.slug,
        name=provider.name,
        client_id=provider.client_id,
        secret=provider.client_secret(),
        settings={
            "server_url": provider.issuer,
            # The signed ID token is the one source of who signed in: its signature, issuer,
            # audience, expiry and nonce are all checked (oidc/).
            "fetch_userinfo": False,
            "oauth_pkce_enabled": True,
        },
    )


# The language of the page the sign-in started from: the provider sends people back to one,
# unprefixed address.
SIGNIN_LANGUAGE = "signin_language"


def refuse(request: HttpRequest, message: str, *, reason: str, email: str = "") -> None:
    signin_audit.refused(request, reason=reason, email=email)
    raise ImmediateHttpResponse(
        render(request, "accounts/signin_refused.html", {"message": message}, status=403)
    )


def in_signin_language(method):
    """Run a hook in the sign-in's language, so that its messages are in the reader's."""

    def wrapper(self, request, *args, **kwargs):
        language = request.session.get(SIGNIN_LANGUAGE)
        if language not in ("fi", "sv", "en"):
            return method(self, request, *args, **kwargs)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            return method(self, request, *args, **kwargs)

    return wrapper


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        return False

    def list_apps(self, request, provider=None, client_id=None) -> list[SocialApp]:
        providers = IdentityProvider.objects.filter(is_active=True)
        if provider and provider != "openid_connect":
            providers = providers.filter(slug=provider)
        apps = [social_app(p) for p in providers]
        if client_id:
            apps = [app for app in apps if app.client_id == client_id]
        return apps

    @in_signin_language
    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        logger.info("Sign-in through a provider failed: %s", type(exception).__name__)
        if str(error) == "cancelled":
            message = _("Signing in at your organisation's service was cancelled.")
        else:
            message = _(
                "Your organisation's service did not give a valid answer, so you were not "
                "signed in. Try again; if it happens again, tell the platform's staff."
            )
        refuse(request, message, reason=f"provider error: {type(exception).__name__}")

    @in_signin_language
    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        claims = sociallogin.account.extra_data.get("id_token") or {}
        expected_nonce = (sociallogin.state or {}).get("nonce") or ""
        if not expected_nonce or not hmac.compare_digest(
            str(claims.get("nonce", "")), expected_nonce
        ):
            # An ID token not made for this sign-in: replayed, or from another browser's.
            refuse(
                request,
                _("The answer of your organisation's service was not for this sign-in."),
                reason="nonce mismatch",
            )
        email = str(claims.get("email") or "").strip().lower()
        provider = IdentityProvider.objects.filter(
            slug=sociallogin.account.provider, is_active=True
        ).first()
        if claims.get("email_verified") is not True or not email:
            refuse(
                request,
                _(
                    "Your organisation's service did not confirm your e-mail address, so it "
                    "cannot be matched to a Yhdyspinta account."
                ),
                reason="e-mail not verified",
                email=email,
            )
        if provider is None or not provider.serves(email):
            refuse(
                request,
                _(
                    "Your organisation's service answered with an address (%(email)s) outside "
                    "its own domains, so you were not signed in."
                )
                % {"email": email},
                reason="address outside the provider's domains",
                email=email,
            )
        user = User.objects.filter(email__iexact=email).first()
        invitation = self._pending_invitation(request, email)
        if invitation is not None:
            try:
                user = invitations.accept_through_provider(
                    invitation=invitation, email=email, verified=True
                )
            except ValidationError as exc:
                refuse(request, " ".join(exc.messages), reason="invitation refused", email=email)
            request.session.pop(PENDING_INVITATION, None)
        if user is None or not user.is_active or not user.memberships.exists():
            refuse(
                request,
                _(
                    "There is no Yhdyspinta account for %(email)s. Ask your organisation's "
                    "coordinator or editor to invite you."
                )
                % {"email": email},
                reason="no account",
                email=email,
            )
        if sociallogin.is_existing:
            if sociallogin.user.pk != user.pk:
                refuse(
                    request,
                    _("This sign-in is connected to another account. Tell the platform's staff."),
                    reason="connected to another account",
                    email=email,
                )
        else:
            sociallogin.connect(request, user)

    def _pending_invitation(self, request: HttpRequest, email: str) -> Invitation | None:
        pk = request.session.get(PENDING_INVITATION)
        if not pk:
            return None
        invitation = Invitation.objects.filter(pk=pk).first()
        if invitation is None or invitation.email.lower() != email:
            return None
        return invitation
