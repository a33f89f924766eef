"""A report as a PowerPoint deck (16:9): native charts and tables that users can edit.

Charts are real PowerPoint charts with their data embedded, not pictures, so that an
association can restyle or correct them in PowerPoint. The slides take their content from
the report's views; only the layout (sizes, font sizes) is fixed here.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
)
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt
from xlsxwriter import Workbook

from yhdyspinta.core.exports import WITHHELD
from yhdyspinta.core.numbers import format_number

from .report import Chart, Report, View

SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)
MARGIN = Inches(0.45)
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
TITLE_TOP = Inches(0.25)
# (font size, lines) for titles, largest first: a title that fits on one line at the larger
# size leaves more room under it, questions make long titles of two lines.
TITLE_SIZES = ((26, 1), (20, 2), (16, 2))
TITLE_HEIGHTS = {True: Inches(0.58), False: Inches(0.7)}
CONTENT_TOPS = {True: Inches(0.88), False: Inches(0.98)}
BOTTOM = SLIDE_HEIGHT - Inches(0.1)
NOTES_HEIGHT = Inches(0.34)
GAP = Inches(0.25)

# The default template's layouts (python-pptx ships one template).
TITLE_LAYOUT = 0
TITLE_ONLY_LAYOUT = 5

TEXT = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x4D, 0x4D, 0x4D)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
GRIDLINE = RGBColor(0xD0, 0xD0, 0xD0)
HEADER_FILL = RGBColor(0xE4, 0xE4, 0xE4)
BAND_FILL = RGBColor(0xF4, 0xF4, 0xF4)
# Every series colour has at least 4.5:1 contrast on white (the tests check 3:1, the WCAG
# minimum for graphics) and white data labels stay readable on them; neighbours differ in hue
# for colour-blind readers, and line charts also vary the marker.
SERIES_COLORS = [
    RGBColor(0x1F, 0x5A, 0x96),  # blue
    RGBColor(0xB3, 0x47, 0x00),  # dark orange
    RGBColor(0x2E, 0x7D, 0x32),  # green
    RGBColor(0x7B, 0x1F, 0xA2),  # purple
    RGBColor(0x4D, 0x4D, 0x4D),  # grey
    RGBColor(0xAD, 0x14, 0x57),  # magenta
    RGBColor(0x00, 0x79, 0x6B),  # teal
    RGBColor(0x85, 0x6A, 0x00),  # dark gold
    RGBColor(0xC6, 0x28, 0x28),  # red
]
MARKERS = [
    XL_MARKER_STYLE.CIRCLE,
    XL_MARKER_STYLE.SQUARE,
    XL_MARKER_STYLE.DIAMOND,
    XL_MARKER_STYLE.TRIANGLE,
    XL_MARKER_STYLE.CIRCLE,
    XL_MARKER_STYLE.SQUARE,
    XL_MARKER_STYLE.DIAMOND,
    XL_MARKER_STYLE.TRIANGLE,
    XL_MARKER_STYLE.CIRCLE,
]

CHART_TYPES = {
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked_bar": XL_CHART_TYPE.BAR_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
}
LABELLED_LINES = 3
CHART_KIND_NAMES = {
    "bar": gettext_lazy("Bar chart"),
    "stacked_bar": gettext_lazy("Stacked bar chart"),
    "line": gettext_lazy("Line chart"),
}

TABLE_FONT_SIZES = (9, 8)  # tried in turn until the table fits; below 8 pt is unreadable
CELL_MARGIN_X = Inches(0.05)
CELL_MARGIN_Y = Inches(0.015)
FIRST_COLUMN_MAX = Inches(2.3)
FIRST_COLUMN_STEPS = (FIRST_COLUMN_MAX, Inches(2.8), Inches(3.3))
NUMBER_COLUMN_MIN = Inches(0.7)
NARROW_COLUMN_MIN = Inches(0.5)
NARROW_COLUMN_MAX = Inches(0.6)
# Estimates for wrapping text, in proportion to the font size. They follow the widest likely
# font (DejaVu Sans, which LibreOffice puts in place of Calibri) so nothing overflows there;
# in PowerPoint the text only gets roomier.
LINE_HEIGHT = 1.2
CHAR_WIDTH = 0.53
BOLD_CHAR_WIDTH = 0.62


def to_pptx(report: Report) -> bytes:
    deck = Presentation()
    widen_template(deck)
    deck.core_properties.title = report.title
    deck.core_properties.subject = report.subtitle
    deck.core_properties.language = get_language() or ""

    title_slide(deck, report)
    # A chart without categories has nothing to draw (and PowerPoint could not draw it).
    charted = [view for view in report.views if view.chart and view.chart.categories]
    by_key = {view.key: view for view in report.views}
    headline = by_key.get("headline_rating-areas")
    if headline not in charted:
        headline = charted[0] if charted else None
    trend = by_key.get("trend")
    table = by_key.get("areas")
    if headline is not None:
        chart_slide(deck, headline)
    if table is not None and table.rows:
        table_slides(deck, table)
    for view in charted:
        if view is not headline and view is not trend:
            chart_slide(deck, view)
    if trend in charted and trend is not headline:
        chart_slide(deck, trend)
    for name, area_views in report.areas:
        for view in area_views:
            area_slide(deck, name, view)

    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


# Slides


def widen_template(deck) -> None:
    """The template is 4:3; stretch its placeholders sideways to the 16:9 slide."""
    scale = SLIDE_WIDTH / deck.slide_width
    deck.slide_width = SLIDE_WIDTH
    deck.slide_height = SLIDE_HEIGHT
    for layout_or_master in [deck.slide_master, *deck.slide_layouts]:
        for placeholder in layout_or_master.placeholders:
            placeholder.left = Emu(round(placeholder.left * scale))
            placeholder.width = Emu(round(placeholder.width * scale))


def title_slide(deck, report: Report) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    title = slide.shapes.title
    title.left, title.top = MARGIN, Inches(2.2)
    title.width, title.height = CONTENT_WIDTH, Inches(1.8)
    set_text(title.text_frame, report.title, size=36, bold=True)
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    subtitle = next((ph for ph in slide.placeholders if ph.placeholder_format.idx == 1), None)
    if subtitle is not None:
        subtitle.left, subtitle.top = MARGIN, Inches(4.2)
        subtitle.width, subtitle.height = CONTENT_WIDTH, Inches(1.0)
        set_text(subtitle.text_frame, report.subtitle, size=20, color=MUTED)
        subtitle.text_frame.vertical_anchor = MSO_ANCHOR.TOP


def title_size(title: str) -> tuple[int, bool]:
    """The font size for a slide title and whether it stays on one line."""
    for size, lines in TITLE_SIZES:
        # Estimated as bold text in a cell, whose wider estimate covers the placeholder's
        # wider insets.
        if line_count(title, CONTENT_WIDTH, size, bold=True) <= lines:
            return size, lines == 1
    return TITLE_SIZES[-1][0], False


def content_top(title: str) -> int:
    return CONTENT_TOPS[title_size(title)[1]]


def content_slide(deck, title: str):
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    placeholder = slide.shapes.title
    size, short = title_size(title)
    placeholder.left, placeholder.top = MARGIN, TITLE_TOP
    placeholder.width, placeholder.height = CONTENT_WIDTH, TITLE_HEIGHTS[short]
    set_text(placeholder.text_frame, title, size=size, bold=True, align=PP_ALIGN.LEFT)
    placeholder.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    placeholder.text_frame.word_wrap = True
    return slide


def chart_slide(deck, view: View) -> None:
    slide = content_slide(deck, view.title)
    top = content_top(view.title)
    height = BOTTOM - top - (NOTES_HEIGHT if view.notes else 0)
    add_chart(slide, view.chart, MARGIN, top, CONTENT_WIDTH, height)
    if view.notes:
        add_notes(slide, view.notes, MARGIN, top + height, CONTENT_WIDTH)


def table_slides(deck, view: View) -> None:
    """The table on one slide, or continued over several when it cannot fit on one."""
    # Room for the page numbers that a continued table adds to the title.
    top = content_top(f"{view.title} (1/9)")
    height = BOTTOM - top - (NOTES_HEIGHT if view.notes else 0)
    size, widths = fit_table(view, CONTENT_WIDTH, height)
    pages = paginate(view, widths, size, height)
    for number, rows in enumerate(pages, start=1):
        title = view.title if len(pages) == 1 else f"{view.title} ({number}/{len(pages)})"
        slide = content_slide(deck, title)
        add_table(slide, view, rows, MARGIN, top, widths, size)
        if view.notes:
            used = sum(row_heights(view, rows, widths, size))
            notes_top = min(top + used + Inches(0.05), BOTTOM - NOTES_HEIGHT)
            add_notes(slide, view.notes, MARGIN, notes_top, CONTENT_WIDTH)


def area_slide(deck, area_name: str, view: View) -> None:
    """The area's chart on the left and its table on the right, notes across the bottom."""
    slide = content_slide(deck, area_name)
    top = content_top(area_name)
    height = BOTTOM - top - (NOTES_HEIGHT if view.notes else 0)
    chart = view.chart if view.chart and view.chart.categories else None
    if chart is None:
        size, widths = fit_table(view, CONTENT_WIDTH, height)
    else:
        # The last size stays when none fits.
        for size in TABLE_FONT_SIZES:
            widths = compact_widths(view, size)
            if sum(row_heights(view, view.rows, widths, size)) <= height:
                break
    table_left = MARGIN + CONTENT_WIDTH - sum(widths)
    if chart is not None:
        add_chart(slide, chart, MARGIN, top, table_left - GAP - MARGIN, height)
    add_table(slide, view, view.rows, table_left, top, widths, size)
    if view.notes:
        add_notes(slide, view.notes, MARGIN, top + height, CONTENT_WIDTH)


# Charts


class TextSafeWorkbookWriter(CategoryWorkbookWriter):
    """Embeds the chart data with every label as text.

    XlsxWriter turns strings beginning with "=" into formulas and URLs into links by default,
    so an area or item named "=..." would run as a formula when the chart's data is edited.
    """

    @contextmanager
    def _open_worksheet(self, xlsx_file):
        workbook = Workbook(
            xlsx_file,
            {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
        )
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class TextSafeChartData(CategoryChartData):
    @cached_property
    def _workbook_writer(self):
        return TextSafeWorkbookWriter(self)


def chart_number_format(chart: Chart) -> str:
    return '0 "%"' if chart.percent else "0.0"


def add_chart(slide, chart: Chart, left, top, width, height):
    data = TextSafeChartData(number_format=chart_number_format(chart))
    data.categories = chart.categories
    for name, values in chart.series:
        data.add_series(name, [None if v is None else float(v) for v in values])
    frame = slide.shapes.add_chart(CHART_TYPES[chart.kind], left, top, width, height, data)
    # The name shows in PowerPoint's selection pane, the description is the alternative text.
    frame.name = f"{CHART_KIND_NAMES[chart.kind]}: {chart.title}"
    set_description(frame, chart_description(chart))
    style_chart(frame.chart, chart)
    return frame


def chart_description(chart: Chart) -> str:
    return _("%(kind)s: %(title)s. %(categories)s categories; series: %(series)s.") % {
        "kind": CHART_KIND_NAMES[chart.kind],
        "title": chart.title,
        "categories": len(chart.categories),
        "series": "; ".join(name for name, _values in chart.series),
    }


def style_chart(pchart, chart: Chart) -> None:
    pchart.font.size = Pt(10)
    pchart.font.color.rgb = TEXT
    pchart.has_title = True
    set_text(pchart.chart_title.text_frame, chart.title, size=12, bold=True)

    pchart.has_legend = True
    pchart.legend.position = XL_LEGEND_POSITION.BOTTOM
    pchart.legend.include_in_layout = False
    pchart.legend.font.size = Pt(10)

    values = pchart.value_axis
    values.minimum_scale = 0
    maximum = chart.max_value if chart.max_value is not None else (100 if chart.percent else None)
    if maximum is not None:
        values.maximum_scale = maximum
        values.major_unit = maximum / 5
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = GRIDLINE
    values.tick_labels.number_format = '0 "%"' if chart.percent else "0"
    values.tick_labels.number_format_is_linked = False
    values.tick_labels.font.size = Pt(9)
    values.format.line.color.rgb = GRIDLINE

    categories = pchart.category_axis
    categories.tick_labels.font.size = Pt(9)
    categories.format.line.color.rgb = MUTED
    if chart.kind in ("bar", "stacked_bar"):
        # PowerPoint draws the first category of a horizontal bar chart at the bottom; reversed,
        # the value axis would move to the top unless it crosses at the last category (set on
        # the value axis's own element, which python-pptx offers no property for).
        categories.reverse_order = True
        values._element.xpath("./c:crosses")[0].set("val", "max")

    plot = pchart.plots[0]
    plot.vary_by_categories = False
    if chart.kind == "stacked_bar":
        plot.gap_width = 40
        plot.overlap = 100
    elif chart.kind == "bar":
        plot.gap_width = 60
        plot.overlap = 0

    # Labels on every point of many lines would pile up on each other; there the gridlines
    # and the embedded data give the figures.
    plot.has_data_labels = chart.kind != "line" or len(chart.series) <= LABELLED_LINES
    if plot.has_data_labels:
        labels = plot.data_labels
        labels.number_format = chart_number_format(chart)
        labels.number_format_is_linked = False
        labels.font.size = Pt(9)
        labels.show_value = True
        if chart.kind == "stacked_bar":
            labels.position = XL_LABEL_POSITION.CENTER
            labels.font.color.rgb = WHITE
        elif chart.kind == "bar":
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
            labels.font.color.rgb = TEXT
        else:
            labels.position = XL_LABEL_POSITION.ABOVE
            labels.font.color.rgb = TEXT

    for index, series in enumerate(plot.series):
        color = SERIES_COLORS[index % len(SERIES_COLORS)]
        if chart.kind == "line":
            series.format.line.color.rgb = color
            series.format.line.width = Pt(2.25)
            series.smooth = False
            series.marker.style = MARKERS[index % len(MARKERS)]
            series.marker.size = 7
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = color
            series.marker.format.line.color.rgb = color
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = color


def set_description(shape, text: str) -> None:
    """Alternative text that screen readers announce for the shape."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


# Tables


def cell_text(value: Any, fmt: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        # Counts are ints even in a column of means (the "N per item" row): never "458,0".
        return format_as(float(value), fmt, places=0)
    if isinstance(value, float | Decimal):
        return format_as(float(value), fmt)
    return str(value)


def format_as(value: float, fmt: str | None, places: int | None = None) -> str:
    """As the spreadsheet format would show it, written by numbers.format_number.

    Understands what the reports use: "0", "0.0" and "+0.0;-0.0;0.0" (sections for positive,
    negative and zero). Without a format, whole numbers stay whole and others get one decimal.
    """
    sections = (fmt or "").split(";")
    match = re.search(r"\.(0+)", sections[0])
    if places is None:
        places = len(match.group(1)) if match else 0
        if not fmt and not value.is_integer():
            places = 1
    plus = "+" if sections[0][:1] == "+" else ""
    return format_number(value, places, plus=plus, minus="-")


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def line_count(text: str, width: int, size: float, bold: bool) -> int:
    """How many lines a text wraps to in a cell of `width` (EMU): an estimate that errs long."""
    usable = max(width - 2 * CELL_MARGIN_X, 1)
    per_char = BOLD_CHAR_WIDTH if bold else CHAR_WIDTH
    chars_per_line = max(int(usable / Pt(size * per_char)), 1)
    lines = 0
    for paragraph in text.split("\n") or [""]:
        line = 0
        lines += 1
        for word in paragraph.split():
            extra = len(word) if line == 0 else len(word) + 1
            if line and line + extra > chars_per_line:
                lines += 1
                line = len(word)
            else:
                line += extra
            # A word longer than the column breaks over lines of its own.
            while line > chars_per_line:
                lines += 1
                line -= chars_per_line
    return max(lines, 1)


def text_width(text: str, size: float, bold: bool = True) -> int:
    """The width `text` needs on one line in a cell (EMU)."""
    per_char = BOLD_CHAR_WIDTH if bold else CHAR_WIDTH
    return int(Pt(size * per_char) * len(text)) + 2 * CELL_MARGIN_X


def first_column_width(view: View, size: float, most: int) -> int:
    """Room for the longest label on one line, up to `most`: beyond it labels wrap."""
    totals = total_rows(view)
    needed = [text_width(view.columns[0], size, bold=False)]
    needed += [text_width(row_texts(view, row)[0], size, id(row) in totals) for row in view.rows]
    return min(most, max(needed))


def column_widths(view: View, width: int, size: float, first_most: int) -> list[int]:
    """The first column as wide as its labels need (up to `first_most`), the rest equal;
    except that a column of short texts only (N) takes what it needs, leaving the room to
    the columns under long item names."""
    columns = len(view.columns)
    if columns == 1:
        return [width]
    first = min(first_column_width(view, size, first_most), width // 2)
    totals = total_rows(view)
    natural = [
        max(
            [text_width(view.columns[c], size, bold=False)]
            + [text_width(row_texts(view, row)[c], size, id(row) in totals) for row in view.rows]
        )
        for c in range(1, columns)
    ]
    narrow = {c for c, need in enumerate(natural, start=1) if need <= NARROW_COLUMN_MAX}
    if len(narrow) == columns - 1:
        narrow = set()
    narrow_widths = {c: max(natural[c - 1], NARROW_COLUMN_MIN) for c in narrow}
    rest = (width - first - sum(narrow_widths.values())) // (columns - 1 - len(narrow))
    widths = [narrow_widths.get(c, rest) for c in range(1, columns)]
    return [width - sum(widths), *widths]


def compact_widths(view: View, size: float) -> list[int]:
    """A table as narrow as its headers' longest words allow, to leave room beside it.

    Words measured as bold, the wider estimate: a word broken in the middle reads worse than
    a column a little wider."""
    number_width = max(
        [NUMBER_COLUMN_MIN]
        + [text_width(word, size) for header in view.columns[1:] for word in header.split()]
    )
    width = FIRST_COLUMN_MAX + number_width * (len(view.columns) - 1)
    return column_widths(view, min(width, CONTENT_WIDTH // 2), size, FIRST_COLUMN_MAX)


def fit_table(view: View, width: int, height: int) -> tuple[float, list[int]]:
    """The font size and column widths of the table on one slide, if any can fit it.

    Larger type first; then, for long labels (English area names), a wider first column
    before the table is split over slides. Failing all, the layout of the shortest table.
    """
    layouts = [
        (size, column_widths(view, width, size, first_most))
        for size in TABLE_FONT_SIZES
        for first_most in FIRST_COLUMN_STEPS
    ]
    heights = [sum(row_heights(view, view.rows, widths, size)) for size, widths in layouts]
    for layout, needed in zip(layouts, heights, strict=True):
        if needed <= height:
            return layout
    return layouts[heights.index(min(heights))]


def row_height(texts: Sequence[str], widths: Sequence[int], size: float, bold: bool) -> int:
    lines = max(line_count(t, w, size, bold) for t, w in zip(texts, widths, strict=True))
    return int(Pt(size * LINE_HEIGHT) * lines + 2 * CELL_MARGIN_Y + Pt(2))


def row_texts(view: View, row: Sequence[Any]) -> list[str]:
    formats = list(view.formats) + [None] * (len(view.columns) - len(view.formats))
    cells = list(row) + [None] * (len(view.columns) - len(row))
    return [cell_text(v, f) for v, f in zip(cells, formats, strict=False)][: len(view.columns)]


def total_rows(view: View) -> set[int]:
    """The rows after the groups (all respondents, range, N) read as totals, in bold."""
    return {id(row) for row in view.rows[view.shaded_rows :]} if view.shaded_rows else set()


def row_heights(view: View, rows, widths: Sequence[int], size: float) -> list[int]:
    totals = total_rows(view)
    return [
        row_height(view.columns, widths, size, bold=False),
        *(row_height(row_texts(view, row), widths, size, id(row) in totals) for row in rows),
    ]


def paginate(view: View, widths: Sequence[int], size: float, height: int) -> list[list]:
    """The rows of each slide, as many as fit under the header."""
    header, *heights = row_heights(view, view.rows, widths, size)
    pages: list[list] = []
    current: list = []
    used = header
    for row, needed in zip(view.rows, heights, strict=True):
        if current and used + needed > height:
            pages.append(current)
            current, used = [], header
        current.append(row)
        used += needed
    pages.append(current)
    return pages


def add_table(slide, view: View, rows, left, top, widths: Sequence[int], size: float):
    heights = row_heights(view, rows, widths, size)
    width = sum(widths)
    all_rows = [list(view.columns), *(row_texts(view, row) for row in rows)]
    shape = slide.shapes.add_table(len(all_rows), len(view.columns), left, top, width, Inches(1))
    shape.name = _("Table: %(title)s") % {"title": view.title}
    table = shape.table
    table.first_row = True
    table.horz_banding = False
    for index, column_width in enumerate(widths):
        table.columns[index].width = column_width
    numeric = [
        index > 0
        and any(is_number(r[index]) or r[index] == WITHHELD for r in rows if index < len(r))
        for index in range(len(view.columns))
    ]
    totals = total_rows(view)
    # The header is set apart by its fill; bold would wrap the long item names further.
    bold_rows = [False, *(id(row) in totals for row in rows)]
    for r, texts in enumerate(all_rows):
        header = r == 0
        table.rows[r].height = heights[r]
        for c, text in enumerate(texts):
            cell = table.cell(r, c)
            cell.margin_left = cell.margin_right = CELL_MARGIN_X
            cell.margin_top = cell.margin_bottom = CELL_MARGIN_Y
            cell.vertical_anchor = MSO_ANCHOR.BOTTOM if header else MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            if header:
                cell.fill.fore_color.rgb = HEADER_FILL
            else:
                cell.fill.fore_color.rgb = BAND_FILL if r % 2 == 0 else WHITE
            align = PP_ALIGN.RIGHT if numeric[c] else PP_ALIGN.LEFT
            set_text(cell.text_frame, text, size=size, bold=bold_rows[r], align=align)
            cell.text_frame.word_wrap = True
    return shape


def add_notes(slide, notes: Sequence[str], left, top, width) -> None:
    box = slide.shapes.add_textbox(left, top, width, NOTES_HEIGHT)
    box.name = _("Notes")
    frame = box.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = 0
    frame.margin_top = Inches(0.05)
    for index, note in enumerate(notes):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = note
        run.font.size = Pt(9)
        run.font.color.rgb = MUTED


def set_text(frame, text: str, *, size: float, bold=False, color=TEXT, align=None) -> None:
    """Replaces the frame's text with one run per line, styled explicitly."""
    frame.clear()
    for index, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        # An empty paragraph takes its height from the paragraph's own font: left alone, an
        # empty table cell stands at the template's 18 pt and makes its row tall.
        paragraph.font.size = Pt(size)
        paragraph._p.get_or_add_endParaRPr().set("sz", str(round(size * 100)))
        if line:
            run = paragraph.add_run()
            run.text = line
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = color
