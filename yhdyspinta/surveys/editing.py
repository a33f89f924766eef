"""Changing a survey definition without breaking comparisons across waves.

Before any answers exist a question is edited in place. Once answered, a change of meaning
(the Finnish wording, the type, the choices, the number range) retires the question and creates
a new one under a new key, so that earlier results keep the question they were given.
Swedish and English wording and help texts may be corrected in place: they translate the
same meaning.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from yhdyspinta.core import audit

from .definition import mirror_finnish
from .models import KEY_VALIDATOR, Answer, Choice, Question, Section, Survey

MEANING_FIELDS = ("text_fi", "type", "min_value", "max_value")
LANGS = ("fi", "sv", "en")


def _touch(survey: Survey) -> None:
    """Mark the survey changed, so that cached question lists are read again."""
    survey.save(update_fields=["updated_at"])


def parse_choices(text: str) -> list[dict[str, Any]]:
    """Choices written one per line as `value | suomeksi | på svenska | in English`."""
    choices = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise ValidationError(
                _("Line %(n)s: write the value and the Finnish label separated by “|”."),
                params={"n": number},
            )
        parts += [""] * (4 - len(parts))
        choices.append({"value": parts[0], "label": dict(zip(LANGS, parts[1:4], strict=True))})
    return choices


def choices_as_text(question: Question) -> str:
    return "\n".join(
        " | ".join([c.value, c.label_fi or "", c.label_sv or "", c.label_en or ""]).rstrip(" |")
        for c in question.choices.all()
    )


def is_answered(question: Question) -> bool:
    ids = [question.pk, *question.items.values_list("pk", flat=True)]
    return Answer.objects.filter(question_id__in=ids).exists()


def _choice_rows(question: Question) -> list[tuple[str, str]]:
    return [(c.value, c.label_fi or "") for c in question.choices.all()]


def _set_choices(question: Question, choices: list[dict[str, Any]]) -> None:
    question.choices.all().delete()
    for order, data in enumerate(choices):
        choice = Choice(
            question=question,
            order=order,
            value=data["value"],
            **{f"label_{lang}": data["label"][lang] for lang in LANGS},
        )
        mirror_finnish(choice, "label")
        choice.save()


def _check_choices(kind: str, choices: list[dict[str, Any]]) -> None:
    values = [c["value"] for c in choices]
    if kind in (Question.Type.LIKERT, Question.Type.MATRIX) and values != list("12345"):
        raise ValidationError(_("A rating has exactly the choices 1, 2, 3, 4 and 5."))
    if kind in (Question.Type.SINGLE, Question.Type.MULTIPLE, Question.Type.POSITION):
        if not values:
            raise ValidationError(_("Add the choices."))
        if len(set(values)) != len(values):
            raise ValidationError(_("A choice value is used twice."))


@transaction.atomic
def add_question(
    *, section: Section, values: dict[str, Any], choices: list[dict[str, Any]], actor: Any
) -> Question:
    survey = section.survey
    if survey.questions.filter(key=values["key"]).exists():
        raise ValidationError(
            _("The key “%(key)s” is already used."), params={"key": values["key"]}
        )
    if values.get("type") != Question.Type.LIKERT or values.get("parent") is None:
        _check_choices(values["type"], choices)
    order = (section.questions.aggregate(m=Max("order"))["m"] or 0) + 1
    question = Question(survey=survey, section=section, order=order, **values)
    mirror_finnish(question, "text")
    mirror_finnish(question, "help")
    question.full_clean()
    question.save()
    _set_choices(question, choices)
    _touch(survey)
    audit.record(
        obj=survey, action="question added", actor=actor, changes={"key": [None, question.key]}
    )
    return question


@transaction.atomic
def update_question(
    *,
    question: Question,
    values: dict[str, Any],
    choices: list[dict[str, Any]] | None,
    actor: Any,
    new_key: str = "",
) -> Question:
    """Edit in place, or, when an answered question changes meaning, replace it under `new_key`."""
    if question.retired_at:
        raise ValidationError(_("A retired question cannot be changed."))
    kind = values.get("type", question.type)
    if choices is not None and question.parent_id is None:
        _check_choices(kind, choices)
    meaning_changed = any(
        field in values and values[field] != getattr(question, field) for field in MEANING_FIELDS
    ) or (
        choices is not None
        and [(c["value"], c["label"]["fi"]) for c in choices] != _choice_rows(question)
    )
    if meaning_changed and is_answered(question):
        if not new_key:
            raise ValidationError(
                _(
                    "This question already has answers. A change of meaning needs a new key, so "
                    "that earlier results stay comparable: give the new key."
                )
            )
        return _replace(question, values, choices, actor, new_key)
    changes = audit.diff(question, values)
    for name, value in values.items():
        setattr(question, name, value)
    mirror_finnish(question, "text")
    mirror_finnish(question, "help")
    question.full_clean()
    question.save()
    if choices is not None and question.parent_id is None:
        old = [(c.value, c.label_fi, c.label_sv, c.label_en) for c in question.choices.all()]
        new = [(c["value"], *[c["label"][lang] for lang in LANGS]) for c in choices]
        if old != new:
            _set_choices(question, choices)
            changes["choices"] = [len(old), len(new)]
    if changes:
        _touch(question.survey)
        audit.record(
            obj=question.survey,
            action="question changed",
            actor=actor,
            changes={f"{question.key}.{k}": v for k, v in changes.items()},
        )
    return question


def _replace(
    question: Question,
    values: dict[str, Any],
    choices: list[dict[str, Any]] | None,
    actor: Any,
    new_key: str,
) -> Question:
    KEY_VALIDATOR(new_key)
    if question.survey.questions.filter(key=new_key).exists():
        raise ValidationError(_("The key “%(key)s” is already used."), params={"key": new_key})
    old_choices = [
        {"value": c.value, "label": {lang: getattr(c, f"label_{lang}") or "" for lang in LANGS}}
        for c in question.choices.all()
    ]
    items = list(question.items.filter(retired_at__isnull=True))
    new = Question.objects.get(pk=question.pk)
    new.pk = None
    new.key = new_key
    for name, value in values.items():
        setattr(new, name, value)
    mirror_finnish(new, "text")
    mirror_finnish(new, "help")
    new.full_clean(validate_unique=False)
    new.save()
    _set_choices(new, choices if choices is not None else old_choices)
    now = timezone.now()
    # The items of a rating group keep their own keys: they move under the new group.
    for item in items:
        item.parent = new
        item.save(update_fields=["parent"])
    Question.objects.filter(show_if_question=question).update(show_if_question=new)
    question.retired_at = now
    question.replaced_by = new
    question.save(update_fields=["retired_at", "replaced_by"])
    _touch(question.survey)
    audit.record(
        obj=question.survey,
        action="question replaced",
        actor=actor,
        changes={"key": [question.key, new_key]},
    )
    return new


@transaction.atomic
def remove_question(*, question: Question, actor: Any) -> None:
    """Unanswered questions are deleted; answered ones are retired so their results remain."""
    if is_answered(question):
        question.retired_at = timezone.now()
        question.save(update_fields=["retired_at"])
        action = "question retired"
    else:
        question.delete()
        action = "question deleted"
    _touch(question.survey)
    audit.record(
        obj=question.survey, action=action, actor=actor, changes={"key": [question.key, None]}
    )


@transaction.atomic
def move_question(*, question: Question, direction: int, actor: Any) -> None:
    siblings = list(
        Question.objects.filter(
            section=question.section, parent=question.parent, retired_at__isnull=True
        ).order_by("order", "pk")
    )
    index = siblings.index(question)
    target = index + direction
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for order, q in enumerate(siblings):
            if q.order != order:
                q.order = order
                q.save(update_fields=["order"])
        _touch(question.survey)
        audit.record(
            obj=question.survey,
            action="question moved",
            actor=actor,
            changes={question.key: [index + 1, target + 1]},
        )


@transaction.atomic
def save_section(
    *, survey: Survey, section: Section | None, values: dict[str, Any], actor: Any
) -> Section:
    if section is None:
        order = (survey.sections.aggregate(m=Max("order"))["m"] or 0) + 1
        section = Section(survey=survey, order=order)
        action = "section added"
    else:
        action = "section changed"
    for name, value in values.items():
        setattr(section, name, value)
    mirror_finnish(section, "title")
    mirror_finnish(section, "intro")
    section.save()
    _touch(survey)
    audit.record(obj=survey, action=action, actor=actor, changes={"section": [None, section.title]})
    return section


@transaction.atomic
def update_survey(*, survey: Survey, values: dict[str, Any], actor: Any) -> Survey:
    audit.update(survey, values, actor=actor)
    mirror_finnish(survey, "title")
    mirror_finnish(survey, "intro")
    survey.save()
    return survey
