"""A choropleth map of the 22 areas (21 wellbeing services counties and Helsinki) as inline SVG.

The boundaries are the project's own file `data/areas.geojson` (built with
`manage.py build_map_data`, see `data/PROVENANCE.md`), read once per process. The map draws
each area in one of five shades; the HTML table beside it is the text alternative, and each
area also carries a `<title>` tooltip with its name and value. Suppressed areas are hatched and
areas without data are white, so neither can be mistaken for a value.
"""

from __future__ import annotations

import functools
import json
import math
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from yhdyspinta.core.numbers import format_number, round_half_up

from .charts import (
    LINE_HEIGHT,
    PAD,
    RENDER_LOCK,
    TEXT_COLOUR,
    check_id,
    render_settings,
    text_colour_on,
    to_points,
    to_svg,
    wrap_text,
)

DATA_FILE = Path(__file__).resolve().parent / "data" / "areas.geojson"
MAP_ATTRIBUTION = "© National Land Survey of Finland 2023 (CC BY 4.0)"

# Five steps of one hue, light to dark, evenly spaced in lightness: readable for colour-blind
# readers and in greyscale. The lightest is still clearly not white (white means no data).
SCALE = ["#cfe1f2", "#93c4e1", "#5b9fd0", "#2a72b3", "#0b4585"]
TEXT_ON = {colour: text_colour_on(colour) for colour in SCALE}
NO_DATA_COLOUR = "#ffffff"
SUPPRESSED_COLOUR = "#e6e6e6"
SUPPRESSED_HATCH = "////"
HATCH_COLOUR = "#595959"
BORDER_COLOUR = "#4d4d4d"

# TM35FIN, the Finnish national grid, is centred on 27°E; a sinusoidal projection about the
# same meridian keeps Finland's shape and areas without a projection library.
CENTRAL_MERIDIAN = 27.0
MAP_HEIGHT = 460.0  # points
LEGEND_WIDTH = 170.0
INSET_SIZE = 150.0  # points
INSET_AREAS = ("90", "04")
_SUPPRESSED = {
    "facecolor": SUPPRESSED_COLOUR,
    "hatch": SUPPRESSED_HATCH,
    "hatchcolor": HATCH_COLOUR,
}


def shade(value: float | None, low: float, high: float, *, decimals: int | None = 1) -> str:
    """The colour of `value` on the five-step scale over low..high (None: no data).

    Bins are equal and closed below: with low=1.5, high=4 they are [1.5, 2), [2, 2.5), …
    [3.5, 4]. Values outside low..high take the end colours. The value is classified as
    printed, rounded half up to `decimals` (None: unrounded), so that a cell showing 2,5 is
    never in the step the legend labels 2,0–2,4. Edges are compared with a small tolerance
    so that an edge such as 2.4 + 0.32 is not lost to floating point.
    """
    if value is None:
        return NO_DATA_COLOUR
    if decimals is not None:
        value = float(round_half_up(value, decimals))
    step = (high - low) / len(SCALE)
    index = 0
    for k in range(1, len(SCALE)):
        if value >= low + k * step - abs(step) * 1e-9:
            index = k
    return SCALE[index]


def choropleth(
    *,
    chart_id: str,
    title: str,
    description: str,
    values: dict[str, float | None],
    suppressed: set[str],
    names: dict[str, str],
    legend_title: str,
    low: float,
    high: float,
    no_data_label: str,
    suppressed_label: str,
    decimals: int = 1,
    decimal_separator: str = ",",
) -> str:
    """The map as SVG markup. `values` and `suppressed` are keyed by area code ('01'…'21', '90');
    an area in neither, or with None, has no data. An empty `suppressed_label` leaves the
    withheld swatch out of the legend. Print MAP_ATTRIBUTION under the map."""
    check_id(chart_id)
    if high <= low:
        raise ValueError("high must be greater than low.")

    def fmt(value: float) -> str:
        return format_number(value, decimals, separator=decimal_separator)

    areas = _areas()
    x0, x1, y0, y1 = _extent(path for _, path in areas)
    map_w = MAP_HEIGHT * (x1 - x0) / (y1 - y0)
    width = PAD + map_w + PAD * 2 + LEGEND_WIDTH + PAD
    height = MAP_HEIGHT + 2 * PAD

    tooltips = {}
    styles = {}
    for code, _ in areas:
        value = values.get(code)
        name = names.get(code, code)
        if code in suppressed:
            styles[code] = _SUPPRESSED
            tooltips[code] = f"{name}: {suppressed_label}"
        elif value is None:
            styles[code] = {"facecolor": NO_DATA_COLOUR}
            tooltips[code] = f"{name}: {no_data_label}"
        else:
            styles[code] = {"facecolor": shade(value, low, high, decimals=decimals)}
            tooltips[code] = f"{name}: {fmt(value)}"

    with RENDER_LOCK, matplotlib.rc_context(render_settings(chart_id)):
        fig = Figure(figsize=(width / 72, height / 72))
        FigureCanvasSVG(fig)
        ax = _map_axes(fig, (PAD, PAD, map_w, MAP_HEIGHT), (x0, x1, y0, y1))
        for code, path in areas:
            ax.add_patch(
                PathPatch(
                    path, edgecolor=BORDER_COLOUR, linewidth=0.6, gid=f"area-{code}", **styles[code]
                )
            )

        gids = {f"area-{code}": text for code, text in tooltips.items()}
        shown = [v for code, v in values.items() if v is not None and code not in suppressed]
        legend_left = width - PAD - LEGEND_WIDTH
        legend_bottom = _legend(
            fig,
            left=legend_left,
            top=height - PAD,
            title=legend_title,
            bins=_bin_labels(low, high, decimals, fmt, shown),
            no_data=no_data_label,
            suppressed=suppressed_label,
        )

        # The capital region is too small to see at this scale (Helsinki is a few points
        # wide), so it is repeated, enlarged, in the free corner under the legend.
        ix0, ix1, iy0, iy1 = _inset_extent(areas)
        inset_size = min(INSET_SIZE, legend_bottom - PAD - 2 * PAD)
        if inset_size >= INSET_SIZE / 2:
            inset = _map_axes(fig, (legend_left, PAD, inset_size, inset_size), (ix0, ix1, iy0, iy1))
            for spine in inset.spines.values():
                spine.set_visible(True)
                spine.set_edgecolor(TEXT_COLOUR)
                spine.set_linewidth(0.8)
            for code, path in areas:
                ex = path.get_extents()
                if ex.x1 > ix0 and ex.x0 < ix1 and ex.y1 > iy0 and ex.y0 < iy1:
                    inset.add_patch(
                        PathPatch(
                            path,
                            edgecolor=BORDER_COLOUR,
                            linewidth=0.6,
                            gid=f"inset-{code}",
                            **styles[code],
                        )
                    )
                    gids[f"inset-{code}"] = tooltips[code]
            ax.add_patch(
                Rectangle(
                    (ix0, iy0),
                    ix1 - ix0,
                    iy1 - iy0,
                    facecolor="none",
                    edgecolor=TEXT_COLOUR,
                    linewidth=0.8,
                )
            )

        return to_svg(fig, chart_id=chart_id, title=title, description=description, titles=gids)


def _map_axes(fig, box, extent):
    """Axes at `box` (left, bottom, width, height in points) showing `extent` undistorted."""
    width, height = fig.get_size_inches() * 72
    left, bottom, w, h = box
    ax = fig.add_axes((left / width, bottom / height, w / width, h / height))
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.patch.set_visible(False)
    return ax


def _extent(paths) -> tuple[float, float, float, float]:
    boxes = [path.get_extents() for path in paths]
    return (
        min(b.x0 for b in boxes),
        max(b.x1 for b in boxes),
        min(b.y0 for b in boxes),
        max(b.y1 for b in boxes),
    )


def _inset_extent(areas) -> tuple[float, float, float, float]:
    """A square around Helsinki and Vantaa-Kerava, with their neighbours' edges for context."""
    x0, x1, y0, y1 = _extent(path for code, path in areas if code in INSET_AREAS)
    half = max(x1 - x0, y1 - y0) * 0.62
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - half, cx + half, cy - half, cy + half


def _bin_labels(low, high, decimals, fmt, shown) -> list[str]:
    """The printed values each step holds, lowest step first: with low=1.5, high=4 and one
    decimal "1,5–1,9", "2,0–2,4", … "3,5–4,0". An end step says "≤" or "≥" instead when
    shown values lie beyond low..high."""
    quantum = Decimal(1).scaleb(-decimals)
    step = (high - low) / len(SCALE)
    # The smallest printed value in each step; rounding off float noise (2.0000000000000004)
    # first so that it does not push an edge up a whole quantum.
    firsts = [
        Decimal(str(round(low + k * step, 9))).quantize(quantum, rounding=ROUND_CEILING)
        for k in range(len(SCALE))
    ]
    lasts = [first - quantum for first in firsts[1:]]
    lasts.append(Decimal(str(round(high, 9))).quantize(quantum, rounding=ROUND_FLOOR))
    labels = [
        fmt(first) if first >= last else f"{fmt(first)}–{fmt(last)}"
        for first, last in zip(firsts, lasts, strict=True)
    ]
    printed = [round_half_up(v, decimals) for v in shown]
    if any(v < firsts[0] for v in printed):
        labels[0] = f"≤ {fmt(lasts[0])}"
    if any(v > lasts[-1] for v in printed):
        labels[-1] = f"≥ {fmt(firsts[-1])}"
    return labels


def _legend(fig, *, left, top, title, bins, no_data, suppressed) -> float:
    """Draws the legend from `top` down and returns where it ends (points from the bottom)."""
    points = to_points(fig)
    swatch = 14.0
    title_lines = wrap_text(title, LEGEND_WIDTH, weight="bold")
    fig.text(
        left,
        top,
        "\n".join(title_lines),
        transform=points,
        ha="left",
        va="top",
        fontweight="bold",
        linespacing=1.2,
    )
    y = top - len(title_lines) * LINE_HEIGHT - 6
    # Highest first, as on a thermometer: dark at the top.
    entries = [
        (label, {"facecolor": colour})
        for label, colour in zip(reversed(bins), reversed(SCALE), strict=True)
    ]
    # A map with nothing to withhold (suppressed_label "") shows no swatch for it.
    if suppressed:
        entries.append((suppressed, _SUPPRESSED))
    entries.append((no_data, {"facecolor": NO_DATA_COLOUR}))
    for i, (label, style) in enumerate(entries):
        if i == len(SCALE):
            y -= 6  # sets the two kinds of missing value apart from the scale
        fig.add_artist(
            Rectangle(
                (left, y - swatch),
                swatch,
                swatch,
                transform=points,
                edgecolor=BORDER_COLOUR,
                linewidth=0.6,
                **style,
            )
        )
        lines = wrap_text(label, LEGEND_WIDTH - swatch - 6)
        # A wrapped label starts level with its swatch and runs on below it.
        block = max(swatch, len(lines) * LINE_HEIGHT)
        fig.text(
            left + swatch + 6,
            y - block / 2,
            "\n".join(lines),
            transform=points,
            ha="left",
            va="center",
            color=TEXT_COLOUR,
        )
        y -= block + 5
    return y


@functools.cache
def _areas() -> tuple[tuple[str, MplPath], ...]:
    """(code, projected outline) of each area, sorted by code; read from disk once."""
    with DATA_FILE.open(encoding="utf-8") as f:
        collection = json.load(f)
    areas = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        vertices, codes = [], []
        for polygon in polygons:
            for ring in polygon:
                projected = [_project(lon, lat) for lon, lat in ring]
                vertices += projected
                codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(projected) - 2)
                codes.append(MplPath.CLOSEPOLY)
        areas.append((feature["properties"]["code"], MplPath(np.array(vertices), codes)))
    return tuple(sorted(areas, key=lambda area: area[0]))


def _project(lon: float, lat: float) -> tuple[float, float]:
    return (lon - CENTRAL_MERIDIAN) * math.cos(math.radians(lat)), lat
