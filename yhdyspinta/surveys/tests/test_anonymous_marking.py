"""An anonymous answer leaves no trace on the invitation row until the daily job marks it used,
in batches; a second click of Submit never puts the answers back on the named invitation."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import municipality
from yhdyspinta.surveys import services
from yhdyspinta.surveys.models import AnswerDraft, Invitation, Response, SpentToken, Wave

from .conftest import invite, make_wave
from .test_submission import GOOD

pytestmark = pytest.mark.django_db


def _invite_many(wave, count):
    tampere = municipality("837")
    return [invite(wave, tampere, email=f"r{n}@example.org") for n in range(count)]


def test_a_late_draft_save_after_the_submission_leaves_no_draft(open_wave):
    """The double click: the second request read the link before the first submitted, and
    saves its draft after the first has committed."""
    invitation, token = invite(open_wave, municipality("837"), email="a@example.org")
    services.save_draft(invitation=invitation, raw={"headline_rating": "4"})
    stale = Invitation.objects.get(pk=invitation.pk)  # read by the second request
    services.submit_response(token=token, answers=GOOD)  # the first request
    services.save_draft(invitation=stale, raw={"what_works": "Perhekeskus"})
    assert not AnswerDraft.objects.exists()
    assert stale.draft == {}


def test_a_late_draft_save_in_an_identified_wave_leaves_no_draft(municipal_survey):
    wave = make_wave(municipal_survey, privacy=Wave.Privacy.IDENTIFIED)
    invitation, token = invite(wave, municipality("837"), email="a@example.org")
    stale = Invitation.objects.get(pk=invitation.pk)
    services.submit_response(token=token, answers=GOOD)
    services.save_draft(invitation=stale, raw={"what_works": "Perhekeskus"})
    assert not AnswerDraft.objects.exists()


def test_submit_writes_no_draft_even_when_the_link_was_read_before_it_was_spent(
    client, open_wave, monkeypatch
):
    """The second click's request holds an invitation read before the first one submitted."""
    invitation, token = invite(open_wave, municipality("837"), email="a@example.org")
    stale = Invitation.objects.get(pk=invitation.pk)
    services.submit_response(token=token, answers=GOOD)
    monkeypatch.setattr(services, "find_invitation", lambda token, **kw: stale)
    monkeypatch.setattr(services, "refusal_for", lambda invitation, **kw: None)
    steps = len(open_wave.survey.sections.all())
    url = reverse("surveys:answer_step", args=[token, steps])
    response = client.post(url, {"action": "submit", "what_works": "Toinen klikkaus"})
    assert response.status_code == 302
    assert not AnswerDraft.objects.exists()
    assert Response.objects.count() == 1


def test_answered_links_are_marked_in_batches_that_keep_some_back(open_wave):
    links = _invite_many(open_wave, 9)
    for _, token in links:
        services.submit_response(token=token, answers=GOOD)
    # Under twice the batch nothing is marked; the answers still count as answered.
    assert services.mark_answered_invitations(batch=5) == 0
    assert all(Invitation.objects.get(pk=i.pk).answered for i, _ in links)
    assert services.reminder_candidates(open_wave, scheduled=False).count() == 0
    _, token = invite(open_wave, municipality("837"), email="late@example.org")
    services.submit_response(token=token, answers=GOOD)
    # Ten answered, batch five: a random five are marked, five are kept back for the next.
    assert services.mark_answered_invitations(batch=5) == 5
    assert Invitation.objects.filter(used=True).count() == 5
    assert SpentToken.objects.count() == 5
    # After the close, the rest.
    later = open_wave.closes_at + timedelta(minutes=1)
    assert services.mark_answered_invitations(now=later, batch=5) == 5
    assert Invitation.objects.filter(used=True).count() == 10
    assert not SpentToken.objects.exists()


def test_the_response_rate_counts_answers_not_yet_marked(open_wave):
    from yhdyspinta.surveys.selectors import response_rate

    links = _invite_many(open_wave, 3)
    services.submit_response(token=links[0][1], answers=GOOD)
    rate = response_rate(open_wave)
    assert (rate.total.invited, rate.total.answered) == (3, 1)
    assert rate.by_organisation[0].answered == 1


def test_a_spent_link_is_refused_before_it_is_marked(open_wave):
    _, token = invite(open_wave, municipality("837"), email="a@example.org")
    services.submit_response(token=token, answers=GOOD)
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit_response(token=token, answers=GOOD)
    assert refused.value.code == "already_answered"
    assert Response.objects.count() == 1


def test_the_daily_job_marks_closed_waves(open_wave):
    from io import StringIO

    from django.core.management import call_command

    _, token = invite(open_wave, municipality("837"), email="a@example.org")
    services.submit_response(token=token, answers=GOOD)
    Wave.objects.filter(pk=open_wave.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "1 anonymously answered invitations marked used" in out.getvalue()
    assert Invitation.objects.get(email="a@example.org").used
    assert not SpentToken.objects.exists()


# -- what PostgreSQL's system columns show -----------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="system columns xmin, xmax and ctid are PostgreSQL's"
)


def _system_columns(table: str, wave_id: int) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, xmin::text, xmax::text, ctid::text FROM {table} "  # noqa: S608
            "WHERE wave_id = %s ORDER BY ctid",
            [wave_id],
        )
        return [dict(zip(("id", "xmin", "xmax", "ctid"), row, strict=True)) for row in cursor]


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("registry")
def test_no_invitation_row_shares_a_transaction_id_or_order_with_a_response(municipal_survey):
    wave = make_wave(municipal_survey)
    links = _invite_many(wave, 30)
    # Answered in the reverse of the invitations' order, so that an order kept would show.
    answering_order = [invitation.pk for invitation, _ in reversed(links)]
    for _, token in reversed(links):
        services.submit_response(token=token, answers=GOOD)

    def check():
        responses = _system_columns("surveys_response", wave.pk)
        invitations = _system_columns("surveys_invitation", wave.pk)
        response_ids = {r["xmin"] for r in responses}
        assert len(responses) == 30 and len(response_ids) == 30
        for row in invitations:
            assert row["xmin"] not in response_ids
            assert row["xmax"] not in response_ids  # a row lock would leave its id here
        return invitations

    check()  # before the daily job: the invitation rows are as they were before the answers
    Wave.objects.filter(pk=wave.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    assert services.mark_answered_invitations(batch=5) == 30
    invitations = check()
    # All marked in one transaction, and a dump (in ctid order) lists them in the invitations'
    # order, not in the order of answering.
    assert len({row["xmin"] for row in invitations}) == 1
    assert [row["id"] for row in invitations] != answering_order
    assert sorted(row["id"] for row in invitations) == sorted(answering_order)
