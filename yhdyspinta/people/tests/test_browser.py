"""Acceptance in a real browser: a county's coordinator invites a colleague, the e-mail reaches
an SMTP server, the colleague sets a password and sees the area's data; a staff member sets up
the authenticator app and signs in with a code. Every page passes axe-core, in fi and sv."""

from __future__ import annotations

import re

import pytest

from conftest import PASSWORD, area, browser_log_in, make_person, municipality, totp_code
from yhdyspinta.accounts.models import Membership, User
from yhdyspinta.core.tests.browser import check_page
from yhdyspinta.surveys.tests import conftest as survey_fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

smtp_server = survey_fixtures.smtp_server

LANGUAGES = [("fi", ""), ("sv", "/sv")]


@pytest.fixture
def live_settings(settings, registry_for_live_server):
    settings.SITE_URL = registry_for_live_server.url
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return settings


def wait_for_mail(smtp_server, page, count=1):
    for _ in range(50):
        if len(smtp_server.messages) >= count:
            return smtp_server.messages[count - 1]
        page.wait_for_timeout(100)
    raise AssertionError("no e-mail arrived")


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_a_coordinator_invites_a_colleague_who_joins(
    page, browser, live_settings, smtp_server, lang, prefix
):
    county = area("08")
    coordinator = make_person(
        "koordinaattori@pirkanmaa.example",
        county,
        role=Membership.Role.AREA_COORDINATOR,
        position=Membership.Position.COUNTY_LEADERSHIP,
        first_name="Kaisa",
        last_name="Koordinaattori",
    )
    browser_log_in(page, coordinator.email)
    page.goto(f"{prefix}/organisations/{county.pk}/")
    check_page(page, lang=lang, name="organisation-with-people-link")
    page.locator(f"a[href='{prefix}/organisations/{county.pk}/people/']").click()
    check_page(page, lang=lang, name="people")
    # A wrong address first: the form comes back with the message, nothing is sent.
    page.fill("#id_email", "ei-osoite")
    page.locator("form.form button[type=submit]").first.click()
    page.wait_for_selector("[aria-invalid=true]")
    check_page(page, lang=lang, name="people-invite-error")
    page.fill("#id_email", "kollega@pirkanmaa.example")
    page.fill("#id_name", "Kalle Kollega")
    page.select_option("#id_position", "official")
    page.select_option("#id_role", "editor")
    page.select_option("#id_language", lang)
    page.locator("form.form button[type=submit]").first.click()
    page.wait_for_selector(".hds-notification--success")
    assert "kollega@pirkanmaa.example" in page.locator("#invitations").inner_text()

    message = wait_for_mail(smtp_server, page)
    assert message["To"] == "kollega@pirkanmaa.example"
    body = survey_fixtures.body_of(message)
    link = re.search(r"http://\S+/accounts/invitation/\S+/", body).group(0)
    assert link.startswith(f"{live_settings.SITE_URL}{prefix}/accounts/invitation/")

    colleague = browser.new_context(base_url=live_settings.SITE_URL)
    their_page = colleague.new_page()
    their_page.goto(link)
    check_page(their_page, lang=lang, name="invitation")
    their_page.fill("#id_first_name", "Kalle")
    their_page.fill("#id_last_name", "Kollega")
    their_page.fill("#id_password1", "vahva-salasana-2026")
    their_page.fill("#id_password2", "vahva-salasana-2026")
    their_page.locator("main form button[type=submit]").click()
    their_page.wait_for_url(f"**{prefix}/accounts/me/")
    check_page(their_page, lang=lang, name="profile-after-joining")
    assert "Pirkanmaan hyvinvointialue" in their_page.locator("main").inner_text() or (
        "Birkalands välfärdsområde" in their_page.locator("main").inner_text()
    )
    # The area's shared data is theirs to read now.
    response = their_page.goto(f"{prefix}/areas/08/responsibilities/")
    assert response.status == 200
    person = User.objects.get(email="kollega@pirkanmaa.example")
    assert Membership.objects.get(user=person).role == "editor"
    # The link worked once.
    their_page.goto(link)
    check_page(their_page, lang=lang, name="invitation-used")
    colleague.close()

    # Back at the people page: the member, and the history of the invitation.
    page.goto(f"{prefix}/organisations/{county.pk}/people/")
    assert "kollega@pirkanmaa.example" in page.locator("#members").inner_text()
    membership = Membership.objects.get(user=person)
    page.goto(f"{prefix}/people/memberships/{membership.pk}/")
    check_page(page, lang=lang, name="membership")
    page.locator("button[name=has_left][value='1']").click()
    page.wait_for_selector("#ending")
    check_page(page, lang=lang, name="membership-ended")
    person.refresh_from_db()
    assert not person.is_active


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_staff_set_up_the_authenticator_app_and_sign_in_with_a_code(
    page, live_settings, lang, prefix
):
    staff = User.objects.create_user(
        email="analyytikko@example.org", password=PASSWORD, is_staff=True
    )
    page.goto(f"{prefix}/accounts/login/")
    check_page(page, lang=lang, name="login-email")
    page.fill("#id_username", staff.email)
    page.click("main form button[type=submit]")
    check_page(page, lang=lang, name="login-password")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/")
    check_page(page, lang=lang, name="two-factor-required")
    page.locator("main a.hds-button").click()
    page.wait_for_selector("#authenticator-secret")
    check_page(page, lang=lang, name="totp-activate")
    secret = page.locator("#authenticator-secret").inner_text().strip()
    page.fill("#id_code", totp_code(secret))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#recovery-codes")
    check_page(page, lang=lang, name="recovery-codes")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.goto(f"{prefix}/accounts/2fa/")
    check_page(page, lang=lang, name="two-factor-index")
    page.goto(f"{prefix}/accounts/sessions/")
    check_page(page, lang=lang, name="sessions")
    for name, path in [
        ("recovery-codes-generate", "/accounts/2fa/recovery-codes/generate/"),
        ("totp-deactivate", "/accounts/2fa/totp/deactivate/"),
        ("reauthenticate", "/accounts/reauthenticate/"),
        ("reauthenticate-mfa", "/accounts/2fa/reauthenticate/"),
        ("account-inactive", "/accounts/inactive/"),
    ]:
        page.goto(f"{prefix}{path}")
        check_page(page, lang=lang, name=name)
    page.locator("form.site-nav__logout button").click()

    # Next time the code is asked; a recovery code works when the phone is not at hand.
    page.goto(f"{prefix}/accounts/login/")
    page.fill("#id_username", staff.email)
    page.click("main form button[type=submit]")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("#id_code")
    check_page(page, lang=lang, name="two-factor-authenticate")
    page.fill("#id_code", codes[0])
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{prefix}/")
    assert page.locator("form.site-nav__logout").count() == 1
    response = page.goto(f"{prefix}/surveys/")
    assert response.status == 200


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_the_bulk_invitation_page_and_its_errors(page, live_settings, tmp_path, lang, prefix):
    make_person(
        "koordinaattori@pirkanmaa.example",
        area("08"),
        role=Membership.Role.AREA_COORDINATOR,
        position=Membership.Position.COUNTY_LEADERSHIP,
    )
    browser_log_in(page, "koordinaattori@pirkanmaa.example")
    page.goto(f"{prefix}/people/import/")
    check_page(page, lang=lang, name="people-import")
    upload = tmp_path / "kutsut.csv"
    upload.write_text("email,organisation,position\nei-osoite,837,manager\nx@y.example,049,boss\n")
    page.set_input_files("#id_file", str(upload))
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    check_page(page, lang=lang, name="people-import-errors")
    assert municipality("837").memberships.count() == 0


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_a_providers_refusal_is_a_page_in_the_readers_language(page, live_settings, lang, prefix):
    from yhdyspinta.accounts.models import IdentityProvider

    provider = IdentityProvider(
        slug="pirkanmaa",
        name="Pirha",
        issuer="http://127.0.0.1:9/",
        client_id="yhdyspinta",
        domains="pirkanmaa.example",
    )
    provider.set_secret("not-used")
    provider.save()
    # The provider is down: the login page says so in the reader's language.
    page.goto(f"{prefix}/accounts/login/")
    page.fill("#id_username", "anna@pirkanmaa.example")
    page.click("main form button[type=submit]")
    check_page(page, lang=lang, name="signin-unreachable")
    assert "Pirha" not in page.locator("h1").inner_text()
    # A callback with no sign-in of this browser behind it (a forged or stale link): with no
    # sign-in begun, the page is in the default language.
    page.goto("/accounts/oidc/pirkanmaa/login/callback/?code=forged&state=forged")
    check_page(page, lang="fi", name=f"signin-refused-after-{lang}")
    assert page.locator("form.site-nav__logout").count() == 0
