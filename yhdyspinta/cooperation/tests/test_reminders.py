"""The duty reminder: the daily command only queues; the worker e-mails the county's
coordinators, through a real SMTP server, in their own language, once per area, duty and
period, when a duty is still open inside the warning window."""

from __future__ import annotations

import io
from datetime import datetime
from email.header import decode_header, make_header

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from yhdyspinta.cooperation.models import DutyReminder
from yhdyspinta.surveys.tests import conftest as survey_fixtures

from .factories import HELSINKI, at, coordinator_of, five_municipality_area, negotiation

smtp_server = survey_fixtures.smtp_server


def run_worker() -> None:
    call_command("db_worker", batch=True, interval=0, no_startup_delay=True, verbosity=0)


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


# The worker closes its connections, which PostgreSQL's test transaction would not survive.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("registry")
def test_the_reminder_reaches_the_coordinators_at_the_warning_point_once(smtp_server, settings):
    settings.SITE_URL = "https://yhdyspinta.example.fi"
    area, municipalities = five_municipality_area()
    negotiation(area, "hyte", municipalities[:3], at(2026, 5, 1))
    finnish = coordinator_of(area)
    swedish = coordinator_of(area, "samordnare@testi.example.org", language="sv")

    # Two months before the year ends: not yet inside the 60-day window.
    with time_machine.travel(datetime(2026, 10, 31, 8, tzinfo=HELSINKI)):
        call_command("send_duty_reminders", stdout=io.StringIO())
        run_worker()
    assert smtp_server.messages == []

    with time_machine.travel(datetime(2026, 11, 2, 8, tzinfo=HELSINKI)):
        out = io.StringIO()
        call_command("send_duty_reminders", stdout=out)
        assert "queued" in out.getvalue()
        assert smtp_server.messages == []  # the command only queues
        run_worker()
    by_address = {m["To"]: m for m in smtp_server.messages}
    assert sorted(by_address) == [finnish.email, swedish.email]
    fi = survey_fixtures.body_of(by_address[finnish.email])
    sv = survey_fixtures.body_of(by_address[swedish.email])
    assert subject(by_address[finnish.email]) == (
        "Testialue (testi): neuvotteluvelvoite yhä avoinna (hyte-neuvottelu, joka vuosi)"
    )
    assert "59 päivää" in fi
    assert "Testikunta 4 (testi)" in fi and "Testikunta 5 (testi)" in fi
    assert "Testikunta 1 (testi)" not in fi
    assert f"https://yhdyspinta.example.fi/areas/{area.code}/duties/" in fi
    assert "Hej" in sv and "öppen" in sv
    task = DBTaskResult.objects.filter(task_path__endswith="send_duty_reminders").last()
    assert task.return_value == {"sent": 2, "failed": 0}

    # The next day: the same period was reminded already.
    with time_machine.travel(datetime(2026, 11, 3, 8, tzinfo=HELSINKI)):
        call_command("send_duty_reminders", stdout=io.StringIO())
        run_worker()
    assert len(smtp_server.messages) == 2
    assert DutyReminder.objects.filter(area=area, duty="hyte", period="2026").count() == 1
