"""The national duty map: the results app's map of the 22 areas, shaded by the share of each
area's municipalities that have met the duty (the table beside it gives the counts)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from yhdyspinta.core.numbers import percent, round_half_up
from yhdyspinta.results import maps
from yhdyspinta.results.cache import drawn_once

from . import duties


def duty_map(national: duties.NationalDuties, duty: str) -> dict:
    values: dict[str, float | None] = {}
    for report in national.areas:
        if report.applies and report.municipalities:
            met = report.counts(duty)["met"]
            values[report.area.code] = float(
                round_half_up(percent(met, len(report.municipalities)), 1)
            )
    names = {report.area.code: report.area.area_label for report in national.areas}
    svg = drawn_once(
        maps.choropleth,
        chart_id="duty-map",
        title=_("%(duty)s: share of municipalities that have met it")
        % {"duty": duties.DUTY_LABELS[duty]},
        description=_(
            "Map of the 22 areas shaded by the share of the area's municipalities that have met "
            "the duty in the current period; the counts are in the table beside the map."
        ),
        values=values,
        suppressed=set(),
        names=names,
        legend_title=_("Municipalities that have met it (%)"),
        low=0.0,
        high=100.0,
        no_data_label=_("no duty (Helsinki organises its own services)"),
        suppressed_label="",
        decimals=0,
        decimal_separator="." if get_language() == "en" else ",",
    )
    return {"svg": svg, "attribution": maps.MAP_ATTRIBUTION}
