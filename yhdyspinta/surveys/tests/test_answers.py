"""Checking single answers: the rules the form and the API share."""

from decimal import Decimal

import pytest

from yhdyspinta.surveys.answers import AnswerError, check_answer, check_answers
from yhdyspinta.surveys.models import Question

pytestmark = pytest.mark.django_db


def q(survey, key):
    return survey.questions.get(key=key)


def test_likert_takes_1_to_5_and_cant_say(municipal_survey):
    item = q(municipal_survey, "regular_meetings")
    assert check_answer(item, "4").scale_value == 4
    assert check_answer(item, 5).scale_value == 5
    cant = check_answer(item, "cant_say")
    assert cant.cant_say and cant.scale_value is None
    for bad in ("0", "6", 7, "3.5", "kolme", True, " 4x"):
        with pytest.raises(AnswerError):
            check_answer(item, bad)


def test_cant_say_refused_where_not_offered(municipal_survey):
    item = q(municipal_survey, "regular_meetings")
    item.allow_cant_say = False
    with pytest.raises(AnswerError):
        check_answer(item, "cant_say")


def test_empty_answer_is_none_unless_required(municipal_survey):
    item = q(municipal_survey, "regular_meetings")
    assert check_answer(item, "") is None
    position = q(municipal_survey, "position")
    assert position.required
    with pytest.raises(AnswerError, match=r"Answer this question|Vastaa"):
        check_answer(position, "")


def test_single_choice_must_be_an_offered_value(municipal_survey):
    position = q(municipal_survey, "position")
    assert check_answer(position, "chair").choices == ["chair"]
    with pytest.raises(AnswerError):
        check_answer(position, "mayor")


def test_multiple_choice_with_other_needs_the_text(municipal_survey):
    question = q(municipal_survey, "challenging_interfaces")
    assert question.type == Question.Type.MULTIPLE and question.allow_other
    checked = check_answer(question, ["housing", "employment"])
    assert checked.choices == ["housing", "employment"]
    with pytest.raises(AnswerError):
        check_answer(question, ["housing", "other"])
    checked = check_answer(question, ["other", "housing"], "Vammaispalvelut")
    # Kept in the order of the choices, with "other" last.
    assert checked.choices == ["housing", "other"] and checked.other_text == "Vammaispalvelut"
    with pytest.raises(AnswerError):
        check_answer(question, ["housing", "housing"])
    with pytest.raises(AnswerError):
        check_answer(question, ["no_such_theme"])


def test_number_is_whole_and_within_bounds(municipal_survey):
    question = q(municipal_survey, "what_works")
    question.type = Question.Type.NUMBER
    question.min_value, question.max_value = 0, 100
    assert check_answer(question, "42").number == Decimal(42)
    assert check_answer(question, 7).number == Decimal(7)
    for bad in ("-1", "101", "4,5", "abc", "1e3", "NaN"):
        with pytest.raises(AnswerError):
            check_answer(question, bad)


def test_long_text_has_a_limit(municipal_survey):
    question = q(municipal_survey, "what_works")
    assert check_answer(question, "  Hyvä yhteistyö.  ").text == "Hyvä yhteistyö."
    with pytest.raises(AnswerError, match="5000"):
        check_answer(question, "x" * 5001)
    with pytest.raises(AnswerError):
        check_answer(question, 12)


def test_unknown_keys_are_errors_only_when_asked(municipal_survey):
    questions = [q(municipal_survey, "regular_meetings")]
    checked, errors = check_answers(questions, {"regular_meetings": "3", "bogus": "1"})
    assert errors == {} and checked["regular_meetings"].scale_value == 3
    _, errors = check_answers(
        questions, {"regular_meetings": "3", "bogus": "1"}, reject_unknown=True
    )
    assert set(errors) == {"bogus"}


def test_condition_drops_the_answer_when_not_met(council_wave):
    survey = council_wave.survey
    how = survey.questions.get(key="strategic_cooperation_how")
    strategic = survey.questions.get(key="strategic_cooperation")
    questions = [strategic, how]
    checked, _ = check_answers(
        questions, {"strategic_cooperation": "no", "strategic_cooperation_how": "LAPE-ryhmä"}
    )
    assert "strategic_cooperation_how" not in checked
    checked, _ = check_answers(
        questions, {"strategic_cooperation": "yes", "strategic_cooperation_how": "LAPE-ryhmä"}
    )
    assert checked["strategic_cooperation_how"].text == "LAPE-ryhmä"
