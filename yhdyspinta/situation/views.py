"""The situational picture of an area (page and PDF) and the national ranking of the areas."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from yhdyspinta.accounts import access as accounts_access
from yhdyspinta.goals.models import LEVELS
from yhdyspinta.goals.sotkanet import ATTRIBUTION
from yhdyspinta.goals.status import RULES, Status
from yhdyspinta.results import maps
from yhdyspinta.results.cache import drawn_once

from . import picture


def _context(request, area) -> dict:
    return {
        "area": area,
        "picture": picture.area_picture(area),
        "levels": list(LEVELS.items()),
        "statuses": list(Status),
        "rules": [(s, s.label, RULES[s]) for s in Status],
        "sotkanet_attribution": ATTRIBUTION,
        "nav": "areas",
    }


@login_required
@require_safe
def area_picture(request: HttpRequest, code: str) -> HttpResponse:
    area = accounts_access.get_area_for_user(request.user, code)
    return render(request, "situation/area_picture.html", _context(request, area))


@login_required
@require_safe
def area_picture_pdf(request: HttpRequest, code: str) -> HttpResponse:
    from weasyprint import HTML

    area = accounts_access.get_area_for_user(request.user, code)
    html = render_to_string(
        "situation/area_picture_pdf.html", _context(request, area), request=request
    )
    # PDF/UA: tagged, with headings, tables and the language, for screen readers.
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tilannekuva-{area.code}.pdf"'
    return response


class MeasureForm(forms.Form):
    measure = forms.ChoiceField(
        label=gettext_lazy("Measure"),
        choices=[(m.key, m.label) for m in picture.MEASURES],
        required=False,
    )


def _map(measure: picture.Measure, rows: list[picture.RankedArea]) -> dict:
    values = {row.area.code: row.value for row in rows}
    known = [v for v in values.values() if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    if measure.unit == "%":
        low, high = 0.0, 100.0
    if high <= low:
        high = low + 1
    svg = drawn_once(
        maps.choropleth,
        chart_id=f"ranking-{measure.key}".replace("_", "-"),
        title=str(measure.label),
        description=_(
            "Map of the 22 areas shaded by the measure; the values and ranks are in the table "
            "beside the map."
        ),
        values=values,
        suppressed=set(),
        names={row.area.code: row.area.area_label for row in rows},
        legend_title=str(measure.label) + (" (%)" if measure.unit == "%" else ""),
        low=float(low),
        high=float(high),
        no_data_label=_("no figure, withheld or not applicable"),
        suppressed_label="",
        decimals=measure.decimals,
        decimal_separator="." if get_language() == "en" else ",",
    )
    return {"svg": svg, "attribution": maps.MAP_ATTRIBUTION}


@login_required
@require_safe
def national_picture(request: HttpRequest) -> HttpResponse:
    form = MeasureForm(request.GET or None)
    key = (form.cleaned_data.get("measure") if form.is_valid() else "") or "headline_good"
    measure = picture.MEASURE_BY_KEY[key]
    rows = picture.national_ranking(key)
    return render(
        request,
        "situation/national_picture.html",
        {
            "form": form if form.is_bound else MeasureForm(initial={"measure": key}),
            "measure": measure,
            "rows": rows,
            "map": _map(measure, rows),
            "nav": "areas",
        },
    )
