"""Writes of the results app: tags and the review of open answers. Each is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yhdyspinta.core import audit
from yhdyspinta.surveys.definition import set_translated
from yhdyspinta.surveys.models import Answer, Question, Survey

from .models import AnswerReview, Tag

# The survey question whose choices are the interface themes (the ten of the seed).
THEME_QUESTION_KEY = "challenging_interfaces"


@transaction.atomic
def add_tag(*, survey: Survey, kind: str, names: dict[str, str], actor=None) -> Tag:
    """A new tag; `names` holds the name per language, Finnish required."""
    name_fi = (names.get("fi") or "").strip()
    if not name_fi:
        raise ValidationError({"name_fi": _("Give the tag a Finnish name.")})
    if Tag.objects.filter(survey=survey, kind=kind, name_fi__iexact=name_fi).exists():
        raise ValidationError({"name_fi": _("The survey already has a tag with this name.")})
    tag = Tag(survey=survey, kind=kind)
    set_translated(
        tag, "name", {lang: (names.get(lang) or "").strip() for lang in ("fi", "sv", "en")}
    )
    tag.save()
    audit.record(obj=survey, action="tag added", actor=actor, changes={"tag": ["", name_fi]})
    return tag


@transaction.atomic
def add_theme_tags(*, survey: Survey, actor=None) -> list[Tag]:
    """Theme tags from the choices of the survey's interface question, once."""
    question = survey.questions.filter(key=THEME_QUESTION_KEY).first()
    if question is None:
        return []
    existing = set(
        Tag.objects.filter(survey=survey, kind=Tag.Kind.THEME).values_list("key", flat=True)
    )
    added = []
    for choice in question.choices.order_by("order", "pk"):
        if choice.value in existing:
            continue
        tag = Tag(survey=survey, kind=Tag.Kind.THEME, key=choice.value)
        set_translated(
            tag,
            "name",
            {lang: getattr(choice, f"label_{lang}") or "" for lang in ("fi", "sv", "en")},
        )
        tag.save()
        added.append(tag)
    if added:
        audit.record(
            obj=survey,
            action="tag added",
            actor=actor,
            changes={"tag": ["", ", ".join(t.name_fi for t in added)]},
        )
    return added


@transaction.atomic
def review_answer(
    *, answer: Answer, tags: list[Tag], publishable: bool, actor=None
) -> AnswerReview:
    if answer.question.type not in (Question.Type.LONG_TEXT, Question.Type.SHORT_TEXT):
        raise ValidationError(_("Only written answers can be reviewed."))
    survey_id = answer.question.survey_id
    if any(tag.survey_id != survey_id for tag in tags):
        raise ValidationError(_("A tag of another survey cannot be used here."))
    review, _created = AnswerReview.objects.get_or_create(answer=answer)
    before = (sorted(t.name for t in review.tags.all()), review.publishable)
    review.publishable = publishable
    review.save()
    review.tags.set(tags)
    after = (sorted(t.name for t in tags), publishable)
    if before != after:
        audit.record(
            obj=answer.question.survey,
            action="answer reviewed",
            actor=actor,
            changes={
                "tags": [", ".join(before[0]), ", ".join(after[0])],
                "publishable": [before[1], after[1]],
            },
        )
    return review
