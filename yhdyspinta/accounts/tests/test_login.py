import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD
from yhdyspinta.accounts.client import client_address
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


def test_rotating_x_forwarded_for_does_not_reset_the_count(client, tampere_editor):
    """With no proxy configured, the header is the client's own writing and is ignored."""
    for n in range(3):
        login(client, tampere_editor.email, "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    locked = login(client, tampere_editor.email, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert locked.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_failures_count_per_account_from_any_address(client, tampere_editor):
    for n in range(3):
        login(client, tampere_editor.email, "wrong", REMOTE_ADDR=f"203.0.113.{n}")
    assert login(client, tampere_editor.email, PASSWORD, REMOTE_ADDR="192.0.2.1").status_code == 429


def test_the_e_mail_is_counted_in_lower_case(client, tampere_editor):
    email = tampere_editor.email
    for variant in (email.upper(), email.lower(), f"  {email.title()} "):
        login(client, variant, "wrong")
    assert login(client, email, PASSWORD).status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {email.lower()}


def test_behind_a_proxy_the_address_the_proxy_added_is_counted(client, tampere_editor, settings):
    """The proxy appends the address it saw; whatever the client wrote before it is ignored."""
    settings.PROXY_COUNT = 1
    for n in range(2):
        login(
            client,
            tampere_editor.email,
            "wrong",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.7",
            REMOTE_ADDR="10.0.0.1",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


@pytest.mark.parametrize(
    ("proxies", "header", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.1"),  # no proxy: the header is not trusted at all
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "1.2.3.4, 198.51.100.1", "198.51.100.1"),  # the client's own value is left of it
        (2, "1.2.3.4, 198.51.100.1, 10.0.0.2", "198.51.100.1"),  # load balancer, then nginx
        (2, "198.51.100.1", "10.0.0.1"),  # did not come through both proxies
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_address_is_the_right_most_trusted_hop(settings, rf, proxies, header, expected):
    settings.PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=header, REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == expected


def test_api_throttles_use_the_same_trusted_hop(settings, rf):
    from rest_framework.throttling import AnonRateThrottle

    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.PROXY_COUNT == 0
    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.1", REMOTE_ADDR="10.0.0.1")
    assert AnonRateThrottle().get_ident(request) == "10.0.0.1"
