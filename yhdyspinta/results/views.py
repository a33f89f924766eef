"""Result pages. National views are for the association's staff; an area's report is also for
the people of that area's organisations. Every figure comes from `selectors`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from yhdyspinta.accounts import access
from yhdyspinta.accounts.access import staff_only
from yhdyspinta.accounts.permissions import readable_area_ids
from yhdyspinta.core.exports import sheet_title, to_csv, to_xlsx
from yhdyspinta.core.numbers import round_half_up
from yhdyspinta.registry.models import Organisation
from yhdyspinta.surveys.models import Answer, Wave
from yhdyspinta.surveys.selectors import position_labels, response_rate

from . import division_of_work, report, selectors, services
from .cache import drawn_once
from .forms import FiltersForm, ReviewForm, TagForm
from .models import Tag
from .templatetags.results import MAP_HIGH, MAP_LOW, shade_legend

SORTS = ("name", "n")
GROUP_LABELS = {
    "area": _lazy("Area"),
    "position": _lazy("Position"),
    "organisation_type": _lazy("Organisation type"),
}


def _wave(pk: int) -> Wave:
    return get_object_or_404(Wave.objects.select_related("survey"), pk=pk)


def _page(request: HttpRequest, wave: Wave, template: str, tab: str, **context) -> HttpResponse:
    return render(
        request,
        template,
        {"wave": wave, "survey": wave.survey, "tab": tab, "nav": "results", **context},
    )


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(wave: Wave, suffix: str) -> str:
    return f"{wave.survey.key}-{wave.name}-{suffix}".replace(" ", "_")


# -- list ----------------------------------------------------------------------------------------


@login_required
@require_safe
def results_home(request: HttpRequest) -> HttpResponse:
    """Staff see every wave with answers; others the reports of their own areas."""
    waves = (
        Wave.objects.select_related("survey")
        .annotate(respondents=Count("responses"))
        .filter(respondents__gt=0)
        .order_by("survey__title", "-opens_at")
    )
    area_ids = readable_area_ids(request.user)
    areas = Organisation.objects.areas()
    if area_ids is not None:
        areas = areas.filter(pk__in=area_ids)
    return render(
        request,
        "results/home.html",
        {"waves": waves, "areas": list(areas), "nav": "results"},
    )


# -- the per-area table --------------------------------------------------------------------------


@staff_only
@require_safe
def wave_table(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    form = FiltersForm(request.GET or None, wave=wave)
    filters = form.filters()
    table = selectors.cached_item_table(wave=wave, **filters)
    sort = request.GET.get("sort", "name")
    keys = {item.key for item in table.items}
    if sort not in SORTS and sort not in keys:
        sort = "name"
    descending = request.GET.get("dir") == "desc"
    groups = _sorted_groups(table, sort, descending)
    query = request.GET.copy()
    for name in ("sort", "dir"):
        query.pop(name, None)
    return _page(
        request,
        wave,
        "results/table.html",
        "table",
        table=table,
        groups=groups,
        form=form,
        sort=sort,
        descending=descending,
        query=query.urlencode(),
        range_texts={key: report.range_text(value) for key, value in table.range.items()},
        legend=shade_legend(),
        group_by=filters["group_by"],
        group_label=GROUP_LABELS[filters["group_by"]],
        n_label=_("N"),
    )


def _sorted_groups(table: selectors.ItemTable, sort: str, descending: bool):
    if sort == "name":
        return sorted(table.groups, key=lambda g: g.name, reverse=descending)

    def value(group):
        figure = group.n if sort == "n" else group.cells[sort].mean
        return None if group.suppressed else figure

    shown = [g for g in table.groups if value(g) is not None]
    hidden = [g for g in table.groups if value(g) is None]
    # Withheld and empty rows stay at the bottom whichever way the column is sorted.
    return sorted(shown, key=value, reverse=descending) + hidden


# -- ratings: good vs poor and the distribution -------------------------------------------------


@staff_only
@require_safe
def wave_ratings(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    sections = []
    for question in selectors.rating_questions(wave):
        by_area = selectors.cached_share_table(wave=wave, items=[question], group_by="area")
        by_position = selectors.cached_share_table(wave=wave, items=[question], group_by="position")
        view = report.shares_view(question.key, question.text, by_area, question, _("Area"))
        sections.append(
            {
                "question": question,
                "by_area": by_area,
                "by_position": by_position,
                "chart": _chart_svg(view.chart, f"chart-{question.key}", request),
            }
        )
    return _page(request, wave, "results/ratings.html", "ratings", sections=sections)


def _chart_svg(chart: report.Chart | None, chart_id: str, request: HttpRequest) -> str:
    # matplotlib loads only in the processes that draw charts.
    from . import charts

    if chart is None:
        return ""
    separator = "." if request.LANGUAGE_CODE == "en" else ","
    description = _(
        "Chart of the figures in the table below: %(series)s for each of %(count)s rows."
    ) % {
        "series": ", ".join(name for name, _values in chart.series),
        "count": len(chart.categories),
    }
    if chart.kind == "line":
        return drawn_once(
            charts.line_chart,
            chart_id=chart_id,
            title=chart.title,
            description=description,
            categories=chart.categories,
            series=chart.series,
            max_value=chart.max_value,
            percent=chart.percent,
            decimal_separator=separator,
        )
    return drawn_once(
        charts.bar_chart,
        chart_id=chart_id,
        title=chart.title,
        description=description,
        categories=chart.categories,
        series=chart.series,
        stacked=chart.kind == "stacked_bar",
        max_value=chart.max_value,
        percent=chart.percent,
        decimals=0 if chart.percent else 1,
        decimal_separator=separator,
    )


# -- trends --------------------------------------------------------------------------------------


@staff_only
@require_safe
def wave_trends(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    trend = selectors.realised_trend(wave=wave)
    view = report.trend_view(trend, _("Realised fairly or very well (%), all respondents"))
    return _page(
        request,
        wave,
        "results/trends.html",
        "trends",
        trend=trend,
        view=view,
        chart=_chart_svg(view.chart, "chart-trend", request),
    )


# -- map -----------------------------------------------------------------------------------------


@staff_only
@require_safe
def wave_map(request: HttpRequest, pk: int) -> HttpResponse:
    from . import maps

    wave = _wave(pk)
    table = selectors.cached_item_table(wave=wave, group_by="area")
    items = {item.key: item for item in table.items}
    if not items:
        raise Http404
    key = request.GET.get("item")
    item = items.get(key) or table.items[0]
    # Shaded by the printed value, as the table beside it.
    values = {
        g.code: None
        if g.cells[item.key].mean is None
        else float(round_half_up(g.cells[item.key].mean))
        for g in table.groups
    }
    suppressed = {g.code for g in table.groups if g.cells[item.key].suppressed}
    names = {area.code: area.area_label for area in Organisation.objects.areas()}
    svg = drawn_once(
        maps.choropleth,
        chart_id="map",
        title=_("%(item)s: mean by area") % {"item": item.text},
        description=_(
            "Map of the 22 areas shaded by the mean (1–5); the same figures are in the table "
            "beside the map."
        ),
        values=values,
        suppressed=suppressed,
        names=names,
        legend_title=_("Mean (1–5)"),
        low=MAP_LOW,
        high=MAP_HIGH,
        no_data_label=_("no data"),
        suppressed_label=_("withheld (n < %(k)s)") % {"k": table.threshold},
        decimal_separator="." if request.LANGUAGE_CODE == "en" else ",",
    )
    rows = [(g, g.cells[item.key]) for g in table.groups]
    return _page(
        request,
        wave,
        "results/map.html",
        "map",
        table=table,
        item=item,
        rows=rows,
        svg=svg,
        attribution=maps.MAP_ATTRIBUTION,
    )


# -- open answers --------------------------------------------------------------------------------


@staff_only
@require_safe
def wave_open_answers(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    questions = selectors.open_questions(wave)
    tags = list(Tag.objects.filter(survey=wave.survey))
    form = FiltersForm(request.GET or None, wave=wave, open_answers=True, tags=tags)
    chosen = form.open_filters(questions=questions, tags=tags)
    result = selectors.open_answers(wave=wave, **chosen)
    return _page(
        request,
        wave,
        "results/open_answers.html",
        "open",
        form=form,
        result=result,
        tags=tags,
        tag_counts=selectors.tag_counts(wave=wave),
        tag_form=TagForm(),
        review_forms={
            answer.pk: ReviewForm(tags=tags, answer=answer, prefix=f"a{answer.pk}")
            for answer in result.answers
        },
        query=request.GET.urlencode(),
        has_theme_question=wave.survey.questions.filter(key=services.THEME_QUESTION_KEY).exists(),
    )


@staff_only
@require_POST
def review_answer(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    wave = _wave(pk)
    answer = get_object_or_404(
        Answer.objects.select_related("question"), pk=answer_pk, response__wave=wave
    )
    tags = list(Tag.objects.filter(survey=wave.survey))
    form = ReviewForm(request.POST, tags=tags, answer=answer, prefix=f"a{answer.pk}")
    if form.is_valid():
        services.review_answer(
            answer=answer,
            tags=form.cleaned_data["tags"],
            publishable=form.cleaned_data["publishable"],
            actor=request.user,
        )
        messages.success(request, _("Review saved."))
    else:
        messages.error(request, _("The review was not saved: choose tags of this survey."))
    back = reverse("results:open_answers", args=[wave.pk])
    query = request.POST.get("query", "")
    return redirect(f"{back}?{query}#answer-{answer.pk}" if query else f"{back}#answer-{answer.pk}")


@staff_only
@require_http_methods(["GET", "POST"])
def add_tag(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    form = TagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["themes"]:
                services.add_theme_tags(survey=wave.survey, actor=request.user)
            else:
                services.add_tag(
                    survey=wave.survey,
                    kind=Tag.Kind.CATEGORY,
                    names={lang: data[f"name_{lang}"] for lang in ("fi", "sv", "en")},
                    actor=request.user,
                )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Tags saved."))
            return redirect("results:open_answers", wave.pk)
    return _page(request, wave, "results/tag_form.html", "open", form=form)


# -- area report ---------------------------------------------------------------------------------


def _area_report_context(request: HttpRequest, wave: Wave, area: Organisation) -> dict:
    table = selectors.cached_item_table(wave=wave, group_by="area")
    group = next((g for g in table.groups if g.code == area.code), None)
    if group is None:
        group = selectors.Group(code=area.code, name=area.area_label, n=0, suppressed=True)
        group.cells = {item.key: selectors.Cell(0, 0, suppressed=False) for item in table.items}
    previous = selectors.previous_wave(wave)
    previous_group = None
    if previous:
        before = selectors.cached_item_table(wave=previous, group_by="area")
        previous_group = next((g for g in before.groups if g.code == area.code), None)
    comparison = report.area_vs_all_view(wave, table, group, previous_group)
    ranked = sorted(
        (
            (item, group.cells[item.key].mean)
            for item in table.items
            if group.cells[item.key].mean is not None
        ),
        key=lambda pair: pair[1],
        reverse=True,
    )
    ratings = []
    crossed_items = selectors.rating_questions(wave)
    crossed = selectors.cached_area_by_position(wave=wave, items=crossed_items)
    labels = position_labels(wave)
    for question in crossed_items:
        by_area = selectors.cached_share_table(wave=wave, items=[question], group_by="area")
        area_row = next((g for g in by_area.groups if g.code == area.code), None)
        positions = [
            (labels.get(position, position), cell_group.cells[question.key])
            for (code, position), cell_group in sorted(crossed.items())
            if code == area.code
        ]
        ratings.append(
            {
                "question": question,
                "area": area_row.cells[question.key] if area_row else None,
                "all": by_area.all.cells[question.key],
                "positions": positions,
            }
        )
    trend = selectors.realised_trend(wave=wave, area_code=area.code)
    trend_all = selectors.realised_trend(wave=wave)
    rate = next(
        (row for row in response_rate(wave).by_area if row.key == area.code),
        None,
    )
    if group is None or group.suppressed:
        # "1 of 2 invited" under "respondents withheld" would tell the count withheld.
        rate = None
    quotes = selectors.open_answers(wave=wave, area=area, publishable_only=True)
    return {
        "survey_link": division_of_work.survey_link(area, wave=wave),
        "area": area,
        "table": table,
        "group": group,
        "previous": previous,
        "comparison": comparison,
        "strongest": ranked[:3],
        "weakest": list(reversed(ranked[-3:])) if len(ranked) > 3 else [],
        "ratings": ratings,
        "trend": trend,
        "trend_all": trend_all,
        "rate": rate,
        "quotes": quotes,
        "chart": _chart_svg(comparison.chart, "chart-area", request),
    }


@login_required
@require_safe
def area_report(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    wave = _wave(pk)
    area = access.get_area_for_user(request.user, code)
    context = _area_report_context(request, wave, area)
    return _page(request, wave, "results/area_report.html", "areas", **context)


@login_required
@require_safe
def area_report_pdf(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    from weasyprint import HTML

    wave = _wave(pk)
    area = access.get_area_for_user(request.user, code)
    context = _area_report_context(request, wave, area)
    html = render_to_string(
        "results/area_report_pdf.html",
        {"wave": wave, "survey": wave.survey, **context},
        request=request,
    )
    # PDF/UA: a tagged PDF with headings, tables and the language, for screen readers.
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    return _file(pdf, "application/pdf", _filename(wave, f"{area.code}.pdf"))


# -- exports -------------------------------------------------------------------------------------


@staff_only
@require_safe
def wave_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    wave = _wave(pk)
    the_report = report.wave_report(wave)
    if fmt == "xlsx":
        sheets = [view.sheet() for view in the_report.views]
        for _name, views in the_report.areas:
            sheets.extend(view.sheet() for view in views)
        return _file(
            to_xlsx(_unique_titles(sheets)),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _filename(wave, "results.xlsx"),
        )
    if fmt == "pptx":
        from .pptx import to_pptx

        return _file(
            to_pptx(the_report),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            _filename(wave, "results.pptx"),
        )
    if fmt == "csv":
        views = {view.key: view for view in the_report.views}
        view = views.get(request.GET.get("view", "areas"))
        if view is None:
            raise Http404
        return _file(
            to_csv(view.columns, view.rows),
            "text/csv; charset=utf-8",
            _filename(wave, f"{view.key}.csv"),
        )
    raise Http404


def _unique_titles(sheets):
    """Sheet names are at most 31 characters and unique in a workbook."""
    seen: set[str] = set()
    for sheet in sheets:
        base = sheet_title(sheet.title)[:28]
        title, number = base, 2
        while title.lower() in seen:
            title = f"{base} {number}"
            number += 1
        seen.add(title.lower())
        sheet.title = title
    return sheets
