"""Inviting a person: the e-mail in their language, a link that works once, for a while."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import PASSWORD, area, municipality
from yhdyspinta.accounts import invitations
from yhdyspinta.accounts.models import Invitation, Membership, User
from yhdyspinta.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def invite(actor, email="uusi@pirkanmaa.example", organisation=None, **values):
    values.setdefault("position", "official")
    values.setdefault("role", "member")
    return invitations.invite(
        actor=actor, organisation=organisation or area("08"), email=email, **values
    )


def link_in(message) -> str:
    url = re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)
    return urlsplit(url).path


def accept(client, path, **values):
    data = {
        "action": "password",
        "first_name": "Ulla",
        "last_name": "Uusi",
        "password1": "kuusi-kuusi-kuusi",
        "password2": "kuusi-kuusi-kuusi",
    }
    data.update(values)
    return client.post(path, data)


def test_the_invitation_goes_out_in_the_recipients_language(
    area_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(area_coordinator, language="sv", name="Ulla Uusi")
    (message,) = mailoutbox
    assert message.to == ["uusi@pirkanmaa.example"]
    assert "Inbjudan" in message.subject
    assert "Ulla Uusi" in message.body
    assert link_in(message).startswith("/sv/accounts/invitation/")
    assert message.reply_to == [area_coordinator.email]
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    # Only the digest of the link's token is kept.
    token = link_in(message).rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == invitations.token_digest(token)
    assert token not in str(Invitation.objects.values().get())


def test_accepting_sets_a_password_and_gives_the_membership(
    client, area_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(area_coordinator, role="editor", position="county_leadership")
    path = link_in(mailoutbox[0])
    page = client.get(path)
    assert page.status_code == 200
    assert "uusi@pirkanmaa.example" in page.content.decode()
    response = accept(client, path)
    assert response.status_code == 302
    person = User.objects.get(email="uusi@pirkanmaa.example")
    assert person.check_password("kuusi-kuusi-kuusi")
    assert client.session["_auth_user_id"] == str(person.pk)
    membership = Membership.objects.get(user=person)
    assert (membership.organisation, membership.role, membership.position) == (
        area("08"),
        "editor",
        "county_leadership",
    )
    assert AuditEntry.objects.filter(action="person joined", object_id=str(area("08").pk)).exists()
    # The link works once.
    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert "Tämä kutsu on jo käytetty" in again.content.decode()


def test_a_weak_password_is_refused_and_nothing_is_made(
    client, area_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(area_coordinator)
    path = link_in(mailoutbox[0])
    response = accept(client, path, password1="12345678", password2="12345678")
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not User.objects.filter(email="uusi@pirkanmaa.example").exists()
    assert client.get(path).status_code == 200


def test_an_expired_invitation_is_refused(
    client, area_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(area_coordinator)
    path = link_in(mailoutbox[0])
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = accept(client, path)
    assert response.status_code == 410
    assert "vanhentunut" in response.content.decode()
    assert not User.objects.filter(email="uusi@pirkanmaa.example").exists()


def test_a_revoked_or_resent_invitations_old_link_is_refused(
    client, area_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(area_coordinator)
    first = link_in(mailoutbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        invitations.resend(actor=area_coordinator, invitation=invitation)
    second = link_in(mailoutbox[1])
    assert first != second
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200
    invitations.revoke(actor=area_coordinator, invitation=invitation)
    response = accept(client, second)
    assert response.status_code == 410
    assert "peruttu" in response.content.decode()
    assert not Membership.objects.filter(user__email="uusi@pirkanmaa.example").exists()


def test_an_address_that_already_has_a_membership_is_refused(area_coordinator, tampere_editor):
    with pytest.raises(ValidationError) as error:
        invite(
            area_coordinator, email="EDITOR@tampere.example.org", organisation=municipality("837")
        )
    assert "on jo organisaation" in str(error.value)
    assert not Invitation.objects.exists()
    # The same person may be invited to another organisation: one account, two memberships.
    invite(area_coordinator, email=tampere_editor.email, organisation=area("08"))
    assert Invitation.objects.count() == 1


def test_a_person_with_an_account_joins_a_second_organisation_by_logging_in(
    client, area_coordinator, tampere_editor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(area_coordinator, email=tampere_editor.email, position="chair")
    path = link_in(mailoutbox[0])
    # Not signed in: no second account is made with a new password.
    response = accept(client, path)
    assert response.status_code == 400
    assert User.objects.filter(email=tampere_editor.email).count() == 1
    assert tampere_editor.memberships.count() == 1
    # Someone else signed in cannot take it.
    client.force_login(area_coordinator)
    response = client.post(path, {"action": "join"})
    assert response.status_code == 400
    assert tampere_editor.memberships.count() == 1
    client.force_login(tampere_editor)
    response = client.post(path, {"action": "join"})
    assert response.status_code == 302
    assert set(tampere_editor.memberships.values_list("organisation__code", flat=True)) == {
        "837",
        "08",
    }
    tampere_editor.refresh_from_db()
    assert tampere_editor.check_password(PASSWORD)


def test_an_editor_may_not_invite_a_coordinator(tampere_editor):
    with pytest.raises(PermissionDenied):
        invite(tampere_editor, organisation=municipality("837"), role="area_coordinator")
    invite(tampere_editor, organisation=municipality("837"), role="editor")
    assert Invitation.objects.get().role == "editor"


def test_an_unknown_link_is_refused(client, db):
    response = client.get("/accounts/invitation/not-a-real-token/")
    assert response.status_code == 410
    assert "ei ole voimassa" in response.content.decode()


def test_the_organisation_history_shows_invitations_without_tokens(area_coordinator):
    invitation = invite(area_coordinator, send=False)
    entry = AuditEntry.objects.get(action="person invited")
    assert entry.actor == area_coordinator
    assert invitation.email in str(entry.changes)
    assert "token" not in str(entry.changes)
