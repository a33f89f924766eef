"""Pages of an area's shared goals, their indicators and figures, and the maturity ladder."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from yhdyspinta.accounts import access as accounts_access
from yhdyspinta.core.audit import history
from yhdyspinta.core.forms import add_form_errors
from yhdyspinta.core.tables import ImportRejected

from . import access, charts, selectors, services
from .forms import (
    AssessmentForm,
    GoalForm,
    IndicatorForm,
    MeasurementForm,
    MeasurementImportForm,
    YearForm,
)
from .models import LEVELS, Indicator, Measurement
from .sotkanet import ATTRIBUTION
from .status import RULES, Status


def _readable_area(request: HttpRequest, code: str):
    area = accounts_access.get_area_for_user(request.user, code)
    if not access.can_read_goals(request.user, area):
        raise PermissionDenied(_("An area's goals are shown to the people of the area."))
    return area


def _rules():
    return [(status, status.label, RULES[status]) for status in Status]


@login_required
@require_safe
def area_goals(request: HttpRequest, code: str) -> HttpResponse:
    area = _readable_area(request, code)
    goals = selectors.area_goals(area)
    return render(
        request,
        "goals/area_goals.html",
        {
            "area": area,
            "goals": goals,
            "counts": selectors.status_counts(goals),
            "statuses": list(Status),
            "rules": _rules(),
            "can_keep": access.can_keep_goals(request.user, area),
            "nav": "cooperation",
        },
    )


def _goal_values(form) -> dict:
    data = dict(form.cleaned_data)
    return {
        "values": {k: v for k, v in data.items() if k not in ("themes", "responsible")},
        "themes": data.get("themes") or [],
        "responsible": data.get("responsible") or [],
    }


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest, code: str) -> HttpResponse:
    area = _readable_area(request, code)
    if not access.can_keep_goals(request.user, area):
        raise PermissionDenied(
            _("Only the county's editors and coordinators and the area's coordinators may do this.")
        )
    year = timezone.localdate().year
    form = GoalForm(
        request.POST or None, area=area, initial={"starts_year": year, "ends_year": year + 3}
    )
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.save_goal(actor=request.user, area=area, **_goal_values(form))
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The goal was saved. Add its indicators next."))
            return redirect(goal)
    return render(
        request,
        "goals/goal_form.html",
        {"form": form, "area": area, "goal": None, "nav": "cooperation"},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.get_goal_for_user(request.user, pk, edit=True)
    initial = {name: getattr(goal, name) for name in services.GOAL_FIELDS}
    initial.update(themes=goal.themes.all(), responsible=goal.responsible.all())
    form = GoalForm(request.POST or None, area=goal.area, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_goal(actor=request.user, area=goal.area, goal=goal, **_goal_values(form))
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The goal was saved."))
            return redirect(goal)
    return render(
        request,
        "goals/goal_form.html",
        {"form": form, "area": goal.area, "goal": goal, "nav": "cooperation"},
        status=400 if form.errors else 200,
    )


def goal_page(request, goal, *, status: int = 200, forms_: dict | None = None) -> HttpResponse:
    view = selectors.goal_view(goal)
    can_keep = access.can_keep_goals(request.user, goal.area)
    can_record = access.can_record_measurements(request.user, goal)
    forms_ = forms_ or {}
    indicators = [
        {
            "view": each,
            "rows": charts.indicator_rows(each),
            "chart": charts.indicator_chart(each),
            "decimals": charts.decimals_of(each),
            # The path between two whole numbers is rarely whole: one more decimal shows why
            # 71 can be behind a path of 71.2.
            "path_decimals": charts.decimals_of(each) + 1,
            "form": forms_.get(each.indicator.pk) or (MeasurementForm() if can_record else None),
            "from_sotkanet": each.indicator.sotkanet_id is not None
            or any(m.origin == Measurement.Origin.SOTKANET for m in each.measurements),
        }
        for each in view.indicators
    ]
    return render(
        request,
        "goals/goal_detail.html",
        {
            "goal": goal,
            "area": goal.area,
            "view": view,
            "indicators": indicators,
            "rules": _rules(),
            "can_keep": can_keep,
            "can_record": can_record,
            "history": _history(goal) if can_keep else None,
            "sotkanet_attribution": ATTRIBUTION,
            "nav": "cooperation",
        },
        status=status,
    )


def _history(goal) -> list:
    """The goal's changes and its indicators' (figures recorded, fetched, removed)."""
    entries = list(history(goal)[:30])
    for indicator in goal.indicators.all():
        entries += list(history(indicator)[:30])
    return sorted(entries, key=lambda entry: entry.created_at, reverse=True)[:30]


@login_required
@require_safe
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return goal_page(request, access.get_goal_for_user(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.get_goal_for_user(request.user, pk, edit=True)
    return _indicator_form(request, goal, None)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("goal"), pk=pk)
    goal = access.get_goal_for_user(request.user, indicator.goal_id, edit=True)
    return _indicator_form(request, goal, indicator)


def _indicator_form(request, goal, indicator) -> HttpResponse:
    initial = {}
    if indicator is not None:
        initial = {name: getattr(indicator, name) for name in services.INDICATOR_FIELDS}
        for name in ("baseline_value", "target_value"):
            initial[name] = f"{initial[name].normalize():f}"
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_indicator(
                actor=request.user, goal=goal, values=form.cleaned_data, indicator=indicator
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The indicator was saved."))
            return redirect(goal)
    return render(
        request,
        "goals/indicator_form.html",
        {
            "form": form,
            "goal": goal,
            "area": goal.area,
            "indicator": indicator,
            "nav": "cooperation",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def measurement_add(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = access.get_indicator_for_user(request.user, pk)
    form = MeasurementForm(request.POST)
    if form.is_valid():
        try:
            services.record_measurement(
                actor=request.user,
                indicator=indicator,
                year_=form.cleaned_data["year"],
                value=form.cleaned_data["value"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The figure was saved."))
            return redirect(f"{indicator.goal.get_absolute_url()}#indicator-{indicator.pk}")
    return goal_page(request, indicator.goal, status=400, forms_={indicator.pk: form})


@login_required
@require_POST
def measurement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = get_object_or_404(Measurement.objects.select_related("indicator__goal"), pk=pk)
    access.get_indicator_for_user(request.user, measurement.indicator_id)
    services.delete_measurement(actor=request.user, measurement=measurement)
    messages.success(request, _("The figure was removed."))
    return redirect(measurement.indicator.goal)


@login_required
@require_http_methods(["GET", "POST"])
def measurement_import(request: HttpRequest, code: str) -> HttpResponse:
    area = _readable_area(request, code)
    form = MeasurementImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = services.import_measurements(
                actor=request.user, area=area, name=upload.name, content=upload.read()
            )
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d figure was imported.", "%(count)d figures were imported.", count
                )
                % {"count": count},
            )
            return redirect("goals:area_goals", code=area.code)
    indicators = Indicator.objects.filter(goal__area=area).select_related("goal")
    return render(
        request,
        "goals/measurement_import.html",
        {
            "form": form,
            "errors": errors,
            "area": area,
            "indicators": indicators,
            "cancel_url": reverse("goals:area_goals", args=[area.code]),
            "nav": "cooperation",
        },
        status=400 if errors or form.errors else 200,
    )


# --- Maturity ----------------------------------------------------------------------------


def _year(request) -> int:
    form = YearForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return year or timezone.localdate().year


@login_required
@require_http_methods(["GET", "POST"])
def area_maturity(request: HttpRequest, code: str) -> HttpResponse:
    area = _readable_area(request, code)
    own = access.assessable_organisations(request.user, area)
    year = _year(request)
    form = None
    if own:
        form = AssessmentForm(
            request.POST or None, organisations=own, initial={"year": year}, prefix="assess"
        )
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(
                _("Only the organisation's own editors and coordinators submit its assessment.")
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.submit_assessment(
                    actor=request.user,
                    area=area,
                    organisation=data["organisation"],
                    year_=data["year"],
                    level=data["level"],
                    justification=data["justification"],
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, _("The assessment was saved."))
                return redirect(f"{request.path}?year={data['year']}")
        status = 400
    current = selectors.maturity(area, year)
    return render(
        request,
        "goals/area_maturity.html",
        {
            "area": area,
            "year": year,
            "maturity": current,
            "levels": list(LEVELS.items()),
            "history": selectors.maturity_history(area),
            "years": selectors.maturity_years(area),
            "form": form,
            "nav": "cooperation",
        },
        status=status,
    )


@login_required
@require_safe
def national_maturity(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    rows = selectors.national_maturity(year)
    return render(
        request,
        "goals/national_maturity.html",
        {
            "year": year,
            "rows": rows,
            "levels": list(LEVELS.items()),
            "years": selectors.maturity_years() or [year],
            "nav": "cooperation",
        },
    )
