import re

import pytest
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD
from yhdyspinta.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_axes(settings):
    settings.AXES_FAILURE_LIMIT = 3


def login(client, email, password, **extra):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, **extra
    )


def test_login_with_email_in_any_case(client, tampere_editor):
    response = login(client, "Editor@Tampere.Example.org", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).context["user"] == tampere_editor


def test_wrong_password_shows_a_clear_message_in_finnish_and_swedish(client, tampere_editor):
    response = login(client, tampere_editor.email, "wrong")
    assert response.status_code == 200
    assert "Sähköpostiosoite tai salasana on väärin." in response.content.decode()
    response = client.post(
        "/sv/accounts/login/", {"username": tampere_editor.email, "password": "wrong"}
    )
    assert "Fel e-postadress eller lösenord." in response.content.decode()


def test_login_is_rate_limited_after_repeated_failures(client, tampere_editor):
    for _ in range(2):
        assert login(client, tampere_editor.email, "wrong").status_code == 200
    # The third failure locks the account out from this address...
    response = login(client, tampere_editor.email, "wrong")
    assert response.status_code == 429
    assert "15" in response.content.decode()
    # ...and now even the right password is refused for a while.
    response = login(client, tampere_editor.email, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another person from the same address is not locked out.
    other = User.objects.create_user(email="other@example.org", password=PASSWORD)
    assert login(client, other.email, PASSWORD).status_code == 302


def test_logout_is_post_only(client, tampere_editor):
    client.force_login(tampere_editor)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client, tampere_editor):
    response = client.post(reverse("accounts:password_reset"), {"email": tampere_editor.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [tampere_editor.email]
    link = re.search(r"https?://[^\s]+/password-reset/[^\s]+/", message.body).group(0)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.context["validlink"]
    new_password = "a new long passphrase 2026"
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    tampere_editor.refresh_from_db()
    assert tampere_editor.check_password(new_password)


def test_password_reset_for_unknown_address_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_profile_lists_memberships_and_needs_login(client, tampere_editor):
    assert client.get(reverse("accounts:profile")).status_code == 302
    client.force_login(tampere_editor)
    response = client.get(reverse("accounts:profile"))
    assert [m.organisation.name_fi for m in response.context["memberships"]] == ["Tampere"]


def test_behind_a_proxy_the_lockout_is_per_client_address(client, tampere_editor, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    for _ in range(3):
        login(client, tampere_editor.email, "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1")
    locked = login(
        client, tampere_editor.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1"
    )
    assert locked.status_code == 429
    elsewhere = login(
        client, tampere_editor.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2, 10.0.0.1"
    )
    assert elsewhere.status_code == 302
