from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from yhdyspinta.accounts import permissions
from yhdyspinta.accounts.models import Membership
from yhdyspinta.cooperation import duties as cooperation_duties
from yhdyspinta.cooperation import selectors as cooperation_selectors
from yhdyspinta.core import audit
from yhdyspinta.registry.models import Organisation
from yhdyspinta.results import division_of_work

from . import services
from .forms import ImportForm, NewOrganisationForm, OrganisationDetailsForm, OrganisationSearchForm


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    counts = {
        "areas": Organisation.objects.areas().active().count(),
        "municipalities": Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        .active()
        .exclude(area__isnull=True)
        .count(),
        "councils": Organisation.objects.filter(kind=Organisation.Kind.REGIONAL_COUNCIL)
        .active()
        .count(),
    }
    return render(request, "organisations/home.html", {"counts": counts})


@require_GET
def area_list(request: HttpRequest) -> HttpResponse:
    municipalities = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).active()
    areas = (
        Organisation.objects.areas()
        .active()
        .select_related("region")
        .prefetch_related(
            Prefetch("members_of_area", queryset=municipalities, to_attr="municipalities")
        )
        .order_by("short_name")
    )
    councils = {
        c.region_id: c
        for c in Organisation.objects.filter(kind=Organisation.Kind.REGIONAL_COUNCIL).active()
    }
    rows = [{"area": area, "council": councils.get(area.region_id)} for area in areas]
    return render(request, "organisations/area_list.html", {"rows": rows, "nav": "areas"})


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET or None)
    organisations = Organisation.objects.select_related("area", "region")
    if form.is_valid():
        data = form.cleaned_data
        organisations = organisations.search(data["q"])
        if data["kind"]:
            organisations = organisations.filter(kind=data["kind"])
        if data["area"]:
            organisations = organisations.filter(area=data["area"]) | organisations.filter(
                pk=data["area"].pk
            )
        if not data["include_ended"]:
            organisations = organisations.active()
    else:
        organisations = organisations.active()
    page = Paginator(organisations.order_by("name", "pk"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/organisation_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_add": permissions.can_add_organisations(request.user),
            "nav": "organisations",
        },
    )


@require_GET
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(
        Organisation.objects.select_related("area", "region", "successor"), pk=pk
    )
    context: dict[str, object] = {
        "org": org,
        "council": org.region.council if org.region_id else None,
        "can_read": permissions.can_read_area_data(request.user, org),
        "can_edit": permissions.can_edit_organisation(request.user, org),
        "can_manage_people": permissions.can_manage_people(request.user, org),
        "nav": "organisations",
    }
    if org.is_area:
        context["municipalities"] = org.members_of_area.filter(
            kind=Organisation.Kind.MUNICIPALITY
        ).active()
        context["other_members"] = org.members_of_area.exclude(
            kind=Organisation.Kind.MUNICIPALITY
        ).active()
        if permissions.can_read_area(request.user, org):
            # The area's division of work: the survey's view beside what its table records.
            context["survey_link"] = division_of_work.survey_link(org)
            context["cooperation"] = cooperation_selectors.area_cooperation(org)
    if org.kind == Organisation.Kind.MUNICIPALITY and org.area_id and context["can_read"]:
        context["duties"] = cooperation_duties.municipality_duties(org)
    if context["can_read"]:
        context["people"] = (
            Membership.objects.filter(organisation=org, user__is_active=True)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        context["history"] = audit.history(org)[:20]
    return render(request, "organisations/organisation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organisation, pk=pk)
    if not permissions.can_edit_organisation(request.user, org):
        raise PermissionDenied
    form = OrganisationDetailsForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        # Re-read the object: a failed ModelForm validation must not leak into the service.
        services.update_organisation_details(
            actor=request.user,
            organisation=Organisation.objects.get(pk=pk),
            values=form.cleaned_data,
        )
        messages.success(request, _("The organisation's details were saved."))
        return redirect(org)
    return render(request, "organisations/organisation_edit.html", {"org": org, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_add_organisations(request.user):
        raise PermissionDenied
    form = NewOrganisationForm(
        request.POST or None, area_queryset=permissions.area_choices_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organisation(
                actor=request.user, values=form.cleaned_data, source=Organisation.Source.MANUAL
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The organisation was added."))
            return redirect(org)
    return render(
        request, "organisations/organisation_create.html", {"form": form, "nav": "organisations"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_import(request: HttpRequest) -> HttpResponse:
    if not permissions.can_add_organisations(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[services.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = services.import_organisations(
                actor=request.user, name=upload.name, content=upload.read()
            )
        except services.ImportRejected as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d organisation was imported.",
                    "%(count)d organisations were imported.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect("organisations:organisations")
    return render(
        request,
        "organisations/organisation_import.html",
        {
            "form": form,
            "errors": errors,
            "columns": services.IMPORT_COLUMNS,
            "nav": "organisations",
        },
        status=400 if errors else 200,
    )
