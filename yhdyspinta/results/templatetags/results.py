"""How a figure is written on a page: withheld and no data never look the same."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

SCALE_LOW, SCALE_HIGH = 1.0, 5.0


def shade_step(value: float | None, low: float = SCALE_LOW, high: float = SCALE_HIGH) -> int:
    """1–5: which of the five shades a mean falls in (the page's CSS and the map share it)."""
    if value is None:
        return 0
    step = int((value - low) / (high - low) * 5) + 1
    return max(1, min(5, step))


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
    return format_html("{}{}", floatformat(value, decimals), unit)


@register.simple_tag
def mean_td(cell, k: int | None = None):
    """A table cell for a mean, shaded by value; the number is always printed."""
    if cell.suppressed:
        return format_html('<td class="num cell--withheld">{}</td>', _withheld(k))
    if cell.mean is None:
        return format_html('<td class="num cell--no-data">{}</td>', _no_data())
    return format_html(
        '<td class="num shade-{}">{}</td>', shade_step(cell.mean), floatformat(cell.mean, 1)
    )


@register.filter
def shade(value) -> int:
    return shade_step(value)


@register.simple_tag
def figure_percent(shares, value, k: int | None = None):
    """The % of substantive answers giving `value` (1–5)."""
    return figure(shares.percent(int(value)), shares.suppressed, 0, k, " %")
