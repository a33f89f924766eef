from __future__ import annotations

import secrets

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider

from .views import StrictOpenIDConnectAdapter


class OrganisationProvider(OpenIDConnectProvider):
    # Our URLs (oidc/urls.py), with the strict adapter, under allauth's names.
    package = "yhdyspinta.accounts.oidc"
    oauth2_adapter_class = StrictOpenIDConnectAdapter

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params = {**auth_params, "nonce": nonce}
        # The nonce is kept in the sign-in's state, which allauth keeps in the session and
        # gives back once, on the callback.
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )


provider_classes = [OrganisationProvider]
