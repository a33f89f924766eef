"""A person who has left: entries vacant, handover listed, account closed, sessions ended."""

from __future__ import annotations

from datetime import date

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends.db import SessionStore
from rest_framework.authtoken.models import Token

from conftest import PASSWORD, area, make_person, municipality
from yhdyspinta.accounts.models import Membership
from yhdyspinta.cooperation.models import ActionItem
from yhdyspinta.cooperation.tests.factories import at, negotiation
from yhdyspinta.core.models import AuditEntry
from yhdyspinta.responsibilities import services as responsibility_services
from yhdyspinta.responsibilities.models import Responsibility, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(db, tampere_editor):
    """A Tampere official named in Pirkanmaa's division of work, owning an open action."""
    person = make_person(
        "lahtija@tampere.example.org",
        municipality("837"),
        role="member",
        first_name="Leena",
        last_name="Lähtijä",
    )
    responsibility_services.save_entry(
        actor=tampere_editor,
        area=area("08"),
        values={
            "theme": Theme.objects.filter(area__isnull=True, parent__isnull=True).first(),
            "party": municipality("837"),
            "role": "responsible",
            "mandate": "",
            "valid_from": date(2026, 1, 1),
            "valid_until": None,
        },
        contact_values={
            "first_name": "Leena",
            "last_name": "Lähtijä",
            "email": person.email,
            "title": "",
            "unit": "",
            "phone": "",
        },
    )
    held = negotiation(area("08"), "hyte", [municipality("837")], at(2026, 3, 1))
    ActionItem.objects.create(
        negotiation=held,
        title="Koulukuraattorien työnjako (testi)",
        owner_organisation=municipality("837"),
        owner_person=person,
    )
    return person


def sign_in(client, person) -> str:
    response = client.post("/accounts/login/", {"username": person.email, "password": PASSWORD})
    assert response.status_code == 302
    return client.session.session_key


def test_marking_a_person_left_turns_entries_vacant_and_ends_their_sessions(
    client, leaver, tampere_editor
):
    their_client = client.__class__()
    session_key = sign_in(their_client, leaver)
    assert UserSession.objects.filter(user=leaver).count() == 1
    Token.objects.create(user=leaver)
    entry = Responsibility.objects.get(contact__email=leaver.email)
    assert not entry.is_vacant

    client.force_login(tampere_editor)
    membership = Membership.objects.get(user=leaver)
    page = client.get(f"/people/memberships/{membership.pk}/")
    assert "Koulukuraattorien työnjako (testi)" in page.content.decode()
    response = client.post(f"/people/memberships/{membership.pk}/end/", {"has_left": "1"})
    assert response.status_code == 200
    assert "Koulukuraattorien työnjako (testi)" in response.content.decode()

    entry.refresh_from_db()
    assert entry.is_vacant
    assert entry.contact.left_on == date.today()
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert not Membership.objects.filter(user=leaver).exists()
    assert not SessionStore().exists(session_key)
    assert not Token.objects.filter(user=leaver).exists()
    assert their_client.get("/accounts/me/").status_code == 302
    assert AuditEntry.objects.filter(action="person left", actor=tampere_editor).exists()


def test_ending_one_of_two_memberships_keeps_the_account(client, leaver, area_coordinator):
    Membership.objects.create(user=leaver, organisation=area("08"), position="official")
    their_client = client.__class__()
    session_key = sign_in(their_client, leaver)
    client.force_login(area_coordinator)
    membership = Membership.objects.get(user=leaver, organisation=municipality("837"))
    response = client.post(f"/people/memberships/{membership.pk}/end/", {"has_left": "0"})
    assert response.status_code == 200
    leaver.refresh_from_db()
    assert leaver.is_active
    assert SessionStore().exists(session_key)
    # Only ending the membership: the entries stay as they are.
    assert not Responsibility.objects.get(contact__email=leaver.email).is_vacant


def test_a_member_cannot_end_anyones_membership(client, leaver, nokia_member):
    client.force_login(nokia_member)
    membership = Membership.objects.get(user=leaver)
    response = client.post(f"/people/memberships/{membership.pk}/end/", {"has_left": "1"})
    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not Responsibility.objects.get(contact__email=leaver.email).is_vacant
