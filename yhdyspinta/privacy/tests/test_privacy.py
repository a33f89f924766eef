"""Personal data: a person's own data, erasure by staff, and the retention of contacts.

The erasure is proven from the whole database: every text and JSON column of every model is
read, so a new model that keeps a person's details is caught here too.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from conftest import area, make_person, municipality
from yhdyspinta.accounts.models import Membership, User
from yhdyspinta.core.models import AuditEntry
from yhdyspinta.privacy import services as privacy
from yhdyspinta.responsibilities import services
from yhdyspinta.responsibilities.models import Contact, Responsibility, Theme
from yhdyspinta.surveys import services as survey_services
from yhdyspinta.surveys.models import Invitation, Response
from yhdyspinta.surveys.tests.conftest import invite, make_survey, make_wave

pytestmark = pytest.mark.django_db

# The person to erase: distinct strings, non-ASCII (the JSON encoder escapes "ä" as \u00e4).
EMAIL = "saede.ylonen@tampere.example.org"
FIRST, LAST = "Säde", "Ylönen-Äijälä"
PHONE = "+358 40 555 0137"
OLD_PHONE = "+358 50 444 0999"
# A person without a user account.
NO_ACCOUNT_EMAIL = "tuure.kivimaki@nokia.example.org"
NA_FIRST, NA_LAST = "Tuure", "Kivimäki"
NA_PHONE = "044 321 7788"
# Someone else, who must be left alone (and never appear in the person's own data).
OTHER_EMAIL = "olli.muukalainen@tampere.example.org"
OTHER_FIRST, OTHER_LAST = "Olli", "Muukalainen"
OTHER_PHONE = "+358 45 111 2233"

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def occurrences(*strings: str) -> list[tuple[str, str, str]]:
    """(model, field, string) for every text or JSON value anywhere that contains a string."""
    wanted = [s.casefold() for s in strings]
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue  # the same table as its concrete model
        fields = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields:
            continue
        rows = model._base_manager.values_list(*[f.attname for f in fields])
        for row in rows.iterator():
            for f, value in zip(fields, row, strict=True):
                if value is None:
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                text = text.casefold()
                found += [(model._meta.label, f.name, s) for s in wanted if s in text]
    return found


def person_strings(first: str, last: str, email: str, *phones: str) -> tuple[str, ...]:
    return (email, f"{first} {last}", *phones)


def themes(n: int = 3) -> list[Theme]:
    return list(Theme.objects.for_area(area("08")).top_level()[:n])


def save(actor, contact: dict, *, theme: Theme, party=None, entry=None, **values):
    party = party or municipality("837")
    entry_values = {
        "theme": theme,
        "party": party,
        "role": Responsibility.Role.RESPONSIBLE,
        "mandate": "",
        "valid_from": date(2025, 1, 1),
        "valid_until": None,
        **values,
    }
    return services.save_entry(
        actor=actor,
        area=area("08"),
        values=entry_values,
        contact_values=contact,
        entry=entry,
    )


def contact_values(first, last, email, phone, **extra) -> dict:
    return {
        "first_name": first,
        "last_name": last,
        "title": "Sosiaalijohtaja",
        "unit": "Hyvinvointipalvelut",
        "email": email,
        "phone": phone,
        **extra,
    }


@pytest.fixture
def person(tampere_editor):
    """A Tampere editor with an account, named in two entries, with history in the log, a
    survey invitation and an identified response, a login record and an admin change."""
    user = make_person(
        EMAIL,
        municipality("837"),
        role=Membership.Role.EDITOR,
        first_name=FIRST,
        last_name=LAST,
        phone=PHONE,
        title="Sosiaalijohtaja",
    )
    first_theme, second_theme, third_theme = themes()
    me = contact_values(FIRST, LAST, EMAIL, OLD_PHONE)
    other = contact_values(OTHER_FIRST, OTHER_LAST, OTHER_EMAIL, OTHER_PHONE)
    # The entry first names someone else, then the person: the log has both names.
    entry = save(tampere_editor, other, theme=first_theme)
    entry = save(tampere_editor, me, theme=first_theme, entry=entry)
    # A change: new phone (the old one stays in the contact's history) and a mandate naming them.
    me["phone"] = PHONE
    save(
        tampere_editor,
        me,
        theme=first_theme,
        entry=entry,
        mandate=f"{FIRST} {LAST} agrees on shared premises.",
    )
    save(tampere_editor, me, theme=second_theme, role=Responsibility.Role.DEPUTY)
    # The person, as an editor, names someone else: their own log names another person.
    save(user, other, theme=third_theme)

    survey = make_survey()
    wave = make_wave(survey, privacy="identified", organiser_email=EMAIL)
    _, token = invite(wave, municipality("837"), email=EMAIL, name=f"{FIRST} {LAST}", user=user)
    survey_services.submit_response(
        token=token,
        answers={"position": "manager", "what_works": "ANSWER-TEXT-OF-THE-PERSON"},
    )
    anonymous = make_wave(survey, name="2027")
    _, other_token = invite(anonymous, municipality("536"), email="someone@nokia.example.org")
    survey_services.submit_response(
        token=other_token,
        answers={"position": "manager", "what_works": f"Ask {FIRST} {LAST}, {PHONE}."},
    )

    AccessLog.objects.create(username=EMAIL, ip_address="10.0.0.1", user_agent="test")
    AccessAttempt.objects.create(
        username=EMAIL, ip_address="10.0.0.1", user_agent="test", failures_since_start=1
    )
    LogEntry.objects.create(
        user=User.objects.get(email="editor@tampere.example.org"),
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": [EMAIL]}}]),
    )
    return user


@pytest.fixture
def no_account_person(tampere_editor, nokia_member):
    """A person without an account, named in an entry of Tampere's column."""
    values = contact_values(NA_FIRST, NA_LAST, NO_ACCOUNT_EMAIL, NA_PHONE)
    save(tampere_editor, values, theme=themes()[1])
    values["title"] = "Palvelupäällikkö"
    entry = Responsibility.objects.get(contact__email=NO_ACCOUNT_EMAIL)
    save(tampere_editor, values, theme=entry.theme, entry=entry, mandate="Yhteiset tilat")
    return Contact.objects.get(email=NO_ACCOUNT_EMAIL)


# -- erasure ------------------------------------------------------------------------------------


def test_erasure_leaves_vacancies_and_no_personal_data_anywhere(client, platform_admin, person):
    strings = person_strings(FIRST, LAST, EMAIL, PHONE, OLD_PHONE)
    # The scan finds the person in many places before: it can fail.
    before = {label for label, _field, _s in occurrences(*strings)}
    assert {
        "responsibilities.Contact",
        "accounts.User",
        "core.AuditEntry",
        "surveys.Invitation",
        "surveys.Response",
        "surveys.Answer",
        "surveys.Wave",
        "responsibilities.Responsibility",
        "axes.AccessLog",
        "axes.AccessAttempt",
        "admin.LogEntry",
    } <= before
    entry_ids = list(
        Responsibility.objects.filter(contact__email=EMAIL).values_list("pk", flat=True)
    )
    assert len(entry_ids) == 2
    person_client = client.__class__()
    person_client.force_login(person)
    responses = Response.objects.count()

    client.force_login(platform_admin)
    preview = client.get(reverse("privacy:erase"), {"email": EMAIL.upper()})
    assert preview.status_code == 200
    assert f"{FIRST} {LAST}" in preview.content.decode()
    assert Contact.objects.filter(email=EMAIL).exists()  # a preview changes nothing
    page = client.post(reverse("privacy:erase"), {"email": EMAIL, "confirm": "on"})
    assert page.status_code == 200
    report = page.context["report"]
    assert report.entries_vacated == 2
    assert report.contacts_removed == 1
    assert report.account_anonymised
    assert report.remaining == []

    # The entries are still there, as vacancies.
    entries = Responsibility.objects.filter(pk__in=entry_ids)
    assert entries.count() == 2
    for entry in entries:
        assert entry.contact_id is None
        assert entry.status() == Responsibility.Status.VACANT
    # Nothing of the person anywhere.
    assert occurrences(*strings) == []
    # Someone else's details stay.
    assert Contact.objects.filter(email=OTHER_EMAIL).exists()
    assert occurrences(f"{OTHER_FIRST} {OTHER_LAST}")
    # The account is anonymised, cannot log in, and its session is gone.
    person.refresh_from_db()
    assert person.email == f"erased-{person.pk}@erased.invalid"
    assert not person.is_active
    assert not person.has_usable_password()
    assert not person.memberships.exists()
    assert person_client.get(reverse("privacy:my_data")).status_code == 302
    invitation = Invitation.objects.get(email=person.email)
    assert invitation.user_id is None and invitation.answered
    assert Response.objects.count() == responses
    # One erasure record, without personal details (the scan above read it too).
    record = AuditEntry.objects.get(action="erased")
    assert record.object_id == str(area("08").pk)
    assert record.actor == platform_admin
    assert record.changes["entries made vacant"] == [None, 2]
    assert record.changes["contacts removed"] == [None, 1]


def test_erasure_of_a_person_without_an_account(platform_admin, no_account_person):
    strings = person_strings(NA_FIRST, NA_LAST, NO_ACCOUNT_EMAIL, NA_PHONE)
    # Invited by a file import: an invitation with the address and name, but no account.
    wave = make_wave(make_survey())
    invitation, _token = invite(
        wave, municipality("536"), email=NO_ACCOUNT_EMAIL, name=f"{NA_FIRST} {NA_LAST}"
    )
    assert occurrences(*strings)
    entry = Responsibility.objects.get(contact=no_account_person)

    report = privacy.erase_person(actor=platform_admin, email=NO_ACCOUNT_EMAIL.upper())

    assert (report.contacts_removed, report.entries_vacated) == (1, 1)
    assert not report.account_anonymised
    entry.refresh_from_db()
    assert entry.contact_id is None
    assert entry.status() == Responsibility.Status.VACANT
    assert occurrences(*strings) == []
    invitation.refresh_from_db()
    assert invitation.email == f"erased-invitation-{invitation.pk}@erased.invalid"
    assert report.invitations_anonymised == 1
    assert AuditEntry.objects.filter(action="erased", object_id=str(area("08").pk)).count() == 1


def test_only_platform_admins_erase(client, tampere_editor, area_coordinator, no_account_person):
    with pytest.raises(PermissionDenied):
        privacy.erase_person(actor=area_coordinator, email=NO_ACCOUNT_EMAIL)
    client.force_login(tampere_editor)
    url = reverse("privacy:erase")
    assert client.get(url).status_code == 403
    assert client.get(url, {"email": NO_ACCOUNT_EMAIL}).status_code == 403
    response = client.post(url, {"email": NO_ACCOUNT_EMAIL, "confirm": "on"})
    assert response.status_code == 403
    assert Contact.objects.filter(pk=no_account_person.pk).exists()
    assert client.get(reverse("privacy:erase")).status_code == 403


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        translated = gettext(text)
    assert translated != text  # Django's own messages are translated
    return translated


def test_erase_page_shows_errors_in_the_users_language(client, platform_admin, no_account_person):
    client.force_login(platform_admin)
    url = reverse("privacy:erase")
    page = client.get(url, {"email": "not an address"})
    assert page.status_code == 400
    assert in_language("fi", "Enter a valid email address.") in page.content.decode()
    # No confirmation: nothing happens, and the preview is shown again.
    page = client.post(url, {"email": NO_ACCOUNT_EMAIL})
    assert page.status_code == 400
    assert in_language("fi", "This field is required.") in page.content.decode()
    assert f"{NA_FIRST} {NA_LAST}" in page.content.decode()
    assert Contact.objects.filter(pk=no_account_person.pk).exists()
    page = client.get("/sv" + url, {"email": "not an address"})
    assert page.status_code == 400
    assert in_language("sv", "Enter a valid email address.") in page.content.decode()


def test_staff_cannot_erase_themselves(platform_admin):
    with pytest.raises(Exception, match="omaa käyttäjätiliäsi"):
        privacy.erase_person(actor=platform_admin, email=platform_admin.email)
    platform_admin.refresh_from_db()
    assert platform_admin.is_active


# -- a person's own data ------------------------------------------------------------------------


def test_my_data_lists_what_is_stored_and_nothing_of_others(client, person):
    client.force_login(person)
    page = client.get(reverse("privacy:my_data"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{FIRST} {LAST}" in html
    assert reverse("privacy:my_data_json") in html

    download = client.get(reverse("privacy:my_data_json"))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="yhdyspinta-my-data.json"'
    data = json.loads(download.content)
    assert data["generated_at"]
    assert data["account"]["data"]["email"] == EMAIL
    assert "password" not in json.dumps(data["account"]["data"])
    assert person.password not in download.content.decode()
    [contact] = data["contacts"]["data"]
    assert (contact["first_name"], contact["last_name"], contact["phone"]) == (FIRST, LAST, PHONE)
    assert len(contact["responsibilities"]) == 2
    assert {r["mandate"] for r in contact["responsibilities"]} >= {
        f"{FIRST} {LAST} agrees on shared premises."
    }
    [invitation] = data["survey_invitations"]["data"]
    assert invitation["answered"] is True
    assert len(data["survey_responses"]["data"]) == 1
    assert [m["organisation"] for m in data["memberships"]["data"]] == ["Tampere"]
    # Their log: changes to their contact (the old phone too) and what they did themselves.
    log = json.dumps(data["audit_log"]["data"], ensure_ascii=False)
    assert OLD_PHONE in log
    # The history of their entries: the one that named someone before shows that only as such.
    contact_changes = [
        e["changes"]["contact"] for e in data["audit_log"]["data"] if "contact" in e["changes"]
    ]
    assert [gettext("another person"), f"{FIRST} {LAST}"] in contact_changes
    assert [None, gettext("another person")] in contact_changes  # the entry they made
    for section in ("account", "memberships", "contacts", "survey_invitations", "audit_log"):
        assert data[section]["explanation"]
    # Nothing about anyone else, and no answers.
    text = download.content.decode()
    for other in (OTHER_FIRST, OTHER_LAST, OTHER_EMAIL, OTHER_PHONE, "editor@tampere"):
        assert other not in text
    assert "ANSWER-TEXT-OF-THE-PERSON" not in text
    assert "Ask " not in text


def test_my_data_needs_login(client):
    for name in ("privacy:my_data", "privacy:my_data_json"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_profile_links_to_my_data(client, nokia_member):
    client.force_login(nokia_member)
    page = client.get(reverse("accounts:profile"))
    assert reverse("privacy:my_data") in page.content.decode()


# -- retention ----------------------------------------------------------------------------------

TODAY = datetime(2027, 6, 15, 12, 0, tzinfo=ZoneInfo("Europe/Helsinki"))


@pytest.fixture
def ended_contacts(tampere_editor):
    """Ended 25 months ago, ended 23 months ago, current, left 25 months ago (open entry)."""
    with time_machine.travel(TODAY, tick=False):
        first, second, third, fourth = (*themes(3), themes(4)[3])
        save(
            tampere_editor,
            contact_values("Vanha", "Väistynyt", "vanha@tampere.example.org", "040 100 2001"),
            theme=first,
            valid_from=date(2024, 1, 1),
            valid_until=date(2025, 5, 15),
        )
        save(
            tampere_editor,
            contact_values("Tuore", "Lähtijä", "tuore@tampere.example.org", "040 100 2002"),
            theme=second,
            valid_from=date(2024, 1, 1),
            valid_until=date(2025, 7, 15),
        )
        save(
            tampere_editor,
            contact_values("Nyky", "Vastaava", "nyky@tampere.example.org", "040 100 2003"),
            theme=third,
        )
        entry = save(
            tampere_editor,
            contact_values("Poissa", "Lähtenyt", "poissa@tampere.example.org", "040 100 2004"),
            theme=fourth,
        )
        services.mark_left(actor=tampere_editor, contact=entry.contact, on=date(2025, 5, 15))
    return entry


def test_retention_removes_contacts_ended_over_n_months_ago(ended_contacts):
    left_entry = ended_contacts
    with time_machine.travel(TODAY, tick=False):
        out = StringIO()
        call_command("remove_personal_data", "--older-than-months", "24", "--dry-run", stdout=out)
        assert "Vanha Väistynyt" in out.getvalue()
        assert "Poissa Lähtenyt" in out.getvalue()
        assert "Tuore" not in out.getvalue()
        assert Contact.objects.count() == 4  # a dry run removes nothing

        call_command("remove_personal_data", "--older-than-months", "24", stdout=StringIO())

    remaining = set(Contact.objects.values_list("email", flat=True))
    assert remaining == {"tuore@tampere.example.org", "nyky@tampere.example.org"}
    # The entry that ended 25 months ago went with the contact; the open one is a vacancy.
    assert not Responsibility.objects.filter(valid_until=date(2025, 5, 15)).exists()
    left_entry.refresh_from_db()
    assert left_entry.contact_id is None
    with time_machine.travel(TODAY, tick=False):
        assert left_entry.status() == Responsibility.Status.VACANT
    # The log forgets the removed people, keeps the others, and records the retention run.
    assert occurrences("Vanha Väistynyt", "vanha@tampere", "040 100 2001") == []
    assert occurrences("Poissa Lähtenyt", "poissa@tampere", "040 100 2004") == []
    assert occurrences("Tuore Lähtijä")
    record = AuditEntry.objects.get(action="erased", actor_label="retention")
    assert record.changes["contacts removed"] == [None, 2]
    assert record.changes["entries made vacant"] == [None, 1]
    assert record.changes["ended entries removed"] == [None, 1]


def test_retention_keeps_what_ended_within_the_period(ended_contacts):
    with time_machine.travel(TODAY, tick=False):
        call_command("remove_personal_data", "--older-than-months", "30", stdout=StringIO())
    assert Contact.objects.count() == 4
    assert not AuditEntry.objects.filter(actor_label="retention").exists()


def test_months_before():
    assert privacy.months_before(date(2027, 6, 15), 24) == date(2025, 6, 15)
    assert privacy.months_before(date(2027, 3, 31), 1) == date(2027, 2, 28)
    assert privacy.months_before(date(2027, 1, 10), 1) == date(2026, 12, 10)
