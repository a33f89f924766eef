"""Pages of the negotiations and the duty board (forums: `forum_views.py`; action items:
`action_views.py`; agreements: `agreement_views.py`). Parse, ask `access`, call `services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from yhdyspinta.accounts import access as accounts_access
from yhdyspinta.accounts import permissions
from yhdyspinta.core.audit import history
from yhdyspinta.core.forms import add_form_errors
from yhdyspinta.registry.models import Organisation

from . import access, duties, services
from .forms import ActionForm, DocumentForm, DutyDateForm, NegotiationForm
from .models import Document, Meeting, Negotiation


def _on(request: HttpRequest):
    form = DutyDateForm(request.GET or None)
    on = form.cleaned_data.get("on") if form.is_valid() else None
    return form, on or timezone.localdate()


# --- Duty board ----------------------------------------------------------------------------


@login_required
@require_safe
def area_duties_view(request: HttpRequest, code: str) -> HttpResponse:
    area = accounts_access.get_area_for_user(request.user, code)
    form, on = _on(request)
    report = duties.area_duties(area, on)
    return render(
        request,
        "cooperation/duties_area.html",
        {
            "area": area,
            "report": report,
            "form": form,
            "rows": _board_rows(report),
            "duty_columns": _duty_columns(report),
            "due_soon": {duty: report.due_soon(duty) for duty in duties.DUTIES},
            "warning_days": {duty: duties.warning_days(duty) for duty in duties.DUTIES},
            "rules": _rules(),
            "can_plan": access.can_plan_negotiations(request.user, area),
            "negotiations": area.negotiations.filter(archived_at__isnull=True)[:10],
            "nav": "cooperation",
        },
    )


def _duty_columns(report) -> list[dict]:
    columns = []
    for duty in duties.DUTIES:
        columns.append({"duty": duty, "period": report.periods[duty], "previous": False})
        columns.append({"duty": duty, "period": report.previous_periods[duty], "previous": True})
    return columns


def _board_rows(report) -> list[dict]:
    rows = []
    for row in report.municipalities:
        cells = []
        for duty in duties.DUTIES:
            cells.append(row.current[duty])
            cells.append(row.previous[duty])
        rows.append({"municipality": row.municipality, "cells": cells})
    return rows


def _rules() -> list[tuple[str, str, str]]:
    return [(s, str(duties.STATUS_LABELS[s]), str(duties.STATUS_RULES[s])) for s in duties.STATUSES]


@login_required
@require_safe
def municipality_duties_view(request: HttpRequest, code: str) -> HttpResponse:
    municipality = (
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY, code=code)
        .select_related("area")
        .first()
    )
    if municipality is None:
        from django.http import Http404

        raise Http404(_("There is no municipality with the code %(code)s.") % {"code": code})
    if not permissions.can_read_area_data(request.user, municipality):
        raise PermissionDenied(_("This is shown to the people of the municipality's area."))
    form, on = _on(request)
    row = duties.municipality_duties(municipality, on) if municipality.area else None
    negotiations = Negotiation.objects.filter(parties=municipality).select_related("area")
    return render(
        request,
        "cooperation/duties_municipality.html",
        {
            "municipality": municipality,
            "row": row,
            "on": on,
            "form": form,
            "duty_list": [
                {
                    "duty": duty,
                    "label": duties.DUTY_LABELS[duty],
                    "current": row.current.get(duty) if row else None,
                    "previous": row.previous.get(duty) if row else None,
                }
                for duty in duties.DUTIES
            ],
            "negotiations": negotiations[:20],
            "rules": _rules(),
            "nav": "cooperation",
        },
    )


@login_required
@require_safe
def national_duties_view(request: HttpRequest) -> HttpResponse:
    from .presentation import duty_map

    form, on = _on(request)
    national = duties.national_duties(on)
    duty = request.GET.get("duty", "section14")
    if duty not in duties.DUTIES:
        duty = "section14"
    rows = []
    for report in national.areas:
        rows.append(
            {
                "area": report.area,
                "applies": report.applies,
                "municipalities": len(report.municipalities),
                "counts": {d: report.counts(d) for d in duties.DUTIES},
                "previous": {d: report.counts(d, previous=True) for d in duties.DUTIES},
                "readable": permissions.can_read_area(request.user, report.area),
            }
        )
    summary = [
        {
            "duty": d,
            "label": duties.DUTY_LABELS[d],
            "period": national.periods[d],
            "previous_period": national.previous_periods[d],
            "totals": national.totals(d),
            "previous": national.totals(d, previous=True),
            "areas_met": national.areas_met(d),
            "areas_met_previous": national.areas_met(d, previous=True),
        }
        for d in duties.DUTIES
    ]
    return render(
        request,
        "cooperation/duties_national.html",
        {
            "national": national,
            "rows": rows,
            "summary": summary,
            "form": form,
            "duty": duty,
            "duty_label": duties.DUTY_LABELS[duty],
            "duty_choices": [(d, duties.DUTY_LABELS[d]) for d in duties.DUTIES],
            "map": duty_map(national, duty),
            "rules": _rules(),
            "nav": "cooperation",
        },
    )


# --- Negotiations -------------------------------------------------------------------------


@login_required
@require_safe
def negotiation_list(request: HttpRequest, code: str) -> HttpResponse:
    area = accounts_access.get_area_for_user(request.user, code)
    negotiations = area.negotiations.select_related("convener").annotate(
        municipality_count=Count("parties", filter=Q(parties__kind=Organisation.Kind.MUNICIPALITY))
    )
    show_archived = request.GET.get("archived") == "1"
    if not show_archived:
        negotiations = negotiations.filter(archived_at__isnull=True)
    return render(
        request,
        "cooperation/negotiation_list.html",
        {
            "area": area,
            "negotiations": negotiations,
            "show_archived": show_archived,
            "can_plan": access.can_plan_negotiations(request.user, area),
            "nav": "cooperation",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def negotiation_create(request: HttpRequest, code: str) -> HttpResponse:
    area = accounts_access.get_area_for_user(request.user, code)
    if not access.can_plan_negotiations(request.user, area):
        raise PermissionDenied(
            _("Only the county's editors and coordinators may plan its negotiations.")
        )
    initial = {"kind": request.GET.get("kind", "section14"), "status": "planned"}
    form = NegotiationForm(request.POST or None, area=area, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            negotiation = services.create_negotiation(
                actor=request.user, area=area, parties=form.parties(), **form.values()
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The negotiation was saved."))
            return redirect(negotiation)
    return render(
        request,
        "cooperation/negotiation_form.html",
        {"area": area, "form": form, "negotiation": None, "nav": "cooperation"},
    )


def negotiation_page(
    request: HttpRequest, negotiation: Negotiation, *, status: int = 200, **forms_
) -> HttpResponse:
    """The negotiation's page; a form that failed is passed in to show its errors."""
    can_edit = access.can_edit_negotiation(request.user, negotiation)
    parties = list(negotiation.parties.order_by("kind", "name"))
    editable = can_edit and not negotiation.archived_at
    context = {
        "area": negotiation.area,
        "negotiation": negotiation,
        "parties": parties,
        "municipalities": [p for p in parties if p.kind == Organisation.Kind.MUNICIPALITY],
        "others": [p for p in parties if p.kind != Organisation.Kind.MUNICIPALITY],
        "documents": negotiation.documents.defer("content"),
        "actions": negotiation.actions.select_related("owner_organisation", "owner_person"),
        "can_edit": editable,
        "document_form": DocumentForm() if editable else None,
        "action_form": ActionForm(organisations=parties) if editable else None,
        "history": history(negotiation)[:50] if can_edit else None,
        "today": timezone.localdate(),
        "nav": "cooperation",
    }
    context.update(forms_)
    return render(request, "cooperation/negotiation_detail.html", context, status=status)


@login_required
@require_safe
def negotiation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return negotiation_page(request, access.get_negotiation_for_user(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def negotiation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = access.get_negotiation_for_user(request.user, pk, edit=True)
    form = NegotiationForm(
        request.POST or None,
        area=negotiation.area,
        initial=NegotiationForm.initial_for(negotiation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_negotiation(
                actor=request.user,
                negotiation=negotiation,
                parties=form.parties(),
                **form.values(),
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The negotiation was saved."))
            return redirect(negotiation)
    return render(
        request,
        "cooperation/negotiation_form.html",
        {"area": negotiation.area, "form": form, "negotiation": negotiation, "nav": "cooperation"},
    )


@login_required
@require_POST
def negotiation_archive(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = access.get_negotiation_for_user(request.user, pk, edit=True)
    if request.POST.get("delete") == "1":
        try:
            services.delete(actor=request.user, obj=negotiation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(negotiation)
        messages.success(request, _("The negotiation was deleted."))
        return redirect("cooperation:negotiations", negotiation.area.code)
    services.archive(actor=request.user, obj=negotiation)
    messages.success(request, _("The negotiation was archived."))
    return redirect(negotiation)


# --- Documents and action items of a negotiation or a meeting ------------------------------


def _parent(request: HttpRequest, kind: str, pk: int) -> Negotiation | Meeting:
    if kind == "negotiation":
        return access.get_negotiation_for_user(request.user, pk, edit=True)
    return access.get_meeting_for_user(request.user, pk, edit=True)


def _parent_template(parent) -> str:
    return (
        "cooperation/negotiation_detail.html"
        if isinstance(parent, Negotiation)
        else "cooperation/meeting_detail.html"
    )


@login_required
@require_POST
def document_upload(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    parent = _parent(request, kind, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_document(
                actor=request.user,
                parent=parent,
                uploaded=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                is_minutes=form.cleaned_data["is_minutes"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The document was added."))
            return redirect(parent)
    return _rerender_with(request, parent, document_form=form)


@login_required
@require_POST
def action_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    parent = _parent(request, kind, pk)
    organisations = _action_owners(parent)
    form = ActionForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            services.create_action(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The action item was added."))
            return redirect(parent)
    return _rerender_with(request, parent, action_form=form)


def _action_owners(parent) -> list[Organisation]:
    if isinstance(parent, Negotiation):
        return list(parent.parties.all())
    forum = parent.forum
    return list({forum.convener, *forum.member_organisations.all()})


def _rerender_with(request, parent, **forms_) -> HttpResponse:
    """The page again, with the form that failed and its errors (status 400)."""
    if isinstance(parent, Negotiation):
        return negotiation_page(request, parent, status=400, **forms_)
    from .forum_views import meeting_page

    return meeting_page(request, parent, status=400, **forms_)


@login_required
@require_safe
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = Document.objects.filter(pk=pk).first()
    if document is None:
        from django.http import Http404

        raise Http404(_("There is no such document."))
    parent = document.parent
    if isinstance(parent, Negotiation):
        access.get_negotiation_for_user(request.user, parent.pk)
    elif isinstance(parent, Meeting):
        access.get_meeting_for_user(request.user, parent.pk)
    else:
        access.get_agreement_for_user(request.user, parent.pk)
    import io

    response = FileResponse(
        io.BytesIO(bytes(document.content)),
        content_type="application/pdf",
        as_attachment=False,
        filename=document.filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
