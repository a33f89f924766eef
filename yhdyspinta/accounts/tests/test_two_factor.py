"""Two factors (allauth MFA): required for the staff, asked at every sign-in that has them."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from conftest import PASSWORD, TOTP_SECRET, make_person, totp_code
from yhdyspinta.accounts.models import User
from yhdyspinta.accounts.permissions import requires_two_factor
from yhdyspinta.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth remembers used codes in the cache: each test starts with none used.
    cache.clear()


def new_staff() -> User:
    user = User.objects.create_user(
        email="uusi.staff@example.org", password=PASSWORD, is_staff=True
    )
    return user


def log_in(client, email):
    return client.post("/accounts/login/", {"username": email, "password": PASSWORD})


def test_who_must_use_two_factors(platform_admin, area_coordinator, tampere_editor, nokia_member):
    assert requires_two_factor(platform_admin)
    for person in (area_coordinator, tampere_editor, nokia_member, AnonymousUser()):
        assert not requires_two_factor(person)


def test_staff_without_a_second_factor_may_only_set_one_up(client):
    staff = new_staff()
    response = log_in(client, staff.email)
    assert response.status_code == 302
    for path in ("/surveys/", "/accounts/me/", "/people/erase/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/two-factor/"
    response = client.get("/api/v1/surveys/")
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"
    assert client.get("/accounts/two-factor/").status_code == 200
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200


def test_setting_up_the_authenticator_app_gives_recovery_codes(
    client, django_capture_on_commit_callbacks
):
    staff = new_staff()
    log_in(client, staff.email)
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    assert secret in page.content.decode()
    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=staff).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    codes = client.get(response["Location"])
    assert len(codes.context["unused_codes"]) == 10
    assert set(Authenticator.objects.filter(user=staff).values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }
    assert client.get("/surveys/").status_code == 200
    assert AuditEntry.objects.filter(action="second factor added", object_id=str(staff.pk)).exists()


def test_a_sign_in_with_a_second_factor_asks_for_the_code(client, platform_admin):
    response = log_in(client, platform_admin.email)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(
        action="sign-in failed", changes__method="second factor", object_id=str(platform_admin.pk)
    ).exists()
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(platform_admin.pk)
    entry = AuditEntry.objects.filter(action="signed in", object_id=str(platform_admin.pk)).get()
    assert entry.changes == {"method": "password + second factor"}


def test_a_recovery_code_works_once(client, platform_admin):
    codes = RecoveryCodes.activate(platform_admin).generate_codes()
    log_in(client, platform_admin.email)
    response = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(platform_admin.pk)
    client.logout()
    log_in(client, platform_admin.email)
    again = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert again.status_code == 200
    assert "_auth_user_id" not in client.session


def test_people_without_the_requirement_sign_in_with_a_password(client, tampere_editor):
    response = log_in(client, tampere_editor.email)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(tampere_editor.pk)
    assert client.get("/accounts/me/").status_code == 200


def test_sessions_are_listed_and_others_can_be_ended(client, tampere_editor):
    other = client.__class__()
    log_in(other, tampere_editor.email)
    log_in(client, tampere_editor.email)
    page = client.get("/accounts/sessions/")
    assert page.context["session_count"] == 2
    response = client.post("/accounts/sessions/")
    assert response.status_code == 302
    assert other.get("/accounts/me/").status_code == 302
    assert client.get("/accounts/me/").status_code == 200


def test_make_person_gives_staff_the_known_second_factor():
    staff = make_person("toinen.staff@example.org", is_staff=True)
    assert Authenticator.objects.filter(user=staff, type="totp").exists()
