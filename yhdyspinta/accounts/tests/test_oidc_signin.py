"""Signing in with the organisation's account, against a real OpenID Connect provider.

The provider (tests/oidc_provider, the npm package oidc-provider) runs on localhost; the app's
client is django-allauth's, made strict in accounts/oidc. Each bad answer is refused with a
message in the reader's language, nobody is signed in, and nothing is created.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount

from conftest import area, make_person
from yhdyspinta.accounts.models import IdentityProvider, Invitation, Membership, User
from yhdyspinta.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def configured(oidc_provider, db):
    provider = IdentityProvider(
        slug="pirkanmaa",
        name="Pirha",
        issuer=oidc_provider.issuer,
        client_id=oidc_provider.client_id,
        domains="pirkanmaa.example\n",
    )
    provider.set_secret(oidc_provider.client_secret)
    provider.save()
    return oidc_provider


def start(client, email: str, prefix: str = "") -> str:
    response = client.post(f"{prefix}/accounts/login/", {"username": email})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def finish(client, callback: str):
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}")


def signed_in(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_a_configured_domain_signs_in_at_its_provider_with_pkce_and_a_nonce(client, configured):
    anna = make_person("anna@pirkanmaa.example", area("08"))
    authorize = start(client, "Anna@Pirkanmaa.example")
    assert authorize.startswith(configured.issuer)
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["nonce"][0]) >= 32
    assert query["login_hint"] == ["anna@pirkanmaa.example"]
    assert query["client_id"] == [configured.client_id]
    response = finish(client, configured.sign_in(authorize, "anna"))
    assert response.status_code == 302
    assert signed_in(client) == str(anna.pk)
    # Connected for next time, and the sign-in is in the audit log with its method.
    assert SocialAccount.objects.get(user=anna).uid == "anna-1"
    entry = AuditEntry.objects.filter(action="signed in", object_id=str(anna.pk)).get()
    assert entry.changes == {"method": "provider pirkanmaa"}
    assert "token" not in str(entry.changes)


def test_other_domains_give_a_password_on_the_next_step(client, configured, tampere_editor):
    response = client.post("/accounts/login/", {"username": tampere_editor.email})
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


@pytest.mark.parametrize(
    "mode", ["wrong_audience", "expired", "bad_signature", "wrong_issuer", "replay"]
)
def test_a_bad_id_token_is_refused(client, configured, mode):
    anna = make_person("anna@pirkanmaa.example", area("08"))
    # A first, good sign-in gives the provider a token to replay.
    assert finish(client, configured.sign_in(start(client, anna.email), "anna")).status_code == 302
    client.logout()
    configured.tamper(mode)
    response = finish(client, configured.sign_in(start(client, anna.email), "anna"))
    assert response.status_code == 403
    assert signed_in(client) is None
    text = response.content.decode()
    assert "Sinua ei kirjattu sisään" in text
    if mode == "replay":
        # A replayed token is genuine and not expired: it is the nonce that refuses it.
        assert "ei ollut tätä kirjautumista varten" in text
        assert AuditEntry.objects.filter(action="sign-in refused").exists() is False
    else:
        assert "ei antanut kelvollista vastausta" in text


def test_a_refusal_is_in_the_readers_language(client, configured):
    make_person("anna@pirkanmaa.example", area("08"))
    configured.tamper("wrong_audience")
    response = finish(
        client, configured.sign_in(start(client, "anna@pirkanmaa.example", "/sv"), "anna")
    )
    assert response.status_code == 403
    assert "Du loggades inte in" in response.content.decode()


def test_an_unverified_address_is_refused(client, configured):
    ulla = make_person("ulla@pirkanmaa.example", area("08"))
    response = finish(client, configured.sign_in(start(client, ulla.email), "unverified"))
    assert response.status_code == 403
    assert signed_in(client) is None
    assert "ei vahvistanut sähköpostiosoitettasi" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert AuditEntry.objects.filter(
        action="sign-in refused", changes__reason="e-mail not verified"
    ).exists()


def test_an_address_outside_the_providers_domains_is_refused(client, configured):
    # The provider of pirkanmaa.example vouches for someone of elsewhere.example: not its word
    # to give, even where such an account exists.
    olli = make_person("olli@elsewhere.example", area("08"))
    response = finish(
        client, configured.sign_in(start(client, "anna@pirkanmaa.example"), "outsider")
    )
    assert response.status_code == 403
    assert signed_in(client) is None
    assert "olli@elsewhere.example" in response.content.decode()
    assert not SocialAccount.objects.filter(user=olli).exists()


def test_the_provider_alone_gives_no_account_and_no_membership(client, configured):
    response = finish(client, configured.sign_in(start(client, "anna@pirkanmaa.example"), "anna"))
    assert response.status_code == 403
    assert "Pyydä organisaatiosi" in response.content.decode()
    assert not User.objects.filter(email="anna@pirkanmaa.example").exists()
    assert not Membership.objects.exists()


def test_an_invited_person_accepts_by_signing_in_at_the_provider(
    client, configured, mailoutbox, settings, django_capture_on_commit_callbacks
):
    from yhdyspinta.accounts import invitations

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    coordinator = make_person("coord@pirkanmaa.example", area("08"), role="area_coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitations.invite(
            actor=coordinator,
            organisation=area("08"),
            email="anna@pirkanmaa.example",
            position="official",
            role="editor",
        )
    assert invitation.pk
    # the e-mail tells the person to use their organisation's account
    (message,) = [m for m in mailoutbox if "anna@pirkanmaa.example" in m.to]
    assert "Pirha" in message.body
    link = next(line for line in message.body.splitlines() if "/accounts/invitation/" in line)
    path = urlsplit(link.strip()).path
    page = client.get(path)
    assert "Pirha" in page.content.decode()
    response = client.post(path, {"action": "provider"})
    assert response.status_code == 302
    response = finish(client, configured.sign_in(response["Location"], "anna"))
    assert response.status_code == 302
    anna = User.objects.get(email="anna@pirkanmaa.example")
    assert signed_in(client) == str(anna.pk)
    assert not anna.has_usable_password()
    assert Membership.objects.get(user=anna).role == "editor"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


def test_staff_configure_a_provider_with_an_encrypted_secret(client, monkeypatch):
    client.force_login(make_person("superuser@example.org", is_staff=True, is_superuser=True))
    values = {
        "name": "Pirha",
        "slug": "pirha",
        "issuer": "https://login.pirha.example",
        "client_id": "yhdyspinta",
        "client_secret": "very-secret-value",
        "secret_environment_variable": "",
        "domains": "Pirkanmaa.example\nPirha.example",
        "is_active": "on",
    }
    response = client.post("/admin/accounts/identityprovider/add/", values)
    assert response.status_code == 302, response.content.decode()[:2000]
    provider = IdentityProvider.objects.get(slug="pirha")
    assert provider.domain_list() == ["pirkanmaa.example", "pirha.example"]
    assert "very-secret-value" not in provider.encrypted_secret
    assert provider.client_secret() == "very-secret-value"
    page = client.get(f"/admin/accounts/identityprovider/{provider.pk}/change/")
    assert "very-secret-value" not in page.content.decode()
    # A domain another provider serves is refused, with the reason on the field.
    response = client.post(
        "/admin/accounts/identityprovider/add/",
        {**values, "slug": "toinen", "domains": "pirha.example"},
    )
    assert response.status_code == 200
    assert IdentityProvider.objects.count() == 1
    # From the environment instead.
    monkeypatch.setenv("PIRHA_SECRET", "from-the-environment")
    provider.secret_environment_variable = "PIRHA_SECRET"
    assert provider.client_secret() == "from-the-environment"
