"""Shared fixtures: the registry loaded once per test database, and fixed personas.

Personas (STYLE.md): a platform administrator, the coordinator of the Pirkanmaa area, an editor
of Tampere (in Pirkanmaa), a member of Nokia (also Pirkanmaa), an editor of Espoo (another area),
and the anonymous visitor.
"""

import pytest

from yhdyspinta.accounts.models import Membership, User
from yhdyspinta.registry.loader import load_registry
from yhdyspinta.registry.models import Organisation

PASSWORD = "correct horse battery staple"

# Real Chromium for the tests marked `browser`, in any app.
pytest_plugins = ["yhdyspinta.core.tests.browser_fixtures"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real registry into the test database once. Ordinary tests roll back to it;
    transactional tests (browser tests) empty the database and load it again themselves."""
    with django_db_blocker.unblock():
        load_registry()


@pytest.fixture
def registry(transactional_db):
    """The registry in a transactional test (pytest-django runs these after all others)."""
    from yhdyspinta.registry.models import Organisation

    if not Organisation.objects.exists():
        load_registry()
    # The national themes come with a migration, which a transactional test's flush empties.
    from yhdyspinta.responsibilities.models import Theme
    from yhdyspinta.responsibilities.themes import load_default_themes

    load_default_themes(Theme)
    # So do the council terms and the national forums of the cooperation app.
    from yhdyspinta.cooperation.national import load_all

    load_all()


def org(kind: str, code: str) -> Organisation:
    return Organisation.objects.get(kind=kind, code=code)


def municipality(code: str) -> Organisation:
    return org(Organisation.Kind.MUNICIPALITY, code)


def area(code: str) -> Organisation:
    return Organisation.objects.areas().get(code=code)


# The authenticator-app secret of every staff persona: staff must use two factors, and the
# tests compute their codes from it (`totp_code`).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows now."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def give_second_factor(user, secret: str = TOTP_SECRET) -> None:
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)


def browser_log_in(page, email: str, password: str = PASSWORD, *, language: str = "") -> None:
    """Log in through the real login page: the address, the password, the code if asked."""
    prefix = f"/{language}" if language and language != "fi" else ""
    page.goto(f"{prefix}/accounts/login/")
    page.fill("#id_username", email)
    page.click("main form button[type=submit]")
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if page.locator("#id_code").count():
        page.fill("#id_code", totp_code())
        page.click("main form button[type=submit]")
        page.wait_for_load_state()


def make_person(email: str, organisation=None, *, role="member", position="official", **extra):
    user = User.objects.create_user(email=email, password=PASSWORD, **extra)
    if user.is_staff or user.is_superuser:
        give_second_factor(user)
    if organisation is not None:
        Membership.objects.create(
            user=user, organisation=organisation, role=role, position=position
        )
    return user


@pytest.fixture
def platform_admin(db):
    return make_person("admin@example.org", is_staff=True, first_name="Alma", last_name="Admin")


@pytest.fixture
def area_coordinator(db):
    return make_person(
        "coordinator@example.org",
        area("08"),
        role=Membership.Role.AREA_COORDINATOR,
        position=Membership.Position.COUNTY_LEADERSHIP,
        first_name="Cecilia",
        last_name="Coordinator",
    )


@pytest.fixture
def tampere_editor(db):
    return make_person(
        "editor@tampere.example.org",
        municipality("837"),
        role=Membership.Role.EDITOR,
        position=Membership.Position.MANAGER,
        first_name="Eero",
        last_name="Editor",
    )


@pytest.fixture
def nokia_member(db):
    return make_person(
        "member@nokia.example.org",
        municipality("536"),
        role=Membership.Role.MEMBER,
        position=Membership.Position.SECTOR_DIRECTOR,
        first_name="Niina",
        last_name="Member",
    )


@pytest.fixture
def espoo_editor(db):
    return make_person(
        "editor@espoo.example.org",
        municipality("049"),
        role=Membership.Role.EDITOR,
        position=Membership.Position.CHAIR,
        first_name="Esko",
        last_name="Outsider",
    )


@pytest.fixture(autouse=True)
def _default_language():
    """A request leaves its language active in the thread; every test starts in Finnish."""
    from django.utils import translation

    translation.activate("fi")
    yield
    translation.activate("fi")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The personas are made for every test; a deliberately slow hash would dominate the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_used_codes():
    # allauth remembers a used authenticator code in the cache for its 30 s window; tests that
    # sign the same staff persona in again within it would be refused the code.
    from django.core.cache import cache

    cache.clear()
