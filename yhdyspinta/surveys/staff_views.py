"""The association's staff run surveys: definitions, waves, recipients and the response rate.

Every view here is for platform administrators only; `staff_only` checks it on the server.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yhdyspinta.accounts.access import staff_only
from yhdyspinta.core import audit
from yhdyspinta.core.tables import ImportRejected

from . import definition, editing, selectors, services, xlsform
from .builtin import load_template
from .forms import NewSurveyForm, QuestionForm, SectionForm, SurveyForm, UploadForm, WaveForm
from .models import Invitation, Question, Section, Survey, Wave

# -- surveys -----------------------------------------------------------------------------------


@staff_only
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = Survey.objects.prefetch_related("waves")
    return render(request, "surveys/survey_list.html", {"surveys": surveys, "nav": "surveys"})


@staff_only
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    form = NewSurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["template"]:
            source = load_template(data["template"])
        else:
            source = {
                "title": {"fi": data["title_fi"]},
                "sections": [{"title": {"fi": _("Questions")}, "questions": []}],
            }
        source["key"] = data["key"]
        if data["template"] and data["title_fi"]:
            source["title"]["fi"] = data["title_fi"]
        try:
            survey = definition.build_survey(source, actor=request.user)
        except definition.DefinitionRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The survey was created."))
            return redirect(survey)
    return render(request, "surveys/survey_create.html", {"form": form, "nav": "surveys"})


@staff_only
@require_http_methods(["GET", "POST"])
def survey_import(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            survey = xlsform.import_survey(upload.read(), filename=upload.name, actor=request.user)
        except xlsform.XLSFormRejected as exc:
            errors = exc.errors
        else:
            messages.success(request, _("The survey was imported."))
            return redirect(survey)
    return render(
        request, "surveys/survey_import.html", {"form": form, "errors": errors, "nav": "surveys"}
    )


@staff_only
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    sections = []
    for section in survey.sections.all():
        questions = section.top_questions().prefetch_related("choices", "items")
        sections.append((section, questions))
    retired = survey.questions.filter(retired_at__isnull=False).select_related("replaced_by")
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "sections": sections,
            "retired": retired,
            "waves": survey.waves.all(),
            "history": audit.history(survey)[:20],
            "nav": "surveys",
        },
    )


@staff_only
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        editing.update_survey(survey=survey, values=form.translated_values(), actor=request.user)
        messages.success(request, _("The survey was saved."))
        return redirect(survey)
    survey.refresh_from_db()
    return render(
        request,
        "surveys/edit_form.html",
        {"form": form, "survey": survey, "title": _("Edit the survey"), "nav": "surveys"},
    )


@staff_only
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    content = xlsform.definition_to_xlsform(definition.survey_to_definition(survey))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{survey.key}.xlsx"'
    return response


@staff_only
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int, section_pk: int | None = None) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    section = get_object_or_404(Section, pk=section_pk, survey=survey) if section_pk else None
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        editing.save_section(
            survey=survey, section=section, values=form.values(), actor=request.user
        )
        messages.success(request, _("The section was saved."))
        return redirect(survey)
    title = _("Edit the section") if section else _("Add a section")
    return render(
        request,
        "surveys/edit_form.html",
        {"form": form, "survey": survey, "title": title, "nav": "surveys"},
    )


@staff_only
@require_http_methods(["GET", "POST"])
def question_edit(
    request: HttpRequest, pk: int, section_pk: int | None = None, question_pk: int | None = None
) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    question = (
        get_object_or_404(Question, pk=question_pk, survey=survey, retired_at__isnull=True)
        if question_pk
        else None
    )
    section = (
        question.section if question else get_object_or_404(Section, pk=section_pk, survey=survey)
    )
    form = QuestionForm(request.POST or None, survey=survey, question=question)
    if request.method == "POST" and form.is_valid():
        choices = form.cleaned_data.get("choices_text") if "choices_text" in form.fields else None
        try:
            if question is None:
                editing.add_question(
                    section=section, values=form.values(), choices=choices or [], actor=request.user
                )
            else:
                editing.update_question(
                    question=question,
                    values=form.values(),
                    choices=choices,
                    actor=request.user,
                    new_key=form.cleaned_data.get("new_key") or "",
                )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The question was saved."))
            return redirect(survey)
    title = _("Edit the question") if question else _("Add a question")
    return render(
        request,
        "surveys/edit_form.html",
        {
            "form": form,
            "survey": survey,
            "title": title,
            "section": section,
            "answered": form.answered,
            "nav": "surveys",
        },
    )


@staff_only
@require_POST
def question_move(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_pk, survey_id=pk)
    direction = -1 if request.POST.get("direction") == "up" else 1
    editing.move_question(question=question, direction=direction, actor=request.user)
    return redirect("surveys:survey", pk=pk)


@staff_only
@require_POST
def question_remove(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_pk, survey_id=pk, retired_at__isnull=True)
    editing.remove_question(question=question, actor=request.user)
    messages.success(request, _("The question was removed."))
    return redirect("surveys:survey", pk=pk)


# -- waves -------------------------------------------------------------------------------------


@staff_only
@require_http_methods(["GET", "POST"])
def wave_edit(request: HttpRequest, pk: int, wave_pk: int | None = None) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    wave = get_object_or_404(Wave, pk=wave_pk, survey=survey) if wave_pk else Wave(survey=survey)
    form = WaveForm(request.POST or None, instance=wave, survey=survey)
    if request.method == "POST" and form.is_valid():
        creating = wave.pk is None
        saved = form.save()
        audit.record(
            obj=saved,
            action="created" if creating else "changed",
            actor=request.user,
            changes={k: [None, str(form.cleaned_data[k])] for k in form.changed_data},
        )
        messages.success(request, _("The wave was saved."))
        return redirect(saved)
    title = _("Edit the wave") if wave.pk else _("New wave")
    return render(
        request,
        "surveys/edit_form.html",
        {"form": form, "survey": survey, "title": title, "nav": "surveys"},
    )


@staff_only
def wave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wave = get_object_or_404(Wave.objects.select_related("survey"), pk=pk)
    invitations = wave.invitations.select_related("organisation")
    status = request.GET.get("status", "")
    if status in Invitation.SendStatus.values:
        invitations = invitations.filter(send_status=status)
    page = Paginator(invitations, 50).get_page(request.GET.get("page"))
    counts = dict.fromkeys(Invitation.SendStatus.values, 0) | dict(
        wave.invitations.values_list("send_status").annotate(n=Count("pk"))
    )
    return render(
        request,
        "surveys/wave_detail.html",
        {
            "wave": wave,
            "survey": wave.survey,
            "page": page,
            "status": status,
            "counts": counts,
            "statuses": Invitation.SendStatus.choices,
            "answered": wave.invitations.filter(selectors.answered_q(wave)).count(),
            # What "Send invitations" would queue now (services.queue_invitations).
            "waiting": wave.invitations.exclude(selectors.answered_q(wave))
            .exclude(send_status=Invitation.SendStatus.SENT)
            .count(),
            "position_labels": selectors.position_labels(wave),
            "reminder_candidates": services.reminder_candidates(wave, scheduled=False).count(),
            "audience_count": services.audience_memberships(wave).count(),
            "history": audit.history(wave)[:20],
            "nav": "surveys",
        },
    )


@staff_only
@require_POST
def wave_invite_registry(request: HttpRequest, pk: int) -> HttpResponse:
    wave = get_object_or_404(Wave, pk=pk)
    count = services.invite_registry_people(wave=wave, actor=request.user)
    messages.success(request, _("%(count)s recipients added from the registry.") % {"count": count})
    return redirect(wave)


@staff_only
@require_http_methods(["GET", "POST"])
def wave_import_recipients(request: HttpRequest, pk: int) -> HttpResponse:
    wave = get_object_or_404(Wave.objects.select_related("survey"), pk=pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = services.import_recipients(
                wave=wave, actor=request.user, name=upload.name, content=upload.read()
            )
        except ImportRejected as exc:
            errors = exc.errors
        else:
            messages.success(request, _("%(count)s recipients added.") % {"count": count})
            return redirect(wave)
    return render(
        request,
        "surveys/wave_import.html",
        {
            "wave": wave,
            "form": form,
            "errors": errors,
            "columns": services.RECIPIENT_COLUMNS,
            "positions": services.position_values(wave),
            "nav": "surveys",
        },
    )


@staff_only
@require_POST
def wave_send_invitations(request: HttpRequest, pk: int) -> HttpResponse:
    wave = get_object_or_404(Wave, pk=pk)
    queued = services.queue_invitations(wave=wave, actor=request.user)
    messages.success(
        request,
        _("%(count)s invitations queued for sending. The list below shows their progress.")
        % {"count": queued.count},
    )
    return redirect(wave)


@staff_only
@require_POST
def wave_send_reminders(request: HttpRequest, pk: int) -> HttpResponse:
    wave = get_object_or_404(Wave, pk=pk)
    queued = services.queue_reminders(wave=wave, actor=request.user)
    if queued.count:
        messages.success(
            request, _("%(count)s reminders queued for sending.") % {"count": queued.count}
        )
    else:
        messages.info(
            request, _("No one to remind: the wave is not open or everyone has answered.")
        )
    return redirect(wave)


@staff_only
def wave_rate(request: HttpRequest, pk: int) -> HttpResponse:
    wave = get_object_or_404(Wave.objects.select_related("survey"), pk=pk)
    context = {
        "wave": wave,
        "survey": wave.survey,
        "rate": selectors.response_rate(wave),
        "nav": "surveys",
    }
    if request.htmx:
        return render(request, "surveys/_wave_rate_tables.html", context)
    return render(request, "surveys/wave_rate.html", context)
