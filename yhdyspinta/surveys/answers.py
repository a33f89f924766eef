"""Turning what a respondent sent (form fields or API JSON) into checked answers.

The form and the API both go through `check_answers`, so they accept and refuse the same things.
A raw answer is keyed by the question key; "other, what?" text comes as "<key>.other".
"Can't say" is the value `cant_say`: it counts as answered but never becomes a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .models import Question

CANT_SAY = "cant_say"
OTHER = "other"
SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 5000


@dataclass
class Checked:
    """One question's answer, ready to store."""

    scale_value: int | None = None
    cant_say: bool = False
    number: Decimal | None = None
    text: str = ""
    choices: list[str] = field(default_factory=list)
    other_text: str = ""


class AnswerError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _is_empty(value: Any) -> bool:
    return (
        value is None
        or value == ""
        or value == []
        or (isinstance(value, str) and not value.strip())
    )


def check_answer(question: Question, raw: Any, other: Any = None) -> Checked | None:
    """The checked answer, None when unanswered; AnswerError says what is wrong."""
    if isinstance(raw, list) and question.type != Question.Type.MULTIPLE:
        raw = raw[-1] if raw else None
    if _is_empty(raw):
        if question.required:
            raise AnswerError(_("Answer this question."))
        return None
    kind = question.type
    if kind == Question.Type.LIKERT:
        if raw == CANT_SAY:
            if not question.allow_cant_say:
                raise AnswerError(_("Choose a value from 1 to 5."))
            return Checked(cant_say=True)
        try:
            value = int(str(raw))
        except ValueError:
            value = 0
        if isinstance(raw, bool) or not 1 <= value <= 5 or str(raw).strip() != str(value):
            raise AnswerError(_("Choose a value from 1 to 5."))
        return Checked(scale_value=value)
    if kind in (Question.Type.SINGLE, Question.Type.POSITION):
        values = {c.value for c in question.scale_choices()}
        value = str(raw)
        if value == OTHER and question.allow_other and OTHER not in values:
            other_text = _other_text(other)
            return Checked(choices=[OTHER], other_text=other_text)
        if value not in values:
            raise AnswerError(_("Choose one of the options."))
        return Checked(choices=[value])
    if kind == Question.Type.MULTIPLE:
        chosen = raw if isinstance(raw, list) else [raw]
        values = [c.value for c in question.scale_choices()]
        allowed = set(values) | ({OTHER} if question.allow_other else set())
        chosen = [str(v) for v in chosen]
        if any(v not in allowed for v in chosen):
            raise AnswerError(_("Choose among the options shown."))
        if len(set(chosen)) != len(chosen):
            raise AnswerError(_("Each option can be chosen once."))
        other_text = _other_text(other) if OTHER in chosen and OTHER not in values else ""
        order = {v: i for i, v in enumerate([*values, OTHER])}
        return Checked(choices=sorted(chosen, key=order.__getitem__), other_text=other_text)
    if kind == Question.Type.NUMBER:
        try:
            number = Decimal(str(raw).strip().replace(",", "."))
        except InvalidOperation:
            raise AnswerError(_("Enter a whole number.")) from None
        if not number.is_finite() or number != number.to_integral_value():
            raise AnswerError(_("Enter a whole number."))
        if question.min_value is not None and number < question.min_value:
            raise AnswerError(
                _("Enter a number of at least %(min)s.") % {"min": question.min_value}
            )
        if question.max_value is not None and number > question.max_value:
            raise AnswerError(_("Enter a number of at most %(max)s.") % {"max": question.max_value})
        return Checked(number=number)
    if kind in (Question.Type.SHORT_TEXT, Question.Type.LONG_TEXT):
        if not isinstance(raw, str):
            raise AnswerError(_("Write the answer as text."))
        limit = SHORT_TEXT_MAX if kind == Question.Type.SHORT_TEXT else LONG_TEXT_MAX
        text = raw.strip()
        if len(text) > limit:
            raise AnswerError(
                _("Shorten the answer to at most %(limit)s characters (now %(length)s).")
                % {"limit": limit, "length": len(text)}
            )
        return Checked(text=text)
    raise AnswerError(_("This question takes no answer."))


def _other_text(other: Any) -> str:
    text = other.strip() if isinstance(other, str) else ""
    if not text:
        raise AnswerError(_("Say what “other” means."))
    if len(text) > SHORT_TEXT_MAX:
        raise AnswerError(
            _("Shorten the answer to at most %(limit)s characters.") % {"limit": SHORT_TEXT_MAX}
        )
    return text


def is_shown(question: Question, raw: dict[str, Any]) -> bool:
    """A conditional question counts only when the earlier answer matches."""
    if not question.show_if_question_id:
        return True
    earlier = raw.get(question.show_if_question.key)
    if isinstance(earlier, list):
        return question.show_if_value in [str(v) for v in earlier]
    return earlier is not None and str(earlier) == question.show_if_value


def check_answers(
    questions: list[Question], raw: dict[str, Any], *, reject_unknown: bool = False
) -> tuple[dict[str, Checked], dict[str, str]]:
    """Check the answers to these questions; return (answers by key, errors by key).

    `questions` are the answer-holding ones (matrix items, not the matrix). With
    `reject_unknown` (the API) a key that is not one of them is an error, not silently ignored.
    """
    checked: dict[str, Checked] = {}
    errors: dict[str, str] = {}
    for question in questions:
        if question.type == Question.Type.ORGANISATION:
            continue
        if not is_shown(question, raw):
            continue
        try:
            answer = check_answer(question, raw.get(question.key), raw.get(f"{question.key}.other"))
        except AnswerError as exc:
            errors[question.key] = exc.message
            continue
        if answer is not None:
            checked[question.key] = answer
    if reject_unknown:
        known = {q.key for q in questions}
        for key in raw:
            base = key.removesuffix(".other")
            if base not in known:
                errors[key] = _("There is no question with this key in the survey.")
    return checked, errors
