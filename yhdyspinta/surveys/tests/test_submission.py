"""Submitting a response: one transaction, refused for every reason the issue lists, and
anonymous by the shape of the database."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from conftest import municipality, org
from yhdyspinta.registry.models import Organisation
from yhdyspinta.surveys import services
from yhdyspinta.surveys.models import Answer, AnsweredOrganisation, Invitation, Response, Wave

from .conftest import invite, make_wave

pytestmark = pytest.mark.django_db

GOOD = {
    "position": "manager",
    "headline_rating": "4",
    "regular_meetings": "5",
    "county_responsible_persons": "cant_say",
    "municipal_responsible_persons": "3",
    "division_of_work_clarity": "2",
    "what_works": "Perhekeskusmalli toimii.",
    "challenging_interfaces": ["housing", "other"],
    "challenging_interfaces.other": "Vammaispalvelut",
}


def test_a_response_is_stored_with_its_answers(open_wave):
    invitation, token = invite(open_wave, municipality("837"), email="a@example.org")
    response = services.submit_response(token=token, answers=GOOD)
    assert response.organisation.code == "837"
    assert response.area.code == "08"  # Pirkanmaa
    assert response.position == "manager"
    assert response.submitted_on == timezone.localdate()
    values = {a.question.key: a for a in response.answers.select_related("question")}
    assert values["regular_meetings"].scale_value == 5
    assert values["county_responsible_persons"].cant_say
    assert values["county_responsible_persons"].scale_value is None
    assert values["challenging_interfaces"].choices == ["housing", "other"]
    assert values["challenging_interfaces"].other_text == "Vammaispalvelut"
    assert "position" not in values  # the position lives on the response
    invitation.refresh_from_db()
    # Anonymous: spent by its own row; the invitation row is marked later, in a batch.
    assert invitation.answered and not invitation.used and invitation.draft == {}


def test_position_comes_from_the_invitation_when_not_asked(open_wave):
    _, token = invite(open_wave, municipality("837"), email="a@example.org", position="chair")
    answers = {k: v for k, v in GOOD.items() if k != "position"}
    # The template requires the position; without an answer the submission is refused...
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit_response(token=token, answers=answers)
    assert set(refused.value.errors) == {"position"}


def test_a_used_link_is_refused_and_nothing_is_stored_twice(open_wave):
    _, token = invite(open_wave, municipality("837"), email="a@example.org")
    services.submit_response(token=token, answers=GOOD)
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit_response(token=token, answers=GOOD)
    assert refused.value.code == "already_answered"
    assert Response.objects.filter(wave=open_wave).count() == 1


def test_invalid_answers_store_nothing(open_wave):
    invitation, token = invite(open_wave, municipality("837"), email="a@example.org")
    bad = {**GOOD, "regular_meetings": "9", "headline_rating": "kyllä"}
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit_response(token=token, answers=bad)
    assert refused.value.code == "invalid"
    assert set(refused.value.errors) == {"regular_meetings", "headline_rating"}
    assert not Response.objects.exists() and not Answer.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.answered


def test_unknown_token(open_wave):
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit_response(token="1-deadbeef", answers=GOOD)
    assert refused.value.code == "unknown_token"


def test_closed_and_not_yet_open_waves_refuse(municipal_survey):
    now = timezone.now()
    closed = make_wave(
        municipal_survey, name="2025", opens_at=now - timedelta(days=30), closes_at=now
    )
    future = make_wave(
        municipal_survey,
        name="2027",
        opens_at=now + timedelta(days=30),
        closes_at=now + timedelta(days=60),
    )
    _, closed_token = invite(closed, municipality("837"), email="a@example.org")
    _, future_token = invite(future, municipality("837"), email="a@example.org")
    for token, code in ((closed_token, "closed"), (future_token, "not_open")):
        with pytest.raises(services.SubmissionRefused) as refused:
            services.submit_response(token=token, answers=GOOD)
        assert refused.value.code == code
    assert not Response.objects.exists()
    # The wave opens: the same link now works.
    with time_machine.travel(now + timedelta(days=31)):
        services.submit_response(token=future_token, answers=GOOD)


def test_regional_council_second_answer_is_refused_naming_who_may_answer(council_wave):
    council = org(Organisation.Kind.REGIONAL_COUNCIL, "06")
    _, first = invite(council_wave, council, email="johtaja@example.org", name="Maija Johtaja")
    _, second = invite(council_wave, council, email="kehitys@example.org", name="Kalle Kehittäjä")
    answers = {"position": "manager", "cooperation_county": "4", "strategic_cooperation": "no"}
    services.submit_response(token=first, answers=answers)
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit_response(token=second, answers={**answers, "position": "sector_director"})
    assert refused.value.code == "organisation_answered"
    assert "Maija Johtaja" in refused.value.message
    assert "Kalle Kehittäjä" in refused.value.message
    assert council.name in refused.value.message
    assert Response.objects.filter(wave=council_wave).count() == 1
    assert AnsweredOrganisation.objects.filter(wave=council_wave).count() == 1
    # Another council answers normally.
    _, other = invite(
        council_wave, org(Organisation.Kind.REGIONAL_COUNCIL, "02"), email="vs@example.org"
    )
    services.submit_response(token=other, answers=answers)


def test_draft_is_kept_until_submission(open_wave):
    invitation, token = invite(open_wave, municipality("837"), email="a@example.org")
    services.save_draft(invitation=invitation, raw={"headline_rating": "4"})
    services.save_draft(invitation=invitation, raw={"regular_meetings": "cant_say"})
    invitation.refresh_from_db()
    assert invitation.draft == {"headline_rating": "4", "regular_meetings": "cant_say"}
    services.submit_response(token=token, answers=GOOD)
    invitation.refresh_from_db()
    assert invitation.draft == {}


def test_identified_wave_stores_the_respondent(municipal_survey):
    wave = make_wave(municipal_survey, privacy=Wave.Privacy.IDENTIFIED)
    _, token = invite(wave, municipality("837"), email="a@example.org", name="Aino")
    response = services.submit_response(token=token, answers=GOOD)
    assert response.respondent_email == "a@example.org" and response.respondent_name == "Aino"


# -- anonymity ---------------------------------------------------------------------------------


def _columns(model) -> set[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return {column.name for column in description}


def test_response_tables_hold_nothing_that_points_at_a_person():
    """The schema itself: no key to the invitation or a user, no address, no clock time."""
    assert _columns(Response) == {
        "id",
        "wave_id",
        "organisation_id",
        "area_id",
        "position",
        "submitted_on",
        "respondent_email",  # identified waves only; empty in anonymous ones (tested below)
        "respondent_name",
    }
    assert _columns(Answer) == {
        "id",
        "response_id",
        "question_id",
        "scale_value",
        "cant_say",
        "number",
        "text",
        "choices",
        "other_text",
    }
    with connection.cursor() as cursor:
        relations = connection.introspection.get_relations(cursor, Response._meta.db_table)
    targets = {table for _, table in relations.values()}
    assert Invitation._meta.db_table not in targets
    assert "accounts_user" not in targets


def test_a_response_cannot_be_joined_to_its_invitation_from_the_database(open_wave):
    """Two people of the same organisation and position answer on different days. Everything
    stored about the invitations and the responses, read straight from the tables, fits both
    pairings equally: nothing tells which response came from which link."""
    tampere = municipality("837")
    start = timezone.now()
    first, first_token = invite(open_wave, tampere, email="eka@example.org")
    second, second_token = invite(open_wave, tampere, email="toka@example.org")
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        services.submit_response(token=second_token, answers=GOOD)
    with time_machine.travel(start + timedelta(days=2), tick=False):
        services.submit_response(token=first_token, answers={**GOOD, "headline_rating": "2"})

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM surveys_invitation WHERE wave_id = %s", [open_wave.pk])
        names = [c[0] for c in cursor.description]
        invitations = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        cursor.execute("SELECT * FROM surveys_response WHERE wave_id = %s", [open_wave.pk])
        names = [c[0] for c in cursor.description]
        responses = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # No timestamp of answering on the invitations: only creation (before any answer) and use,
    # which the daily job marks later.
    for row in invitations:
        assert row["used"] in (False, 0)
        for name, value in row.items():
            if name in ("created_at", "sent_at", "last_reminded_at"):
                assert value is None or str(value) < str(start + timedelta(minutes=1))
    invitation_values = {str(v) for row in invitations for v in row.values() if v not in (None, "")}
    for response in responses:
        assert response["respondent_email"] == "" and response["respondent_name"] == ""
        # Only the day, never the time of day.
        assert len(str(response["submitted_on"])) == 10
        # Nothing in a response repeats anything unique to one invitation (no column refers
        # to the invitation's id either: see the schema test above).
        unique_to_invitation = {
            str(row[name]) for row in invitations for name in ("email", "token_hash", "nonce")
        }
        assert not unique_to_invitation & {str(v) for v in response.values()}
        # Every stored property of the response matches both invitations equally.
        for invitation in invitations:
            assert invitation["organisation_id"] == response["organisation_id"]
            assert invitation["position"] == response["position"]
    assert invitation_values  # the query really read the rows
    # Response ids follow the order of answering, not of the invitations.
    by_id = sorted(responses, key=lambda r: r["id"])
    assert str(by_id[0]["submitted_on"]) < str(by_id[1]["submitted_on"])
    assert first.pk < second.pk


def test_an_edited_survey_is_not_served_from_the_question_cache(open_wave, platform_admin):
    from yhdyspinta.surveys import editing

    _, first = invite(open_wave, municipality("837"), email="a@example.org")
    services.submit_response(token=first, answers=GOOD)  # fills the cache
    question = open_wave.survey.questions.get(key="what_works")
    editing.remove_question(question=question, actor=platform_admin)  # answered: retired
    _, second = invite(open_wave, municipality("536"), email="b@example.org")
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit_response(token=second, answers=GOOD, api=True)
    assert set(refused.value.errors) == {"what_works"}  # no longer a question of the survey
