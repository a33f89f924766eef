"""Strategic cooperation agreements: the national overview, an area's agreement and its
parties' approvals and themes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from yhdyspinta.accounts import access as accounts_access
from yhdyspinta.accounts import permissions
from yhdyspinta.core.audit import history
from yhdyspinta.core.forms import add_form_errors
from yhdyspinta.registry.models import Organisation

from . import access, services
from .forms import AgreementForm, AgreementThemeForm, ApprovalForm, DocumentForm
from .models import Agreement


@login_required
@require_safe
def agreement_overview(request: HttpRequest) -> HttpResponse:
    """Which areas have an agreement and in what state: public facts of each area's work."""
    latest: dict[int, Agreement] = {}
    for agreement in Agreement.objects.select_related("area").order_by("area_id", "-created_at"):
        latest.setdefault(agreement.area_id, agreement)
    rows = [
        {
            "area": area,
            "agreement": latest.get(area.pk),
            "readable": permissions.can_read_area(request.user, area),
        }
        for area in Organisation.objects.areas().active().order_by("code")
    ]
    counts: dict[str, int] = {}
    for row in rows:
        key = row["agreement"].status if row["agreement"] else "none"
        counts[key] = counts.get(key, 0) + 1
    statuses = [(value, label, counts.get(value, 0)) for value, label in Agreement.Status.choices]
    return render(
        request,
        "cooperation/agreement_overview.html",
        {
            "rows": rows,
            "statuses": statuses,
            "without": counts.get("none", 0),
            "nav": "cooperation",
        },
    )


@login_required
@require_safe
def area_agreements(request: HttpRequest, code: str) -> HttpResponse:
    area = accounts_access.get_area_for_user(request.user, code)
    agreements = list(area.agreements.all())
    if len(agreements) == 1:
        return redirect(agreements[0])
    return render(
        request,
        "cooperation/area_agreements.html",
        {
            "area": area,
            "agreements": agreements,
            "can_edit": permissions.can_edit_organisation(request.user, area),
            "nav": "cooperation",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest, code: str) -> HttpResponse:
    area = accounts_access.get_area_for_user(request.user, code)
    if not permissions.can_edit_organisation(request.user, area):
        raise PermissionDenied(
            _("Only the county's editors and coordinators may keep its agreement.")
        )
    form = AgreementForm(request.POST or None, area=area, initial={"status": "in_preparation"})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            agreement = services.save_agreement(
                actor=request.user, area=area, parties=data.pop("parties"), **data
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The agreement was saved."))
            return redirect(agreement)
    return render(
        request,
        "cooperation/agreement_form.html",
        {"form": form, "area": area, "agreement": None, "nav": "cooperation"},
    )


def agreement_page(request, agreement: Agreement, *, status: int = 200, **forms_) -> HttpResponse:
    can_edit = access.can_edit_agreement(request.user, agreement)
    context = {
        "agreement": agreement,
        "area": agreement.area,
        "parties": agreement.parties.select_related("organisation"),
        "themes": agreement.themes.select_related("theme").prefetch_related("responsible"),
        "documents": agreement.documents.defer("content"),
        "can_edit": can_edit,
        "document_form": DocumentForm() if can_edit else None,
        "theme_form": AgreementThemeForm(agreement=agreement) if can_edit else None,
        "history": history(agreement)[:50] if can_edit else None,
        "nav": "cooperation",
    }
    context.update(forms_)
    return render(request, "cooperation/agreement_detail.html", context, status=status)


@login_required
@require_safe
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return agreement_page(request, access.get_agreement_for_user(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access.get_agreement_for_user(request.user, pk, edit=True)
    initial = {
        name: getattr(agreement, name)
        for name in (
            "title_fi",
            "title_sv",
            "title_en",
            "status",
            "starts_on",
            "ends_on",
            "summary",
        )
    }
    initial["parties"] = list(agreement.parties.values_list("organisation_id", flat=True))
    form = AgreementForm(request.POST or None, area=agreement.area, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.save_agreement(
                actor=request.user,
                area=agreement.area,
                agreement=agreement,
                parties=data.pop("parties"),
                **data,
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The agreement was saved."))
            return redirect(agreement)
    return render(
        request,
        "cooperation/agreement_form.html",
        {"form": form, "area": agreement.area, "agreement": agreement, "nav": "cooperation"},
    )


@login_required
@require_POST
def party_approvals(request: HttpRequest, pk: int) -> HttpResponse:
    """Every party's approval date in one form; a bad date saves nothing."""
    agreement = access.get_agreement_for_user(request.user, pk, edit=True)
    parties = list(agreement.parties.select_related("organisation"))
    dates, errors = {}, []
    for party in parties:
        form = ApprovalForm({"approved_on": request.POST.get(f"approved_{party.pk}", "")})
        if form.is_valid():
            dates[party.pk] = form.cleaned_data["approved_on"]
        else:
            errors.append(f"{party.organisation.name}: {' '.join(form.errors['approved_on'])}")
    if errors:
        messages.error(request, _("Nothing was saved. %(errors)s") % {"errors": " ".join(errors)})
        return agreement_page(request, agreement, status=400)
    with transaction.atomic():
        for party in parties:
            services.set_party_approval(
                actor=request.user, party=party, approved_on=dates[party.pk]
            )
    messages.success(request, _("The approval dates were saved."))
    return redirect(agreement)


@login_required
@require_POST
def agreement_theme(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access.get_agreement_for_user(request.user, pk, edit=True)
    form = AgreementThemeForm(request.POST, agreement=agreement)
    if form.is_valid():
        services.save_agreement_theme(actor=request.user, agreement=agreement, **form.cleaned_data)
        messages.success(request, _("The theme was saved."))
        return redirect(agreement)
    return agreement_page(request, agreement, status=400, theme_form=form)


@login_required
@require_POST
def agreement_document(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access.get_agreement_for_user(request.user, pk, edit=True)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_document(
                actor=request.user,
                parent=agreement,
                uploaded=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The document was added."))
            return redirect(agreement)
    return agreement_page(request, agreement, status=400, document_form=form)
