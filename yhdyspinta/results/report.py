"""Reports: the results of a wave as views (a table, perhaps a chart), for every renderer.

One report yields views; the renderers turn them into CSV, XLSX and PPTX (and the pages show
the same numbers from the same selectors). A withheld figure is `WITHHELD` ("-") and a figure
with no data is None (an empty cell), so the two never look the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from yhdyspinta.core.exports import WITHHELD, Sheet
from yhdyspinta.core.numbers import format_number, round_half_up
from yhdyspinta.surveys.models import Wave

from . import selectors
from .selectors import Group, ItemTable


@dataclass
class Chart:
    """What a renderer needs to draw a chart natively: categories and one list per series."""

    kind: str  # "bar" (grouped), "stacked_bar" or "line"
    title: str
    categories: list[str]
    series: list[tuple[str, list[float | None]]]
    percent: bool = False
    max_value: float | None = None


@dataclass
class View:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    formats: list[str | None] = field(default_factory=list)
    chart: Chart | None = None
    notes: list[str] = field(default_factory=list)
    shaded_columns: list[int] = field(default_factory=list)  # 1-based, for XLSX
    shaded_rows: int = 0

    def sheet(self) -> Sheet:
        return Sheet(
            title=self.title,
            columns=self.columns,
            rows=self.rows,
            formats=self.formats,
            notes=self.notes,
            shaded_columns=self.shaded_columns,
            shaded_rows=self.shaded_rows,
        )


@dataclass
class Report:
    title: str
    subtitle: str
    views: list[View]
    # One group of views per area (the per-area slides of the deck).
    areas: list[tuple[str, list[View]]] = field(default_factory=list)


MEAN = "0.0"
PERCENT = "0"
COUNT = "0"


def figure(value: float | None, suppressed: bool) -> Any:
    if suppressed:
        return WITHHELD
    return value


def range_text(bounds: tuple[float, float] | None) -> str:
    """'2,4-4,0' in Finnish and Swedish, '2.4-4.0' in English, as the published tables."""
    if bounds is None:
        return ""
    low, high = (format_number(v, 1) for v in bounds)
    return f"{low}-{high}"


def threshold_note(k: int) -> str:
    return _(
        "- = withheld: fewer than %(k)s respondents (or a figure that could be worked out "
        "from others withheld). An empty cell means no answers."
    ) % {"k": k}


def _plotted(value: Any) -> bool:
    """A figure a chart may draw: a number, not a withheld mark or a missing value."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def item_label(question) -> str:
    return question.text


def area_table_view(table: ItemTable) -> View:
    """The per-area table as published: a row per group, all respondents, range, N per item."""
    items = table.items
    columns = [_("Area"), *(item_label(item) for item in items), _("N")]
    rows: list[list[Any]] = []
    for group in table.groups:
        rows.append(
            [
                group.name,
                *(
                    figure(group.cells[item.key].mean, group.cells[item.key].suppressed)
                    for item in items
                ),
                figure(group.n, group.suppressed),
            ]
        )
    everyone = table.all
    rows.append(
        [
            _("All respondents"),
            *(figure(everyone.cells[i.key].mean, everyone.cells[i.key].suppressed) for i in items),
            figure(everyone.n, everyone.suppressed),
        ]
    )
    rows.append([_("Range"), *(range_text(table.range[i.key]) for i in items), None])
    rows.append(
        [
            _("N per item"),
            *(figure(everyone.cells[i.key].n, everyone.cells[i.key].suppressed) for i in items),
            None,
        ]
    )
    return View(
        key="areas",
        title=_("Means by area"),
        columns=columns,
        rows=rows,
        formats=[None, *([MEAN] * len(items)), COUNT],
        notes=[
            _("Means of the answers 1–5; “can't say” is not counted."),
            threshold_note(table.threshold),
        ],
        shaded_columns=list(range(2, len(items) + 2)),
        shaded_rows=len(table.groups),
    )


def shares_view(key: str, title: str, table: ItemTable, question, first_column: str) -> View:
    """% good and % poor of one rating question with its distribution, per group."""
    columns = [
        first_column,
        _("N"),
        _("Good 4–5 (%)"),
        _("Poor 1–2 (%)"),
        *(_("Answer %(value)s (%%)") % {"value": v} for v in range(1, 6)),
        _("can't say"),
    ]
    rows = []
    for group in [*table.groups, table.all]:
        shares = group.cells[question.key]
        hidden = shares.suppressed
        name = group.name or _("All respondents")
        rows.append(
            [
                name,
                figure(shares.n, hidden),
                figure(shares.good, hidden),
                figure(shares.poor, hidden),
                *(figure(shares.percent(v), hidden) for v in range(1, 6)),
                figure(shares.cant_say, hidden),
            ]
        )
    chart = Chart(
        kind="stacked_bar",
        title=title,
        categories=[row[0] for row in rows],
        series=[
            (_("good (4–5)"), [v if _plotted(v) else None for v in (r[2] for r in rows)]),
            (_("poor (1–2)"), [v if _plotted(v) else None for v in (r[3] for r in rows)]),
        ],
        percent=True,
        max_value=100,
    )
    return View(
        key=key,
        title=title,
        columns=columns,
        rows=rows,
        formats=[None, COUNT, PERCENT, PERCENT, *([PERCENT] * 5), COUNT],
        chart=chart,
        notes=[threshold_note(table.threshold)],
    )


def trend_view(trend: selectors.Trend, title: str) -> View:
    """% rating each item realised fairly or very well (4–5), one column per wave."""
    columns = [_("Item"), *(wave.name for wave in trend.waves)]
    rows = []
    for item in trend.items:
        points = trend.points[item.key]
        rows.append(
            [
                item_label(item),
                *(None if p is None else figure(p.good, p.suppressed) for p in points),
            ]
        )
    # As the association's own slides: a bar per wave beside each other for every item.
    chart = Chart(
        kind="bar",
        title=title,
        categories=[row[0] for row in rows],
        series=[
            (wave.name, [v if _plotted(v) else None for v in (r[i + 1] for r in rows)])
            for i, wave in enumerate(trend.waves)
        ],
        percent=True,
        max_value=100,
    )
    return View(
        key="trend",
        title=title,
        columns=columns,
        rows=rows,
        formats=[None, *([PERCENT] * len(trend.waves))],
        chart=chart,
    )


def area_vs_all_view(
    wave: Wave, table: ItemTable, area_group: Group, previous: Group | None
) -> View:
    columns = [_("Item"), area_group.name, _("All respondents"), _("Difference")]
    if previous is not None:
        columns.append(_("Previous wave"))
    rows = []
    for item in table.items:
        cell = area_group.cells[item.key]
        overall = table.all.cells[item.key]
        difference = None
        if cell.mean is not None and overall.mean is not None:
            # Of the printed figures, so that 3,4 against 3,0 reads +0,4 and never +0,3.
            difference = float(round_half_up(cell.mean) - round_half_up(overall.mean))
        row = [
            item_label(item),
            figure(cell.mean, cell.suppressed),
            figure(overall.mean, overall.suppressed),
            figure(difference, cell.suppressed),
        ]
        if previous is not None:
            before = previous.cells.get(item.key)
            row.append(None if before is None else figure(before.mean, before.suppressed))
        rows.append(row)
    chart = Chart(
        kind="bar",
        title=_("%(area)s compared with all respondents") % {"area": area_group.name},
        categories=[row[0] for row in rows],
        series=[
            (area_group.name, [v if _plotted(v) else None for v in (r[1] for r in rows)]),
            (
                _("All respondents"),
                [v if _plotted(v) else None for v in (r[2] for r in rows)],
            ),
        ],
        max_value=5,
    )
    return View(
        key=f"area-{area_group.code}",
        title=area_group.name,
        columns=columns,
        rows=rows,
        formats=[None, MEAN, MEAN, "+0.0;-0.0;0.0", MEAN],
        chart=chart,
        notes=[threshold_note(table.threshold)],
    )


def tags_view(wave: Wave) -> View:
    counts = selectors.tag_counts(wave=wave)
    kinds = dict(selectors.Tag.Kind.choices)
    return View(
        key="tags",
        title=_("Tags of open answers"),
        columns=[_("Tag"), _("Kind"), _("Answers")],
        rows=[[c.tag.name, str(kinds[c.tag.kind]), c.answers] for c in counts],
        formats=[None, None, COUNT],
    )


def wave_report(wave: Wave) -> Report:
    """Everything the association publishes of a wave, withheld figures withheld."""
    table = selectors.cached_item_table(wave=wave, group_by="area")
    views = [area_table_view(table)]
    for question in selectors.rating_questions(wave):
        by_area = selectors.cached_share_table(wave=wave, items=[question], group_by="area")
        views.append(
            shares_view(f"{question.key}-areas", question.text, by_area, question, _("Area"))
        )
        by_position = selectors.cached_share_table(wave=wave, items=[question], group_by="position")
        views.append(
            shares_view(
                f"{question.key}-positions",
                _("%(question)s by position") % {"question": question.text},
                by_position,
                question,
                _("Position"),
            )
        )
    trend = selectors.realised_trend(wave=wave)
    if trend.waves:
        views.append(
            trend_view(trend, _("Realised fairly or very well (%), all respondents, by wave"))
        )
    views.append(tags_view(wave))
    previous = selectors.previous_wave(wave)
    previous_table = (
        selectors.cached_item_table(wave=previous, group_by="area") if previous else None
    )
    previous_rows = {g.code: g for g in previous_table.groups} if previous_table else {}
    areas = []
    for group in table.groups:
        if group.suppressed:
            continue  # a slide of dashes tells nothing
        areas.append(
            (group.name, [area_vs_all_view(wave, table, group, previous_rows.get(group.code))])
        )
    return Report(
        title=str(wave.survey.title),
        subtitle=_("Wave %(wave)s: %(n)s respondents") % {"wave": wave.name, "n": table.all.n},
        views=views,
        areas=areas,
    )
