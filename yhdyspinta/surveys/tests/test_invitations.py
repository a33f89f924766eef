"""Recipients, invitation e-mail through a real SMTP server and the background worker,
retries of failed sends, and reminders on a schedule or by hand."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import make_person, municipality
from yhdyspinta.accounts.models import Membership
from yhdyspinta.core.tables import ImportRejected
from yhdyspinta.surveys import services
from yhdyspinta.surveys.models import Invitation

from .conftest import body_of, invite, make_survey, make_wave


def recipients_csv(count: int, *, bad_rows: dict[int, str] | None = None) -> bytes:
    codes = ["837", "536", "091", "049", "564"]
    positions = ["chair", "manager", "sector_director"]
    lines = ["email,organisation_code,position,name,language"]
    for n in range(count):
        language = "sv" if n % 10 == 0 else "fi"
        lines.append(
            f"vastaaja{n}@example.org,{codes[n % 5]},{positions[n % 3]},Vastaaja {n},{language}"
        )
    for row, line in (bad_rows or {}).items():
        lines[row - 1] = line
    return "\n".join(lines).encode()


@pytest.mark.django_db
def test_import_reports_every_bad_row_and_adds_nobody(open_wave, platform_admin):
    content = recipients_csv(
        10,
        bad_rows={
            3: "not-an-address,837,manager,,fi",
            5: "x@example.org,999,manager,,fi",
            7: "y@example.org,837,mayor,,de",
        },
    )
    with pytest.raises(ImportRejected) as rejected:
        services.import_recipients(
            wave=open_wave, actor=platform_admin, name="list.csv", content=content
        )
    found = {(e.row, e.column) for e in rejected.value.errors}
    assert found == {
        (3, "email"),
        (5, "organisation_code"),
        (7, "position"),
        (7, "language"),
    }
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_import_refuses_duplicates_and_missing_columns(open_wave, platform_admin):
    content = (
        b"email,organisation_code,position\na@example.org,837,chair\nA@example.org,536,chair\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        services.import_recipients(
            wave=open_wave, actor=platform_admin, name="list.csv", content=content
        )
    assert [(e.row, e.column) for e in rejected.value.errors] == [(3, "email")]
    with pytest.raises(ImportRejected) as rejected:
        services.import_recipients(
            wave=open_wave, actor=platform_admin, name="list.csv", content=b"email,position\n"
        )
    assert [(e.row, e.column) for e in rejected.value.errors] == [(1, "organisation_code")]


@pytest.mark.django_db
def test_import_from_xlsx(open_wave, platform_admin):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["email", "organisation_code", "position"])
    sheet.append(["a@example.org", 91, "chair"])  # Excel dropped the leading zero of 091
    out = io.BytesIO()
    workbook.save(out)
    assert (
        services.import_recipients(
            wave=open_wave, actor=platform_admin, name="list.xlsx", content=out.getvalue()
        )
        == 1
    )
    assert Invitation.objects.get().organisation.code == "091"


@pytest.mark.django_db
def test_registry_people_of_the_audience_are_invited_once(open_wave, platform_admin):
    open_wave.audience_kinds = ["municipality"]
    open_wave.audience_positions = ["manager"]
    open_wave.save()
    make_person("kj@example.org", municipality("837"), position=Membership.Position.MANAGER)
    make_person("pj@example.org", municipality("837"), position=Membership.Position.CHAIR)
    make_person("kj2@example.org", municipality("536"), position="manager", is_active=False)
    assert services.invite_registry_people(wave=open_wave, actor=platform_admin) == 1
    assert services.invite_registry_people(wave=open_wave, actor=platform_admin) == 0
    invitation = Invitation.objects.get()
    assert invitation.email == "kj@example.org" and invitation.user is not None


def run_worker() -> None:
    call_command("db_worker", batch=True, interval=0, no_startup_delay=True, verbosity=0)


@pytest.mark.usefixtures("registry")
def test_thirty_invitations_reach_the_smtp_server(smtp_server, platform_admin, settings):
    """The acceptance path: a wave from the template, 30 recipients from a CSV, the request
    only queues, the worker sends through SMTP, each message carries a working link."""
    settings.SITE_URL = "https://yhdyspinta.example.fi"
    wave = make_wave(make_survey(), organiser_email="kysely@example.org")
    assert (
        services.import_recipients(
            wave=wave, actor=platform_admin, name="list.csv", content=recipients_csv(30)
        )
        == 30
    )
    queued = services.queue_invitations(wave=wave, actor=platform_admin)
    assert queued.count == 30
    assert smtp_server.messages == []  # nothing is sent in the request
    assert Invitation.objects.filter(send_status="queued").count() == 30
    run_worker()
    assert len(smtp_server.messages) == 30
    assert Invitation.objects.filter(send_status="sent", sent_at__isnull=False).count() == 30
    by_address = {m["To"]: m for m in smtp_server.messages}
    invitation = Invitation.objects.get(email="vastaaja1@example.org")
    body = body_of(by_address["vastaaja1@example.org"])
    assert f"https://yhdyspinta.example.fi/answer/{invitation.token()}/" in body
    assert "Kutsu" in by_address["vastaaja1@example.org"]["Subject"]
    assert by_address["vastaaja1@example.org"]["Reply-To"] == "kysely@example.org"
    swedish = body_of(by_address["vastaaja0@example.org"])
    assert "/sv/answer/" in swedish
    # Sending again queues nobody: all were sent.
    assert services.queue_invitations(wave=wave, actor=platform_admin).count == 0


@pytest.mark.usefixtures("registry")
def test_a_failed_send_is_recorded_and_retried_later(settings, platform_admin, smtp_server):
    wave = make_wave(make_survey())
    invite(wave, municipality("837"), email="a@example.org")
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # nothing listens here: the connection is refused
    services.queue_invitations(wave=wave, actor=platform_admin)
    run_worker()
    invitation = Invitation.objects.get()
    assert invitation.send_status == "failed"
    assert invitation.send_attempts == 1
    assert "refused" in invitation.last_error.lower() or "errno" in invitation.last_error.lower()
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after > timezone.now()
    # The mail server is back; when the pause is over the worker sends it.
    settings.EMAIL_PORT = port
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        run_worker()
    invitation.refresh_from_db()
    assert invitation.send_status == "sent" and invitation.last_error == ""
    assert invitation.send_attempts == 2
    assert len(smtp_server.messages) == 1


@pytest.mark.usefixtures("registry")
def test_reminders_go_to_those_who_have_not_answered(smtp_server, platform_admin):
    start = timezone.now()
    wave = make_wave(make_survey(), remind_every_days=7, max_reminders=1)
    _, token = invite(wave, municipality("837"), email="vastasi@example.org")
    waiting, _ = invite(wave, municipality("536"), email="odottaa@example.org")
    services.queue_invitations(wave=wave, actor=platform_admin)
    run_worker()
    services.submit_response(token=token, answers={"position": "manager"})
    smtp_server.messages.clear()

    # Not yet due on the schedule.
    with time_machine.travel(start + timedelta(days=3)):
        assert services.queue_scheduled_reminders() == 0
    with time_machine.travel(start + timedelta(days=8)):
        assert services.queue_scheduled_reminders() == 1
        run_worker()
    assert [m["To"] for m in smtp_server.messages] == ["odottaa@example.org"]
    assert "Muistutus" in smtp_server.messages[0]["Subject"]
    waiting.refresh_from_db()
    assert waiting.reminders_sent == 1
    # At most one reminder: neither the schedule nor the button sends another.
    with time_machine.travel(start + timedelta(days=13)):
        assert services.queue_scheduled_reminders() == 0
        assert services.queue_reminders(wave=wave, actor=platform_admin).count == 0


@pytest.mark.usefixtures("registry")
def test_queued_twice_is_sent_once(smtp_server, platform_admin):
    wave = make_wave(make_survey(), max_reminders=3)
    invite(wave, municipality("837"), email="a@example.org")
    services.queue_invitations(wave=wave, actor=platform_admin)
    # A stopped worker left them queued; pressing send again queues them again.
    assert services.queue_invitations(wave=wave, actor=platform_admin).count == 1
    run_worker()
    assert len(smtp_server.messages) == 1
    smtp_server.messages.clear()
    services.queue_reminders(wave=wave, actor=platform_admin)
    services.queue_reminders(wave=wave, actor=platform_admin)
    run_worker()
    assert len(smtp_server.messages) == 1
    assert Invitation.objects.get().reminders_sent == 1


@pytest.mark.django_db
def test_drafts_of_closed_waves_are_cleared(municipal_survey):
    now = timezone.now()
    closed = make_wave(
        municipal_survey, name="2025", opens_at=now - timedelta(days=40), closes_at=now
    )
    open_ = make_wave(municipal_survey, name="2026")
    old, _ = invite(closed, municipality("837"), email="a@example.org")
    current, _ = invite(open_, municipality("837"), email="a@example.org")
    for invitation in (old, current):
        services.save_draft(invitation=invitation, raw={"headline_rating": "3"})
    call_command("send_reminders", verbosity=0)
    old.refresh_from_db()
    current.refresh_from_db()
    assert old.draft == {} and current.draft == {"headline_rating": "3"}
