"""Coverage and upkeep pages: an area's gaps, vacancies and stale entries, and all areas at
a glance for the association's staff. Read only; confirming goes to `views.entry_confirm`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from yhdyspinta.accounts import access
from yhdyspinta.core.numbers import percent

from . import coverage
from .views import editable_parties


@login_required
@require_safe
def area_coverage_view(request: HttpRequest, code: str) -> HttpResponse:
    area = access.get_area_for_user(request.user, code)
    report = coverage.area_coverage(area)
    editable_ids = {p.pk for p in editable_parties(request, area, report.parties)}
    return render(
        request,
        "responsibilities/coverage.html",
        {
            "area": area,
            "report": report,
            "editable_ids": editable_ids,
            "can_edit": bool(editable_ids),
            "nav": "responsibilities",
        },
    )


@login_required
@require_safe
def national_coverage_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_platform_admin:
        raise PermissionDenied
    rows = coverage.national_coverage()
    current = sum(r.current_entries for r in rows)
    confirmed = sum(r.confirmed_this_year for r in rows)
    totals = {
        "county_covered": sum(r.county_covered for r in rows),
        "county_total": sum(r.county_total for r in rows),
        "municipalities_full": sum(r.municipalities_full for r in rows),
        "municipalities_total": sum(r.municipalities_total for r in rows),
        "municipal_gaps": sum(r.municipal_gaps for r in rows),
        "vacant": sum(len(r.vacant) for r in rows),
        "stale": sum(len(r.stale) for r in rows),
        "current_entries": current,
        "confirmed_this_year": confirmed,
        "confirmed_percent": float(percent(confirmed, current)) if current else None,
    }
    return render(
        request,
        "responsibilities/coverage_national.html",
        {"rows": rows, "totals": totals, "nav": "responsibilities"},
    )
