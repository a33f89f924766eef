"""A survey definition as plain data, and back.

The built-in templates, the XLSForm import and export and the tests all speak this one shape:

    {"key": "municipal_leadership", "title": {"fi": .., "sv": .., "en": ..}, "intro": {..},
     "audience": "municipal", "answer_mode": "per_person",
     "sections": [{"title": {..}, "intro": {..}, "questions": [
        {"key": "headline_rating", "type": "likert", "text": {..}, "help": {..},
         "required": false, "allow_cant_say": true, "allow_other": false,
         "min_value": null, "max_value": null, "show_if": null,
         "choices": [{"value": "1", "label": {..}}, ..],
         "items": [{"key": .., "text": {..}, "help": {..}}]   # matrix only
        }]}]}

`show_if` is {"question": "<key of an earlier question>", "value": "<choice value>"} or null.
Every text is a dict with the keys fi, sv and en ("" where a language is missing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yhdyspinta.core import audit

from .models import KEY_VALIDATOR, AnswerMode, Choice, Question, Section, Survey

LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True)
class DefinitionError:
    """Where in the definition (e.g. "sections[1].questions[3].choices") and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class DefinitionRejected(Exception):
    def __init__(self, errors: list[DefinitionError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def texts(value: Any) -> dict[str, str]:
    """A text in the three languages; a plain string counts as Finnish."""
    if isinstance(value, str):
        value = {"fi": value}
    value = value or {}
    return {lang: (value.get(lang) or "").strip() for lang in LANGUAGES}


def _translated(obj: Any, field: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{field}_{lang}") or "" for lang in LANGUAGES}


def set_translated(obj: Any, field: str, value: dict[str, str]) -> None:
    for lang in LANGUAGES:
        setattr(obj, f"{field}_{lang}", value[lang])
    mirror_finnish(obj, field)


def mirror_finnish(obj: Any, field: str) -> None:
    """The untranslated column mirrors Finnish, the language every text must have.

    Written to the instance dict on purpose: assigning the attribute would go through
    modeltranslation's descriptor and overwrite the *current* language's text.
    """
    obj.__dict__[field] = getattr(obj, f"{field}_fi") or ""


def survey_to_definition(survey: Survey) -> dict[str, Any]:
    """The survey's current (not retired) questions as plain data."""
    sections = []
    for section in survey.sections.all():
        questions = []
        for question in section.top_questions().prefetch_related("choices"):
            questions.append(_question_to_definition(question))
        sections.append(
            {
                "title": _translated(section, "title"),
                "intro": _translated(section, "intro"),
                "questions": questions,
            }
        )
    return {
        "key": survey.key,
        "title": _translated(survey, "title"),
        "intro": _translated(survey, "intro"),
        "audience": survey.audience,
        "answer_mode": survey.answer_mode,
        "sections": sections,
    }


def _question_to_definition(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": question.key,
        "type": question.type,
        "text": _translated(question, "text"),
        "help": _translated(question, "help"),
        "required": question.required,
        "allow_cant_say": question.allow_cant_say,
        "allow_other": question.allow_other,
        "min_value": question.min_value,
        "max_value": question.max_value,
        "show_if": (
            {"question": question.show_if_question.key, "value": question.show_if_value}
            if question.show_if_question_id
            else None
        ),
        "choices": [
            {"value": c.value, "label": _translated(c, "label")} for c in question.choices.all()
        ],
    }
    if question.type == Question.Type.MATRIX:
        data["items"] = [
            {"key": item.key, "text": _translated(item, "text"), "help": _translated(item, "help")}
            for item in question.items.filter(retired_at__isnull=True)
        ]
    return data


def normalise(definition: dict[str, Any]) -> dict[str, Any]:
    """Fill in defaults so that two definitions of the same survey compare equal."""
    sections = []
    for section in definition.get("sections", []):
        questions = []
        for q in section.get("questions", []):
            question = {
                "key": q.get("key", ""),
                "type": q.get("type", ""),
                "text": texts(q.get("text")),
                "help": texts(q.get("help")),
                "required": bool(q.get("required", False)),
                "allow_cant_say": bool(q.get("allow_cant_say", False)),
                "allow_other": bool(q.get("allow_other", False)),
                "min_value": q.get("min_value"),
                "max_value": q.get("max_value"),
                "show_if": q.get("show_if") or None,
                "choices": [
                    {"value": str(c.get("value", "")), "label": texts(c.get("label"))}
                    for c in q.get("choices", [])
                ],
            }
            if question["type"] == Question.Type.MATRIX:
                question["items"] = [
                    {
                        "key": item.get("key", ""),
                        "text": texts(item.get("text")),
                        "help": texts(item.get("help")),
                    }
                    for item in q.get("items", [])
                ]
            questions.append(question)
        sections.append(
            {
                "title": texts(section.get("title")),
                "intro": texts(section.get("intro")),
                "questions": questions,
            }
        )
    return {
        "key": definition.get("key", ""),
        "title": texts(definition.get("title")),
        "intro": texts(definition.get("intro")),
        "audience": definition.get("audience") or Survey.Audience.OTHER,
        "answer_mode": definition.get("answer_mode") or AnswerMode.PER_PERSON,
        "sections": sections,
    }


def validate(definition: dict[str, Any]) -> list[DefinitionError]:
    """Every problem in the definition, with its path; empty when it can be built."""
    d = normalise(definition)
    errors: list[DefinitionError] = []

    def check_key(path: str, key: str, seen: set[str]) -> None:
        try:
            KEY_VALIDATOR(key)
        except ValidationError as exc:
            errors.append(DefinitionError(path, f"“{key}”: {' '.join(exc.messages)}"))
        if key in seen:
            errors.append(DefinitionError(path, _("The key “%s” is used twice.") % key))
        seen.add(key)

    check_key("key", d["key"], set())
    if not d["title"]["fi"]:
        errors.append(DefinitionError("title", _("The Finnish title is missing.")))
    if d["audience"] not in Survey.Audience.values:
        errors.append(DefinitionError("audience", _("Unknown audience “%s”.") % d["audience"]))
    if d["answer_mode"] not in AnswerMode.values:
        errors.append(
            DefinitionError("answer_mode", _("Unknown answer mode “%s”.") % d["answer_mode"])
        )
    if not d["sections"]:
        errors.append(DefinitionError("sections", _("A survey needs at least one section.")))
    keys: set[str] = set()
    earlier_choices: dict[str, set[str]] = {}
    for s, section in enumerate(d["sections"]):
        spath = f"sections[{s}]"
        if not section["title"]["fi"]:
            errors.append(DefinitionError(f"{spath}.title", _("The Finnish title is missing.")))
        for i, q in enumerate(section["questions"]):
            path = f"{spath}.questions[{i}]"
            check_key(f"{path}.key", q["key"], keys)
            if q["type"] not in Question.Type.values:
                errors.append(
                    DefinitionError(f"{path}.type", _("Unknown question type “%s”.") % q["type"])
                )
                continue
            if not q["text"]["fi"]:
                errors.append(DefinitionError(f"{path}.text", _("The Finnish text is missing.")))
            values = [c["value"] for c in q["choices"]]
            if q["type"] in (Question.Type.LIKERT, Question.Type.MATRIX):
                if values != ["1", "2", "3", "4", "5"]:
                    errors.append(
                        DefinitionError(
                            f"{path}.choices",
                            _("A rating has exactly the choices 1, 2, 3, 4 and 5."),
                        )
                    )
            elif q["type"] in (Question.Type.SINGLE, Question.Type.MULTIPLE):
                if not values:
                    errors.append(DefinitionError(f"{path}.choices", _("Add the choices.")))
                if len(set(values)) != len(values):
                    errors.append(
                        DefinitionError(f"{path}.choices", _("A choice value is used twice."))
                    )
            elif q["choices"] and q["type"] != Question.Type.POSITION:
                errors.append(
                    DefinitionError(f"{path}.choices", _("This type of question has no choices."))
                )
            if q["type"] == Question.Type.MATRIX:
                if not q.get("items"):
                    errors.append(DefinitionError(f"{path}.items", _("Add the rated items.")))
                for j, item in enumerate(q.get("items", [])):
                    check_key(f"{path}.items[{j}].key", item["key"], keys)
                    if not item["text"]["fi"]:
                        errors.append(
                            DefinitionError(
                                f"{path}.items[{j}].text", _("The Finnish text is missing.")
                            )
                        )
            if q["show_if"]:
                target = q["show_if"].get("question")
                if target not in earlier_choices:
                    errors.append(
                        DefinitionError(
                            f"{path}.show_if",
                            _("The condition must refer to an earlier choice question."),
                        )
                    )
                elif str(q["show_if"].get("value")) not in earlier_choices[target]:
                    errors.append(
                        DefinitionError(
                            f"{path}.show_if",
                            _("“%(value)s” is not a choice of “%(key)s”.")
                            % {"value": q["show_if"].get("value"), "key": target},
                        )
                    )
            if q["type"] in (
                Question.Type.LIKERT,
                Question.Type.SINGLE,
                Question.Type.MULTIPLE,
                Question.Type.POSITION,
            ):
                earlier_choices[q["key"]] = set(values)
    return errors


@transaction.atomic
def build_survey(definition: dict[str, Any], *, actor: Any = None, is_demo: bool = False) -> Survey:
    """Create a survey from a definition; nothing is created when any part is invalid."""
    errors = validate(definition)
    if errors:
        raise DefinitionRejected(errors)
    d = normalise(definition)
    if Survey.objects.filter(key=d["key"]).exists():
        raise DefinitionRejected(
            [DefinitionError("key", _("A survey with the key “%s” exists already.") % d["key"])]
        )
    survey = Survey(audience=d["audience"], answer_mode=d["answer_mode"], is_demo=is_demo)
    survey.key = d["key"]
    set_translated(survey, "title", d["title"])
    set_translated(survey, "intro", d["intro"])
    survey.save()
    by_key: dict[str, Question] = {}
    for s, section_data in enumerate(d["sections"]):
        section = Section(survey=survey, order=s)
        set_translated(section, "title", section_data["title"])
        set_translated(section, "intro", section_data["intro"])
        section.save()
        for i, q in enumerate(section_data["questions"]):
            question = _create_question(survey, section, q, order=i, by_key=by_key)
            for j, item in enumerate(q.get("items", [])):
                child = Question(
                    survey=survey,
                    section=section,
                    parent=question,
                    order=j,
                    key=item["key"],
                    type=Question.Type.LIKERT,
                    required=question.required,
                    allow_cant_say=question.allow_cant_say,
                )
                set_translated(child, "text", item["text"])
                set_translated(child, "help", item["help"])
                child.save()
    audit.record(obj=survey, action="created", actor=actor)
    return survey


def _create_question(
    survey: Survey, section: Section, q: dict[str, Any], *, order: int, by_key: dict
) -> Question:
    question = Question(
        survey=survey,
        section=section,
        order=order,
        key=q["key"],
        type=q["type"],
        required=q["required"],
        allow_cant_say=q["allow_cant_say"],
        allow_other=q["allow_other"],
        min_value=q["min_value"],
        max_value=q["max_value"],
    )
    set_translated(question, "text", q["text"])
    set_translated(question, "help", q["help"])
    if q["show_if"]:
        question.show_if_question = by_key[q["show_if"]["question"]]
        question.show_if_value = str(q["show_if"]["value"])
    question.save()
    by_key[question.key] = question
    for k, c in enumerate(q["choices"]):
        choice = Choice(question=question, order=k, value=c["value"])
        set_translated(choice, "label", c["label"])
        choice.save()
    return question
