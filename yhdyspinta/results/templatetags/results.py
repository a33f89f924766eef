"""How a figure is written on a page: withheld and no data never look the same."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from yhdyspinta.core.numbers import format_number, round_half_up

register = template.Library()

# Half-point steps around the scale's middle: real area means fall between about 1.7 and 4.1,
# and equal fifths of 1–5 would paint nearly all of them the same. A mean is shaded by its
# printed (rounded) value, so that 2,5 is never in the step labelled "2,0–2,4".
SHADE_EDGES = (2.0, 2.5, 3.0, 3.5)
# For the map, whose bins are equal steps over low..high: the same edges.
MAP_LOW, MAP_HIGH = 1.5, 4.0


def shade_step(value: float | None) -> int:
    """1–5: which of the five shades a mean falls in (0: no value)."""
    if value is None:
        return 0
    rounded = round_half_up(value)
    return 1 + sum(rounded >= edge for edge in SHADE_EDGES)


def shade_legend() -> list[tuple[int, float | None, float | None]]:
    """(step, lowest, highest) printed value of each shade; None for an open end."""
    lows = (None, *SHADE_EDGES)
    highs = (*(round(edge - 0.1, 1) for edge in SHADE_EDGES), None)
    return [(step + 1, low, high) for step, (low, high) in enumerate(zip(lows, highs, strict=True))]


def _withheld(k: int | None) -> str:
    title = _("Withheld: fewer than %(k)s respondents") % {"k": k} if k else _("Withheld")
    return format_html(
        '<span class="withheld" title="{}" aria-hidden="true">–</span>'
        '<span class="visually-hidden">{}</span>',
        title,
        title,
    )


def _no_data() -> str:
    return format_html(
        '<span class="no-data" aria-hidden="true">·</span><span class="visually-hidden">{}</span>',
        _("no data"),
    )


@register.simple_tag
def figure(
    value, suppressed: bool = False, decimals: int = 1, k: int | None = None, unit: str = ""
):
    """A figure, or the withheld mark, or the no-data mark."""
    if suppressed:
        return _withheld(k)
    if value is None:
        return _no_data()
    return format_html("{}{}", format_number(value, decimals), unit)


@register.simple_tag
def mean_td(cell, k: int | None = None):
    """A table cell for a mean, shaded by value; the number is always printed."""
    if cell.suppressed:
        return format_html('<td class="num cell--withheld">{}</td>', _withheld(k))
    if cell.mean is None:
        return format_html('<td class="num cell--no-data">{}</td>', _no_data())
    return format_html(
        '<td class="num shade-{}">{}</td>', shade_step(cell.mean), format_number(cell.mean, 1)
    )


@register.filter
def shade(value) -> int:
    return shade_step(value)


@register.simple_tag
def figure_percent(shares, value, k: int | None = None):
    """The % of substantive answers giving `value` (1–5)."""
    return figure(shares.percent(int(value)), shares.suppressed, 0, k, " %")
