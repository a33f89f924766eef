"""The local OpenID Connect provider itself, spoken to as a client would, without the app.

If these fail, the app's sign-in tests against the provider say nothing.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest

SCOPE = "openid email profile"


def discovery(provider) -> dict:
    response = httpx.get(provider.discovery_url, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def signing_key(provider, token: str) -> jwt.PyJWK:
    jwks = httpx.get(discovery(provider)["jwks_uri"], timeout=5).json()
    return jwt.PyJWKSet.from_dict(jwks)[jwt.get_unverified_header(token)["kid"]]


def verified_claims(provider, token: str, **options) -> dict:
    return jwt.decode(
        token,
        signing_key(provider, token),
        algorithms=["RS256"],
        audience=options.pop("audience", provider.client_id),
        issuer=options.pop("issuer", provider.issuer),
        **options,
    )


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_url(provider, **params) -> str:
    query = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": provider.redirect_uris[0],
        "scope": SCOPE,
        **params,
    }
    return f"{discovery(provider)['authorization_endpoint']}?{urlencode(query)}"


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def code_flow(provider, login: str = "anna", *, client_auth: str = "basic") -> dict:
    """The authorisation code flow with PKCE, as the app does it. Returns the token response,
    plus the nonce that went into the authorisation request."""
    verifier, challenge = pkce_pair()
    nonce, state = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    callback = provider.sign_in(
        authorize_url(
            provider,
            state=state,
            nonce=nonce,
            code_challenge=challenge,
            code_challenge_method="S256",
        ),
        login,
    )
    assert callback.startswith(provider.redirect_uris[0]), callback
    returned = query_of(callback)
    assert returned.get("state") == state, returned
    assert "code" in returned, returned

    tokens = exchange(provider, returned["code"], verifier, client_auth=client_auth)
    assert tokens.status_code == 200, tokens.text
    return {**tokens.json(), "nonce": nonce}


def exchange(provider, code: str, verifier: str, *, client_auth: str = "basic") -> httpx.Response:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": provider.redirect_uris[0],
        "code_verifier": verifier,
    }
    auth = None
    if client_auth == "basic":
        auth = (provider.client_id, provider.client_secret)
    else:
        data |= {"client_id": provider.client_id, "client_secret": provider.client_secret}
    return httpx.post(discovery(provider)["token_endpoint"], data=data, auth=auth, timeout=5)


def test_discovery_document(oidc_provider):
    document = discovery(oidc_provider)

    assert document["issuer"] == oidc_provider.issuer
    for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        assert document[endpoint].startswith(f"{oidc_provider.issuer}/"), endpoint
    assert "S256" in document["code_challenge_methods_supported"]
    assert {"openid", "email", "profile"} <= set(document["scopes_supported"])


def test_health_endpoint(oidc_provider):
    assert httpx.get(f"{oidc_provider.issuer}/__test__/health", timeout=5).status_code == 200


def test_authorisation_without_code_challenge_is_refused(oidc_provider):
    url = authorize_url(oidc_provider, state="s", nonce="n")

    response = httpx.get(url, follow_redirects=False, timeout=5)

    if response.status_code == 400:
        return
    assert response.is_redirect, (response.status_code, response.text)
    location = response.headers["location"]
    assert location.startswith(oidc_provider.redirect_uris[0]), location
    returned = query_of(location)
    assert "code" not in returned
    assert returned["error"] == "invalid_request"
    assert "PKCE" in returned["error_description"]


def test_code_flow_gives_a_signed_id_token_with_the_email(oidc_provider):
    tokens = code_flow(oidc_provider, "anna")

    claims = verified_claims(oidc_provider, tokens["id_token"])
    anna = oidc_provider.accounts["anna"]
    assert claims["aud"] == oidc_provider.client_id
    assert claims["iss"] == oidc_provider.issuer
    assert claims["nonce"] == tokens["nonce"]
    assert claims["sub"] == anna["sub"]
    assert claims["email"] == "anna@pirkanmaa.example"
    assert claims["email_verified"] is True
    assert claims["given_name"] == anna["given_name"]
    assert claims["exp"] > time.time()


def test_client_secret_post_works_too(oidc_provider):
    tokens = code_flow(oidc_provider, "unverified", client_auth="post")

    claims = verified_claims(oidc_provider, tokens["id_token"])
    assert claims["email"] == "ulla@pirkanmaa.example"
    assert claims["email_verified"] is False


def test_second_redirect_uri_is_registered(oidc_provider):
    _, challenge = pkce_pair()
    redirect_uri = oidc_provider.redirect_uris[1]
    url = authorize_url(
        oidc_provider,
        redirect_uri=redirect_uri,
        state="s",
        nonce="n",
        code_challenge=challenge,
        code_challenge_method="S256",
    )

    callback = oidc_provider.sign_in(url, "bertta")

    assert callback.startswith(f"{redirect_uri}?"), callback
    assert "code" in query_of(callback)


def test_wrong_code_verifier_is_refused(oidc_provider):
    _, challenge = pkce_pair()
    callback = oidc_provider.sign_in(
        authorize_url(
            oidc_provider,
            state="s",
            nonce="n",
            code_challenge=challenge,
            code_challenge_method="S256",
        ),
        "anna",
    )
    other_verifier, _ = pkce_pair()

    response = exchange(oidc_provider, query_of(callback)["code"], other_verifier)

    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_grant"


def test_unknown_login_stays_at_the_form(oidc_provider):
    _, challenge = pkce_pair()
    url = authorize_url(
        oidc_provider,
        state="s",
        nonce="n",
        code_challenge=challenge,
        code_challenge_method="S256",
    )

    with pytest.raises(AssertionError, match=r"did not lead back to the app: 400"):
        oidc_provider.sign_in(url, "nobody")


def test_unknown_tamper_mode_is_refused(oidc_provider):
    response = httpx.post(
        f"{oidc_provider.issuer}/__test__/tamper", json={"mode": "sideways"}, timeout=5
    )

    assert response.status_code == 400


def test_tamper_wrong_audience(oidc_provider):
    oidc_provider.tamper("wrong_audience")
    token = code_flow(oidc_provider)["id_token"]

    with pytest.raises(jwt.InvalidAudienceError):
        verified_claims(oidc_provider, token)
    # Re-signed with the provider's own key: only the audience is wrong.
    claims = verified_claims(oidc_provider, token, audience="someone-else")
    assert claims["aud"] == "someone-else"
    assert claims["email"] == "anna@pirkanmaa.example"


def test_tamper_expired(oidc_provider):
    oidc_provider.tamper("expired")
    token = code_flow(oidc_provider)["id_token"]

    with pytest.raises(jwt.ExpiredSignatureError):
        verified_claims(oidc_provider, token)
    claims = verified_claims(oidc_provider, token, options={"verify_exp": False})
    assert claims["exp"] <= time.time() - 500
    assert claims["iat"] < claims["exp"]


def test_tamper_bad_signature(oidc_provider):
    oidc_provider.tamper("bad_signature")
    token = code_flow(oidc_provider)["id_token"]

    published = {
        key["kid"] for key in httpx.get(discovery(oidc_provider)["jwks_uri"]).json()["keys"]
    }
    assert jwt.get_unverified_header(token)["kid"] in published
    with pytest.raises(jwt.InvalidSignatureError):
        verified_claims(oidc_provider, token)
    unverified = jwt.decode(token, options={"verify_signature": False})
    assert unverified["aud"] == oidc_provider.client_id


def test_tamper_wrong_issuer(oidc_provider):
    oidc_provider.tamper("wrong_issuer")
    token = code_flow(oidc_provider)["id_token"]

    with pytest.raises(jwt.InvalidIssuerError):
        verified_claims(oidc_provider, token)
    unverified = jwt.decode(token, options={"verify_signature": False})
    claims = verified_claims(oidc_provider, token, issuer=unverified["iss"])
    assert claims["iss"] != oidc_provider.issuer


def test_tamper_replay_sends_the_previous_token(oidc_provider):
    first = code_flow(oidc_provider)
    oidc_provider.tamper("replay")

    second = code_flow(oidc_provider)

    assert second["id_token"] == first["id_token"]
    claims = verified_claims(oidc_provider, second["id_token"])
    assert claims["nonce"] == first["nonce"] != second["nonce"]


def test_tamper_none_gives_genuine_tokens_again(oidc_provider):
    oidc_provider.tamper("wrong_audience")
    oidc_provider.tamper("none")

    tokens = code_flow(oidc_provider)

    claims = verified_claims(oidc_provider, tokens["id_token"])
    assert claims["nonce"] == tokens["nonce"]
