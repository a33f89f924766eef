"""Accessible bar and line charts as inline SVG, drawn on the server with matplotlib.

The pages must work without JavaScript and meet WCAG 2.1 AA, so a chart is a static SVG that
the template inserts inline. Every chart:

- is one `<svg role="img">` named by its `<title>` and `<desc>` (`aria-labelledby`); the table
  next to it is the full text alternative;
- prints its values as text, so colour never carries the numbers alone;
- scales with its container (`viewBox`, `width="100%"`, no fixed height);
- keeps its text as text, in the page's sans-serif;
- carries no `style` attributes or `<style>` elements: the site's Content Security Policy
  (`style-src 'self'`) would drop them, so every style becomes a presentation attribute;
- prefixes every id with its `chart_id`, so that two charts on one page do not clash.

Only the object API is used (`Figure` with the SVG canvas): pyplot keeps global state and is
not thread-safe. rcParams are global too, so drawing happens under one lock.
"""

from __future__ import annotations

import io
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Sequence

import matplotlib
import numpy as np
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.textpath import TextToPath
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import Affine2D

from yhdyspinta.core.numbers import format_number

# Good is dark, poor is a lighter orange: they differ in hue for colour-blind readers and in
# lightness for greyscale print. Every colour here has at least 3:1 against white (WCAG 1.4.11).
GOOD_COLOUR = "#0b4f8a"
POOR_COLOUR = "#dd6600"
# Okabe–Ito hues darkened to 3:1 against white; the first two are good and poor, so a
# good-vs-poor chart needs no colours of its own.
SERIES_COLOURS = [
    GOOD_COLOUR,
    POOR_COLOUR,
    "#009e73",
    "#a8447e",
    "#595959",
    "#8a6100",
    "#2b8cc4",
    "#6a3d9a",
    "#882255",
]
# Ratings 1..5: diverging from poor (orange) through neutral grey to good (blue).
RATING_COLOURS = ["#a33d00", POOR_COLOUR, "#767676", "#3b7dc4", GOOD_COLOUR]
MARKER_SIZE = 7.0
# With more series than colours can keep apart, the marker tells them apart too.
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "h", "*"]

# The site's font stack (core/static/core/site.css). Layout is measured with DejaVu Sans,
# which is wider than these, so text set in them fits where it was measured to fit.
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
TEXT_COLOUR = "#1a1a1a"
AXIS_COLOUR = "#4d4d4d"
GRID_COLOUR = "#d4d4d4"

WIDTH = 600.0  # points; the SVG scales to its container, this only fixes proportions
FONT_SIZE = 11.0
LINE_HEIGHT = FONT_SIZE * 1.3
PAD = 8.0

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_URL_REF = re.compile(r"url\(#([^)]+)\)")
RENDER_LOCK = threading.Lock()
_MEASURE = TextToPath()
_MEASURE_FONT = "DejaVu Sans"

Values = Sequence[float | None]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two '#rrggbb' colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(fill: str) -> str:
    """Black or white, whichever contrasts more with `fill` (one of them always reaches 4.5:1)."""
    return "#000" if contrast_ratio(fill, "#000000") >= contrast_ratio(fill, "#ffffff") else "#fff"


def chart_number(value: float, decimals: int, percent: bool, separator: str) -> str:
    """A figure in a chart, written as the table beside it writes it (numbers.format_number)."""
    return format_number(value, decimals, unit=" %" if percent else "", separator=separator)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: list[str],
    series: list[tuple[str, list[float | None]]],
    stacked: bool = False,
    horizontal: bool = True,
    max_value: float | None = None,
    percent: bool = False,
    decimals: int = 1,
    decimal_separator: str = ",",
    colours: Sequence[str] | None = None,
) -> str:
    """Grouped or stacked bars with their values printed; None is a missing bar, not zero.

    Percentages are given as 0–100. In a stacked bar a value is printed inside its segment
    when it fits, the last one beside the bar when it does not; others too narrow to hold
    their number are left to the table. `colours` (one per series) defaults to
    SERIES_COLOURS; pass RATING_COLOURS for a 1..5 distribution.
    """
    _check(chart_id, categories, series)
    fills = _series_colours(colours, len(series))
    fmt = _formatter(decimals, percent, decimal_separator)
    with RENDER_LOCK, matplotlib.rc_context(render_settings(chart_id)):
        if stacked:
            columns = zip(*(values for _, values in series), strict=True)
            totals = [sum(v for v in column if v is not None) for column in columns]
            data_max = max(totals, default=0.0)
        else:
            data_max = max((v for _, vs in series for v in vs if v is not None), default=0.0)
        vmax = _axis_max(data_max, max_value, percent)
        draw = _horizontal_bars if horizontal else _vertical_bars
        fig = draw(categories, series, fills, stacked, vmax, fmt, percent, decimal_separator)
        return to_svg(fig, chart_id=chart_id, title=title, description=description)


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: list[str],
    series: list[tuple[str, list[float | None]]],
    max_value: float | None = None,
    percent: bool = False,
    decimals: int = 0,
    decimal_separator: str = ",",
    colours: Sequence[str] | None = None,
) -> str:
    """Lines with a distinct marker per series and the values printed at their points.

    None leaves a gap in the line. A value is printed just above or below its point; where
    series crowd so that its label would cover another point or label, it is left out and
    the table beside the chart carries it. With few series every value is printed.
    """
    _check(chart_id, categories, series)
    fills = _series_colours(colours, len(series))
    fmt = _formatter(decimals, percent, decimal_separator)
    with RENDER_LOCK, matplotlib.rc_context(render_settings(chart_id)):
        data_max = max((v for _, vs in series for v in vs if v is not None), default=0.0)
        vmax = _axis_max(data_max, max_value, percent)
        fig = _lines(categories, series, fills, vmax, fmt, percent, decimal_separator)
        return to_svg(fig, chart_id=chart_id, title=title, description=description)


# Layouts. Sizes are in points and measured, not guessed, so that long labels wrap instead of
# running into the bars, and the figure grows with the number of rows.


def _horizontal_bars(categories, series, fills, stacked, vmax, fmt, percent, separator):
    n, k = len(categories), len(series)
    wrapped = [wrap_text(c, WIDTH * 0.36) for c in categories]
    label_w = max(_width(line) for lines in wrapped for line in lines)
    bar = 18.0 if stacked or k == 1 else 14.0
    group = bar if stacked else bar * k
    row = max(group + 10, max(len(lines) for lines in wrapped) * LINE_HEIGHT + 6)
    printed = [fmt(v) for _, vs in series for v in vs if v is not None]
    ticks = _ticks(vmax)
    tick_labels = [_tick_label(t, ticks, percent, separator) for t in ticks]
    left = PAD + label_w + PAD
    right = max(max((_width(s) for s in printed), default=0) + 8, _width(tick_labels[-1]) / 2) + 4
    legend = _Legend(series, fills, WIDTH - 2 * PAD) if k > 1 else None
    top = PAD + (legend.height + PAD if legend else 0)
    bottom = PAD + LINE_HEIGHT + 4
    height = top + n * row + bottom
    fig, ax = _figure(height, left=left, right=right, top=top, bottom=bottom)
    if legend:
        legend.draw(fig, PAD, height - PAD)
    axes_w = WIDTH - left - right

    ax.set_xlim(0, vmax)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks(range(n), ["\n".join(lines) for lines in wrapped])
    ax.tick_params(axis="y", length=0, pad=left - PAD)
    for label in ax.get_yticklabels():
        label.set_horizontalalignment("left")
    _value_axis(ax.xaxis, ticks, percent, separator)
    ax.grid(axis="x", color=GRID_COLOUR, linewidth=0.8)
    _spines(ax, keep="left")

    thickness = bar / row
    if stacked:
        for i in range(n):
            segments = [(j, vs[i]) for j, (_, vs) in enumerate(series) if vs[i] is not None]
            start = 0.0
            for position, (j, value) in enumerate(segments):
                ax.barh(
                    i,
                    value,
                    left=start,
                    height=thickness,
                    color=fills[j],
                    edgecolor="#ffffff",
                    linewidth=1,
                    gid=f"bar-{j}-{i}",
                )
                text = _fitting(fmt(value), value / vmax * axes_w - 6)
                if text:
                    ax.text(
                        start + value / 2,
                        i,
                        text,
                        ha="center",
                        va="center",
                        color=text_colour_on(fills[j]),
                    )
                elif position == len(segments) - 1:
                    _beside(ax, start + value, i, fmt(value))
                start += value
    else:
        for j, (_, values) in enumerate(series):
            offset = (j - (k - 1) / 2) * thickness
            for i, value in enumerate(values):
                if value is None:
                    continue
                ax.barh(
                    i + offset,
                    value,
                    height=thickness,
                    color=fills[j],
                    edgecolor="#ffffff",
                    linewidth=0.8,
                    gid=f"bar-{j}-{i}",
                )
                _beside(ax, value, i + offset, fmt(value))
    return fig


def _vertical_bars(categories, series, fills, stacked, vmax, fmt, percent, separator):
    n, k = len(categories), len(series)
    ticks = _ticks(vmax)
    tick_labels = [_tick_label(t, ticks, percent, separator) for t in ticks]
    left = PAD + max(_width(s) for s in tick_labels) + 6
    right = PAD * 2
    column = (WIDTH - left - right) / n
    wrapped = [wrap_text(c, column - 6) for c in categories]
    legend = _Legend(series, fills, WIDTH - 2 * PAD) if k > 1 else None
    # Room above the tallest bar for its value.
    top = PAD + (legend.height + PAD if legend else 0) + LINE_HEIGHT
    bottom = PAD + max(len(lines) for lines in wrapped) * LINE_HEIGHT + 6
    axes_h = 240.0
    height = top + axes_h + bottom
    fig, ax = _figure(height, left=left, right=right, top=top, bottom=bottom)
    if legend:
        legend.draw(fig, PAD, height - PAD)

    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylim(0, vmax)
    ax.set_xticks(range(n), ["\n".join(lines) for lines in wrapped])
    ax.tick_params(axis="x", length=0, pad=6)
    _value_axis(ax.yaxis, ticks, percent, separator)
    ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
    _spines(ax, keep="bottom")

    width = 0.7 if stacked else 0.8 / k
    bar_w = width * column
    if stacked:
        for i in range(n):
            segments = [(j, vs[i]) for j, (_, vs) in enumerate(series) if vs[i] is not None]
            start = 0.0
            for position, (j, value) in enumerate(segments):
                ax.bar(
                    i,
                    value,
                    bottom=start,
                    width=width,
                    color=fills[j],
                    edgecolor="#ffffff",
                    linewidth=1,
                    gid=f"bar-{j}-{i}",
                )
                text = _fitting(fmt(value), bar_w - 4)
                if text and value / vmax * axes_h >= LINE_HEIGHT:
                    ax.text(
                        i,
                        start + value / 2,
                        text,
                        ha="center",
                        va="center",
                        color=text_colour_on(fills[j]),
                    )
                elif position == len(segments) - 1:
                    _above(ax, i, start + value, fmt(value))
                start += value
    else:
        for j, (_, values) in enumerate(series):
            offset = (j - (k - 1) / 2) * width
            for i, value in enumerate(values):
                if value is None:
                    continue
                ax.bar(
                    i + offset,
                    value,
                    width=width,
                    color=fills[j],
                    edgecolor="#ffffff",
                    linewidth=0.8,
                    gid=f"bar-{j}-{i}",
                )
                _above(ax, i + offset, value, fmt(value))
    return fig


def _lines(categories, series, fills, vmax, fmt, percent, separator):
    n = len(categories)
    ticks = _ticks(vmax)
    tick_labels = [_tick_label(t, ticks, percent, separator) for t in ticks]
    left = PAD + max(_width(s) for s in tick_labels) + 6
    right = PAD * 2
    margin = 0.4  # of a column, either side, so the first and last labels are not clipped
    column = (WIDTH - left - right) / (n - 1 + 2 * margin)
    wrapped = [wrap_text(c, column - 6) for c in categories]
    legend = _Legend(series, fills, WIDTH - 2 * PAD, lines=True) if len(series) > 1 else None
    top = PAD + (legend.height + PAD if legend else 0) + LINE_HEIGHT
    bottom = PAD + max(len(lines) for lines in wrapped) * LINE_HEIGHT + 6
    axes_h = 240.0
    height = top + axes_h + bottom
    fig, ax = _figure(height, left=left, right=right, top=top, bottom=bottom)
    if legend:
        legend.draw(fig, PAD, height - PAD)

    ax.set_xlim(-margin, n - 1 + margin)
    ax.set_ylim(0, vmax)
    ax.set_xticks(range(n), ["\n".join(lines) for lines in wrapped])
    ax.tick_params(axis="x", length=0, pad=6)
    _value_axis(ax.yaxis, ticks, percent, separator)
    ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
    _spines(ax, keep="bottom")

    for j, (_, values) in enumerate(series):
        ys = np.array([np.nan if v is None else v for v in values], dtype=float)
        ax.plot(
            range(n),
            ys,
            color=fills[j],
            linewidth=2,
            marker=MARKERS[j % len(MARKERS)],
            markersize=MARKER_SIZE,
            markeredgecolor="#ffffff",
            markeredgewidth=0.8,
            gid=f"line-{j}",
        )

    # Values are labelled from the highest point down, so where series crowd together the
    # upper ones keep their labels.
    for i in range(n):
        points = sorted(
            (values[i], j) for j, (_, values) in enumerate(series) if values[i] is not None
        )
        if not points:
            continue
        placed = _label_positions(
            [value / vmax * axes_h for value, _ in points],
            LINE_HEIGHT,
            MARKER_SIZE / 2 + 1,
            low=LINE_HEIGHT / 2,
            high=axes_h + LINE_HEIGHT / 2,
        )
        for (value, j), y in zip(points, placed, strict=True):
            if y is None:
                continue
            ax.annotate(
                fmt(value),
                (i, value),
                xytext=(0, y - value / vmax * axes_h),
                textcoords="offset points",
                ha="center",
                va="center",
                color=_readable_on_white(fills[j]),
                annotation_clip=False,
                bbox={"boxstyle": "square,pad=0.1", "facecolor": "#ffffff", "edgecolor": "none"},
            )
    return fig


class _Legend:
    """A legend laid out like text: entries left to right, wrapping to new rows.

    matplotlib's own legend fills columns first and cannot wrap to the width, so it is drawn
    here with plain patches and text.
    """

    SWATCH = 12.0
    GAP = 6.0
    SPACING = 18.0

    def __init__(self, series, fills, width, *, lines=False):
        self.entries = [(name, fills[j], j) for j, (name, _) in enumerate(series)]
        self.lines = lines
        swatch = 24.0 if lines else self.SWATCH
        self.positions: list[tuple[float, int]] = []
        x, row = 0.0, 0
        for name, _, _ in self.entries:
            w = swatch + self.GAP + _width(name)
            if x > 0 and x + w > width:
                x, row = 0.0, row + 1
            self.positions.append((x, row))
            x += w + self.SPACING
        self.swatch = swatch
        self.height = (row + 1) * (LINE_HEIGHT + 4)

    def draw(self, fig, left, top):
        points = to_points(fig)
        for (name, fill, j), (x, row) in zip(self.entries, self.positions, strict=True):
            x0 = left + x
            y = top - row * (LINE_HEIGHT + 4) - LINE_HEIGHT / 2
            if self.lines:
                fig.add_artist(
                    Line2D(
                        [x0, x0 + self.swatch], [y, y], transform=points, color=fill, linewidth=2
                    )
                )
                fig.add_artist(
                    Line2D(
                        [x0 + self.swatch / 2],
                        [y],
                        transform=points,
                        color=fill,
                        marker=MARKERS[j % len(MARKERS)],
                        markersize=MARKER_SIZE,
                        markeredgecolor="#ffffff",
                        markeredgewidth=0.8,
                    )
                )
            else:
                fig.add_artist(
                    Rectangle(
                        (x0, y - self.SWATCH / 2),
                        self.SWATCH,
                        self.SWATCH,
                        transform=points,
                        facecolor=fill,
                        edgecolor="none",
                    )
                )
            fig.text(
                x0 + self.swatch + self.GAP,
                y,
                name,
                transform=points,
                ha="left",
                va="center",
                color=TEXT_COLOUR,
            )


# Helpers shared with maps.py.


def render_settings(chart_id: str) -> dict:
    return {
        "svg.fonttype": "none",
        # Makes matplotlib's own ids (clip paths, markers, hatches) deterministic per chart.
        "svg.hashsalt": chart_id,
        "font.family": "sans-serif",
        "font.sans-serif": [_MEASURE_FONT],
        "font.size": FONT_SIZE,
        # Names of areas and questions are plain text, never TeX.
        "text.parse_math": False,
        "text.color": TEXT_COLOUR,
        "axes.edgecolor": AXIS_COLOUR,
        "xtick.color": AXIS_COLOUR,
        "ytick.color": AXIS_COLOUR,
        "xtick.labelcolor": TEXT_COLOUR,
        "ytick.labelcolor": TEXT_COLOUR,
        "xtick.labelsize": FONT_SIZE,
        "ytick.labelsize": FONT_SIZE,
        "hatch.linewidth": 0.8,
        "path.simplify": True,
    }


def _check(chart_id: str, categories, series) -> None:
    check_id(chart_id)
    if not categories:
        raise ValueError("A chart needs at least one category.")
    if not series:
        raise ValueError("A chart needs at least one series.")
    for name, values in series:
        if len(values) != len(categories):
            raise ValueError(
                f"Series {name!r} has {len(values)} values for {len(categories)} categories."
            )


def check_id(chart_id: str) -> None:
    if not _CHART_ID.match(chart_id):
        raise ValueError(f"chart_id must be an HTML id of letters, digits, - and _: {chart_id!r}")


def _figure(height, *, left, right, top, bottom):
    fig = Figure(figsize=(WIDTH / 72, height / 72))
    FigureCanvasSVG(fig)
    ax = fig.add_axes(
        (
            left / WIDTH,
            bottom / height,
            (WIDTH - left - right) / WIDTH,
            (height - top - bottom) / height,
        )
    )
    ax.set_axisbelow(True)
    return fig, ax


def to_points(fig):
    """Figure coordinates in points from the bottom left corner."""
    return Affine2D().scale(1 / 72) + fig.dpi_scale_trans


def _width(text: str, size: float = FONT_SIZE, weight: str = "normal") -> float:
    if not text:
        return 0.0
    prop = FontProperties(family=_MEASURE_FONT, size=size, weight=weight)
    return max(
        _MEASURE.get_text_width_height_descent(line, prop, ismath=False)[0]
        for line in text.split("\n")
    )


def wrap_text(
    text: str, width: float, size: float = FONT_SIZE, weight: str = "normal"
) -> list[str]:
    """Greedy word wrap by measured width; a word longer than the width gets a line of its own."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and _width(candidate, size, weight) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


def _label_positions(
    ys: list[float], height: float, radius: float, *, low: float, high: float
) -> list[float | None]:
    """Label centres for points at `ys` (one x, ascending): above each point, or below when
    above would cover a marker or another label. None when both would: moving a label further
    away would tie it to the wrong point, so that value is left to the table."""
    offset = radius + height / 2 + 1
    placed: list[float] = []

    def clear(centre: float) -> bool:
        return (
            low <= centre <= high
            and all(abs(centre - y) >= height / 2 + radius for y in ys)
            and all(abs(centre - other) >= height for other in placed)
        )

    centres: list[float | None] = [None] * len(ys)
    for k in reversed(range(len(ys))):
        centre = next((c for c in (ys[k] + offset, ys[k] - offset) if clear(c)), None)
        if centre is not None:
            placed.append(centre)
        centres[k] = centre
    return centres


def _axis_max(data_max: float, max_value: float | None, percent: bool) -> float:
    if max_value is not None:
        return float(max_value)
    if percent and data_max <= 100:
        return 100.0
    ticks = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(0, data_max or 1)
    return float(next(t for t in ticks if t >= (data_max or 1)))


def _ticks(vmax: float) -> list[float]:
    ticks = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(0, vmax)
    return [float(t) for t in ticks if -1e-9 <= t <= vmax * (1 + 1e-9)]


def _tick_label(value, ticks, percent, separator) -> str:
    decimals = next(d for d in range(4) if all(abs(round(t, d) - t) < 1e-9 for t in ticks))
    return chart_number(value, decimals, percent, separator)


def _value_axis(axis, ticks, percent, separator) -> None:
    axis.set_ticks(ticks)
    axis.set_major_formatter(FuncFormatter(lambda v, _: _tick_label(v, ticks, percent, separator)))
    axis.set_tick_params(length=0, pad=4)


def _spines(ax, *, keep: str) -> None:
    for name, spine in ax.spines.items():
        spine.set_visible(name == keep)
    ax.spines[keep].set_color(AXIS_COLOUR)


def _fitting(text: str, room: float) -> str | None:
    """`text` if it fits in `room` points; else the bare number of a percentage (the axis and
    the neighbouring segments say it is one); else None."""
    for candidate in (text, text.removesuffix(" %")):
        if _width(candidate) <= room:
            return candidate
    return None


def _above(ax, x, y, text) -> None:
    ax.annotate(
        text,
        (x, y),
        xytext=(0, 3),
        textcoords="offset points",
        ha="center",
        va="bottom",
        color=TEXT_COLOUR,
        annotation_clip=False,
    )


def _beside(ax, x, y, text) -> None:
    ax.annotate(
        text,
        (x, y),
        xytext=(4, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        color=TEXT_COLOUR,
        annotation_clip=False,
    )


def _formatter(decimals, percent, separator):
    def fmt(value: float) -> str:
        return chart_number(value, decimals, percent, separator)

    return fmt


def _series_colours(colours: Sequence[str] | None, count: int) -> list[str]:
    palette = list(colours) if colours else SERIES_COLOURS
    if len(palette) < count:
        raise ValueError(f"{count} series but only {len(palette)} colours.")
    return palette[:count]


def _luminance(colour: str) -> float:
    rgb = to_rgb(colour)
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _readable_on_white(colour: str) -> str:
    """`colour`, darkened until it reaches 4.5:1 on white, for text in a series' colour."""
    rgb = np.array(to_rgb(colour))
    while contrast_ratio(to_hex(rgb), "#ffffff") < 4.5:
        rgb = rgb * 0.9
    return to_hex(rgb)


def to_svg(fig, *, chart_id, title, description, titles: dict[str, str] | None = None) -> str:
    """Save `fig` and rewrite the SVG for inlining: see the module docstring.

    `titles` maps a gid to a tooltip, added as that group's `<title>`.
    """
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    # Our own matplotlib output, not outside input.
    root = ET.fromstring(buffer.getvalue())  # noqa: S314
    titles = titles or {}

    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (_svg("metadata"), _svg("style")):
                parent.remove(child)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == _svg("defs") and len(child) == 0:
                parent.remove(child)

    for element in list(root.iter()):
        style = element.attrib.pop("style", None)
        if style:
            for declaration in style.split(";"):
                name, _, value = declaration.partition(":")
                if name.strip():
                    element.set(name.strip(), value.strip())
        # The page's fonts, once on the root, instead of matplotlib's list on every text.
        element.attrib.pop("font-family", None)
        if "d" in element.attrib:
            element.set("d", " ".join(element.get("d").split()))
        href = element.attrib.pop(XLINK_HREF, None)
        if href is not None:
            # Plain `href` (SVG 2): the HTML parser only knows the xlink prefix, not a namespace.
            element.set("href", f"#{chart_id}-{href[1:]}" if href.startswith("#") else href)
        for name, value in list(element.attrib.items()):
            if "url(#" in value:
                element.set(name, _URL_REF.sub(rf"url(#{chart_id}-\1)", value))
        old_id = element.get("id")
        if old_id is not None:
            element.set("id", f"{chart_id}-{old_id}")
            if old_id in titles:
                tooltip = ET.Element(_svg("title"))
                tooltip.text = titles[old_id]
                element.insert(0, tooltip)

    view_box = root.get("viewBox")
    children = list(root)
    root.attrib.clear()
    root.attrib.update(
        {
            "viewBox": view_box,
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            # From matplotlib's stylesheet, which the policy would drop.
            "stroke-linejoin": "round",
            "stroke-linecap": "butt",
            "font-family": FONT_FAMILY,
        }
    )
    title_element = ET.Element(_svg("title"), id=f"{chart_id}-title")
    title_element.text = title
    desc_element = ET.Element(_svg("desc"), id=f"{chart_id}-desc")
    desc_element.text = description
    root[:] = [title_element, desc_element, *children]
    # Plain tag names and one xmlns on the root: ElementTree would otherwise invent prefixes.
    for element in root.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG_NS}}}")
    root.set("xmlns", SVG_NS)
    return ET.tostring(root, encoding="unicode")


def _svg(tag: str) -> str:
    return f"{{{SVG_NS}}}{tag}"
