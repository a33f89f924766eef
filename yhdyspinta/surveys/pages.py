"""The respondent's form, one page per section, as data for the template.

The page is plain HTML that works without JavaScript. A Django Form does not fit a matrix of
ratings well (fieldsets inside a fieldset, each with its own legend), so the page is described
as blocks and the answers are checked by `answers.check_answers`, the same as in the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from .answers import CANT_SAY, OTHER, is_shown
from .models import Question, Section, Survey


@dataclass
class Option:
    value: str
    label: str
    checked: bool
    id: str


@dataclass
class Block:
    question: Question
    name: str
    kind: str
    options: list[Option] = field(default_factory=list)
    value: str = ""
    other_value: str = ""
    other_checked: bool = False
    error: str = ""
    items: list[Block] = field(default_factory=list)
    condition: str = ""

    @property
    def id(self) -> str:
        return f"q-{self.name}"

    @property
    def error_id(self) -> str:
        return f"q-{self.name}-error"

    @property
    def has_error(self) -> bool:
        return bool(self.error) or any(item.error for item in self.items)


def sections_of(survey: Survey) -> list[Section]:
    return [s for s in survey.sections.all() if s.top_questions().exists()]


def section_answer_questions(section: Section) -> list[Question]:
    questions = []
    for question in section.top_questions().prefetch_related("choices"):
        questions.extend(
            question.answer_items if question.type == Question.Type.MATRIX else [question]
        )
    return questions


def raw_from_post(post: QueryDict, questions: list[Question]) -> dict[str, Any]:
    """The section's answers as sent; multiple choice as a list, everything else a string."""
    raw: dict[str, Any] = {}
    for question in questions:
        if question.type == Question.Type.ORGANISATION:
            continue
        if question.type == Question.Type.MULTIPLE:
            raw[question.key] = post.getlist(question.key)
        else:
            raw[question.key] = post.get(question.key, "")
        if question.allow_other:
            raw[f"{question.key}.other"] = post.get(f"{question.key}.other", "")
    return raw


def _options(question: Question, source: Question, current: Any) -> list[Option]:
    chosen = current if isinstance(current, list) else [current]
    chosen = [str(v) for v in chosen if v not in (None, "")]
    options = []
    scale = question.type == Question.Type.LIKERT
    for choice in source.choices.all():
        label = f"{choice.value} – {choice.label}" if scale else choice.label
        options.append(
            Option(choice.value, label, choice.value in chosen, f"q-{question.key}-{choice.value}")
        )
    if scale and question.allow_cant_say:
        options.append(
            Option(CANT_SAY, _("Can't say"), CANT_SAY in chosen, f"q-{question.key}-{CANT_SAY}")
        )
    if question.allow_other and question.type in (Question.Type.SINGLE, Question.Type.MULTIPLE):
        options.append(
            Option(OTHER, _("Other, what?"), OTHER in chosen, f"q-{question.key}-{OTHER}")
        )
    return options


def build_blocks(section: Section, raw: dict[str, Any], errors: dict[str, str]) -> list[Block]:
    """What the page shows; `raw` holds every answer given so far (for values and conditions)."""
    blocks = []
    for question in (
        section.top_questions()
        .select_related("show_if_question")
        .prefetch_related("choices", "items")
    ):
        condition = ""
        if question.show_if_question_id:
            target = question.show_if_question
            if target.section_id != section.pk:
                if not is_shown(question, raw):
                    continue
            else:
                label = next(
                    (c.label for c in target.choices.all() if c.value == question.show_if_value),
                    question.show_if_value,
                )
                condition = _("Answer only if you chose “%(choice)s” above.") % {"choice": label}
        block = Block(
            question=question,
            name=question.key,
            kind=question.type,
            error=errors.get(question.key, ""),
            condition=condition,
        )
        current = raw.get(question.key)
        if question.type == Question.Type.MATRIX:
            for item in question.items.filter(retired_at__isnull=True):
                item_block = Block(
                    question=item,
                    name=item.key,
                    kind=Question.Type.LIKERT,
                    options=_options(item, question, raw.get(item.key)),
                    error=errors.get(item.key, ""),
                )
                block.items.append(item_block)
        elif question.is_choice:
            block.options = _options(question, question, current)
        elif question.type != Question.Type.ORGANISATION:
            block.value = "" if current is None else str(current)
        if question.allow_other:
            block.other_value = str(raw.get(f"{question.key}.other", "") or "")
        blocks.append(block)
    return blocks


def error_links(blocks: list[Block]) -> list[tuple[str, str, str]]:
    """(anchor, question text, message) for the summary at the top of the page."""
    links = []
    for block in blocks:
        if block.error:
            target = block.options[0].id if block.options else block.id
            links.append((target, block.question.text, block.error))
        for item in block.items:
            if item.error:
                links.append((item.options[0].id, item.question.text, item.error))
    return links
