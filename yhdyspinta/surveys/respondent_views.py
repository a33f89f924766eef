"""The respondent's side: a personal link, one page per section, save and continue, submit.

No login: the link's token is the credential. Pages are in the invitation's language unless the
respondent switches language with the links in the header.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from yhdyspinta.accounts.access import staff_only

from . import services
from .answers import check_answers
from .models import Invitation, Survey
from .pages import build_blocks, error_links, raw_from_post, section_answer_questions, sections_of


def _step_or_404(sections: list, step: int):
    if not 1 <= step <= len(sections):
        raise Http404
    return sections[step - 1]


def _initial_raw(invitation: Invitation) -> dict[str, Any]:
    raw = dict(invitation.draft)
    if invitation.position:
        raw.setdefault("position", invitation.position)
    return raw


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str, step: int = 1) -> HttpResponse:
    invitation = services.find_invitation(token)
    refusal = services.refusal_for(invitation)
    if refusal:
        status = 404 if refusal.code == "unknown_token" else 200
        if refusal.code == "already_answered":
            return redirect("surveys:answer_done", token=token)
        return render(
            request,
            "surveys/answer_refused.html",
            {"refusal": refusal, "invitation": invitation},
            status=status,
        )
    survey = invitation.wave.survey
    sections = sections_of(survey)
    section = _step_or_404(sections, step)
    raw = _initial_raw(invitation)
    errors: dict[str, str] = {}
    other_errors: list[tuple[int, str, str]] = []
    saved = False
    if request.method == "POST":
        questions = section_answer_questions(section)
        posted = raw_from_post(request.POST, questions)
        raw.update(posted)
        action = request.POST.get("action", "next")
        # Not on submit: a second click may be handled after the first has submitted. What is
        # posted is saved below if the submission does not go through.
        if action != "submit":
            services.save_draft(invitation=invitation, raw=posted)
        if action == "previous":
            return redirect("surveys:answer_step", token=token, step=max(step - 1, 1))
        if action == "save":
            saved = True
        else:
            _, errors = check_answers(questions, raw)
            if not errors and action == "next" and step < len(sections):
                return redirect("surveys:answer_step", token=token, step=step + 1)
            if action == "submit" and (errors or step != len(sections)):
                services.save_draft(invitation=invitation, raw=posted)
            if not errors and action == "submit" and step == len(sections):
                try:
                    services.submit_response(token=token, answers=raw)
                except services.SubmissionRefused as exc:
                    if exc.code == "already_answered":
                        return redirect("surveys:answer_done", token=token)
                    if exc.code != "invalid":
                        return render(
                            request,
                            "surveys/answer_refused.html",
                            {"refusal": exc, "invitation": invitation},
                        )
                    services.save_draft(invitation=invitation, raw=posted)
                    other_errors = _errors_elsewhere(sections, exc.errors)
                else:
                    return redirect("surveys:answer_done", token=token)
    blocks = build_blocks(section, raw, errors)
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "wave": invitation.wave,
            "invitation": invitation,
            "section": section,
            "step": step,
            "steps": len(sections),
            "blocks": blocks,
            "error_links": error_links(blocks),
            "other_errors": other_errors,
            "saved": saved,
            "form_action": reverse("surveys:answer_step", args=[token, step]),
            "preview": False,
        },
    )


def _errors_elsewhere(sections: list, errors: dict[str, str]) -> list[tuple[int, str, str]]:
    """Problems in other sections, as (section number, question text, message)."""
    found = []
    for number, section in enumerate(sections, start=1):
        for question in section_answer_questions(section):
            if question.key in errors:
                found.append((number, question.text, errors[question.key]))
    return found


@never_cache
def answer_done(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.find_invitation(token)
    if invitation is None or not invitation.answered:
        raise Http404
    return render(request, "surveys/answer_done.html", {"wave": invitation.wave})


@staff_only
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, pk: int, step: int = 1) -> HttpResponse:
    """The survey as a respondent sees it; answers are checked but never stored."""
    survey = get_object_or_404(Survey, pk=pk)
    sections = sections_of(survey)
    section = _step_or_404(sections, step)
    raw: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        questions = section_answer_questions(section)
        raw = raw_from_post(request.POST, questions)
        action = request.POST.get("action", "next")
        if action == "previous":
            return redirect("surveys:preview_step", pk=pk, step=max(step - 1, 1))
        _, errors = check_answers(questions, raw)
        if not errors and action == "next" and step < len(sections):
            return redirect("surveys:preview_step", pk=pk, step=step + 1)
    blocks = build_blocks(section, raw, errors)
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "wave": None,
            "invitation": None,
            "section": section,
            "step": step,
            "steps": len(sections),
            "blocks": blocks,
            "error_links": error_links(blocks),
            "other_errors": [],
            "saved": False,
            "form_action": reverse("surveys:preview_step", args=[pk, step]),
            "preview": True,
        },
    )
