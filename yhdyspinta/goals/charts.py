"""An indicator's small chart: the straight path from baseline to target, and what was
measured. The table beside it (`indicator_rows`) carries every number of the chart."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from yhdyspinta.results import charts
from yhdyspinta.results.cache import drawn_once

from .selectors import IndicatorView
from .status import figures_of, path_value


@dataclass(frozen=True)
class YearRow:
    year: int
    path: Fraction
    measured: object  # Decimal or None
    is_baseline: bool
    is_target: bool


def indicator_rows(view: IndicatorView) -> list[YearRow]:
    indicator = view.indicator
    figures = figures_of(indicator)
    measured = {m.year: m.value for m in view.measurements}
    last = max([indicator.target_year, *measured])
    first = min([indicator.baseline_year, *measured])
    return [
        YearRow(
            year,
            path_value(figures, year) if year >= indicator.baseline_year else Fraction(0),
            measured.get(
                year, indicator.baseline_value if year == indicator.baseline_year else None
            ),
            year == indicator.baseline_year,
            year == indicator.target_year,
        )
        for year in range(first, last + 1)
    ]


def decimals_of(view: IndicatorView) -> int:
    """As many decimals as the figures were given with, at most two."""
    values = [view.indicator.baseline_value, view.indicator.target_value]
    values += [m.value for m in view.measurements]
    places = [max(0, -v.normalize().as_tuple().exponent) for v in values]
    return min(2, max(places, default=0))


def indicator_chart(view: IndicatorView) -> str:
    rows = indicator_rows(view)
    indicator = view.indicator
    decimals = decimals_of(view)
    path = [float(row.path) if row.year >= indicator.baseline_year else None for row in rows]
    measured = [float(row.measured) if row.measured is not None else None for row in rows]
    return drawn_once(
        charts.line_chart,
        chart_id=f"indicator-{indicator.pk}",
        title=str(indicator.name),
        description=_(
            "Line chart of the path from the baseline to the target and of the measured values, "
            "by year; the numbers are in the table beside it."
        ),
        categories=[str(row.year) for row in rows],
        series=[(_("Path to the target"), path), (_("Measured"), measured)],
        decimals=decimals,
        decimal_separator="." if get_language() == "en" else ",",
    )
