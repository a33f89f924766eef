"""Survey fixtures: a survey from a built-in template, an open wave, invitations with tokens,
and a real SMTP server on localhost that records what it receives."""

from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from yhdyspinta.surveys import services
from yhdyspinta.surveys.builtin import load_template
from yhdyspinta.surveys.definition import build_survey
from yhdyspinta.surveys.models import AnswerMode, Survey, Wave


def make_survey(template: str = "municipal_leadership", key: str = "") -> Survey:
    definition = load_template(template)
    if key:
        definition["key"] = key
    return build_survey(definition)


def make_wave(survey: Survey, *, name: str = "2026", **values) -> Wave:
    now = timezone.now()
    values.setdefault("opens_at", now - timedelta(days=1))
    values.setdefault("closes_at", now + timedelta(days=14))
    values.setdefault("answer_mode", survey.answer_mode)
    return Wave.objects.create(survey=survey, name=name, **values)


def invite(wave: Wave, organisation, *, email: str, position: str = "manager", **values):
    """An invitation with its token; returns (invitation, token)."""
    invitation = services._new_invitation(
        wave=wave, email=email, organisation=organisation, position=position, **values
    )
    invitation.save()
    services._finish_tokens([invitation])
    return invitation, invitation.token()


@pytest.fixture
def municipal_survey(db) -> Survey:
    return make_survey()


@pytest.fixture
def open_wave(municipal_survey) -> Wave:
    return make_wave(municipal_survey)


@pytest.fixture
def council_wave(db) -> Wave:
    survey = make_survey("regional_council")
    assert survey.answer_mode == AnswerMode.PER_ORGANISATION
    return make_wave(survey)


class Recorder:
    def __init__(self):
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on localhost; Django's SMTP backend sends to it."""
    recorder = Recorder()
    port = _free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield recorder
    finally:
        controller.stop()


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    return payload.decode(message.get_content_charset() or "utf-8")
