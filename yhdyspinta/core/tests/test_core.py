import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_503_when_the_database_is_down(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(("prefix", "lang"), [("", "fi"), ("/sv", "sv"), ("/en", "en")])
def test_language_follows_the_url(client, prefix, lang):
    html = client.get(f"{prefix}/").content.decode()
    assert f'<html lang="{lang}">' in html
    assert html.count("<h1") == 1


def test_finnish_is_the_default_whatever_the_browser_asks(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert '<html lang="fi">' in html


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "yhdyspinta.example.org",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret():
    env = {**os.environ, "DEBUG": "0"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(("lang", "expected"), [("fi", "3,5"), ("sv", "3,5"), ("en", "3.5")])
def test_decimals_follow_the_language(lang, expected):
    from django.template import Context, Template
    from django.utils import translation

    with translation.override(lang):
        assert Template("{{ value }}").render(Context({"value": 3.5})) == expected


def test_dates_follow_the_language():
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    template = Template('{{ day|date:"DATE_FORMAT" }}')
    day = datetime.date(2026, 3, 1)
    with translation.override("fi"):
        assert template.render(Context({"day": day})) == "1. maaliskuuta 2026"
    with translation.override("sv"):
        assert template.render(Context({"day": day})) == "1 mars 2026"


def test_uploaded_rows_keep_their_line_numbers_across_blank_lines():
    from yhdyspinta.core.tables import read_table

    content = b"name,code\n\nTampere,837\n\n\nNokia,536\n"
    rows = read_table("x.csv", content, required=["name"], allowed=["name", "code"])
    assert [(row.line, row["name"]) for row in rows] == [(3, "Tampere"), (6, "Nokia")]


def test_a_refused_csrf_check_is_a_page_in_the_readers_language_and_logs_no_token(
    caplog, open_wave_token
):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = f"/sv/answer/{open_wave_token}/"
    with caplog.at_level("WARNING", logger="django.security.csrf"):
        response = client.post(url, {"action": "save"})
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in response.content.decode()
    # The filter on the console handler (the one that writes the log) replaces the token.
    from yhdyspinta.core.logs import RedactAnswerTokens

    [record] = [r for r in caplog.records if r.name == "django.security.csrf"]
    RedactAnswerTokens().filter(record)
    assert open_wave_token not in record.getMessage()
    assert "answer/[token]" in record.getMessage()


@pytest.fixture
def open_wave_token(db):
    from conftest import municipality
    from yhdyspinta.surveys.tests.conftest import invite, make_survey, make_wave

    _, token = invite(make_wave(make_survey()), municipality("837"), email="a@example.org")
    return token


def test_the_console_handler_redacts_tokens(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert "redact_tokens" in handler["filters"]
