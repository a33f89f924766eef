"""The perception gap: how an area's municipal and county leaders rate the same things.

The municipal and the county leadership surveys share item keys (the headline rating and the
realisation items). For an area and a wave year, each side's mean per shared item comes from
that side's own protected per-area table (`selectors.item_table`), so the small-group rules
of each survey hold on each side: a withheld side leaves the difference withheld too.
The difference is county minus municipalities, computed from the unrounded means and
rounded only for display.
"""

from __future__ import annotations

from dataclasses import dataclass

from yhdyspinta.registry.models import Organisation
from yhdyspinta.surveys.models import Question, Survey, Wave

from . import selectors

HEADLINE = "headline_rating"


@dataclass
class GapRow:
    key: str
    label: str
    municipal: float | None
    municipal_n: int | None
    county: float | None
    county_n: int | None

    @property
    def difference(self) -> float | None:
        if self.municipal is None or self.county is None:
            return None
        return self.county - self.municipal


@dataclass
class PerceptionGap:
    area: Organisation
    year: int
    municipal_wave: Wave | None
    county_wave: Wave | None
    rows: list[GapRow]

    @property
    def headline(self) -> GapRow | None:
        return next((row for row in self.rows if row.key == HEADLINE), None)

    @property
    def available(self) -> bool:
        return self.municipal_wave is not None and self.county_wave is not None


def _wave(audience: str, year: int) -> Wave | None:
    """The year's wave of the audience's survey with responses; real surveys before demo ones."""
    return (
        Wave.objects.filter(survey__audience=audience, opens_at__year=year, responses__isnull=False)
        .select_related("survey")
        .order_by("survey__is_demo", "-opens_at")
        .distinct()
        .first()
    )


def _shared_items(municipal: Survey, county: Survey) -> list[tuple[Question, Question]]:
    """(municipal question, county question) pairs of the rating items both surveys ask."""

    def ratings(survey: Survey) -> dict[str, Question]:
        questions = survey.active_questions().filter(type=Question.Type.LIKERT)
        return {q.key: q for q in questions.order_by("parent__order", "order", "pk")}

    theirs = ratings(county)
    return [(q, theirs[key]) for key, q in ratings(municipal).items() if key in theirs]


def _side(wave: Wave, items: list[Question], area: Organisation) -> dict[str, selectors.Cell]:
    table = selectors.cached_item_table(wave=wave, items=items, group_by="area")
    group = next((g for g in table.groups if g.code == area.code), None)
    if group is None:
        return {}
    return group.cells


def gap_years() -> list[int]:
    """The years with a wave of both surveys, newest first."""
    years = {
        audience: set(
            Wave.objects.filter(survey__audience=audience, responses__isnull=False)
            .values_list("opens_at__year", flat=True)
            .distinct()
        )
        for audience in (Survey.Audience.MUNICIPAL, Survey.Audience.COUNTY)
    }
    return sorted(years[Survey.Audience.MUNICIPAL] & years[Survey.Audience.COUNTY], reverse=True)


def perception_gap(area: Organisation, year: int) -> PerceptionGap:
    municipal_wave = _wave(Survey.Audience.MUNICIPAL, year)
    county_wave = _wave(Survey.Audience.COUNTY, year)
    if municipal_wave is None or county_wave is None:
        return PerceptionGap(area, year, municipal_wave, county_wave, [])
    pairs = _shared_items(municipal_wave.survey, county_wave.survey)
    municipal = _side(municipal_wave, [m for m, _ in pairs], area)
    county = _side(county_wave, [c for _, c in pairs], area)
    rows = []
    for mine, theirs in pairs:
        m_cell, c_cell = municipal.get(mine.key), county.get(theirs.key)
        rows.append(
            GapRow(
                key=mine.key,
                label=mine.text,
                municipal=m_cell.mean if m_cell else None,
                municipal_n=m_cell.n if m_cell and not m_cell.suppressed else None,
                county=c_cell.mean if c_cell else None,
                county_n=c_cell.n if c_cell and not c_cell.suppressed else None,
            )
        )
    # The headline first, then the items in the survey's order.
    rows.sort(key=lambda row: row.key != HEADLINE)
    return PerceptionGap(area, year, municipal_wave, county_wave, rows)
