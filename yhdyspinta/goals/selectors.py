"""Goals, indicators and the maturity ladder as other parts of the app read them.

Pages, the API and the area's situational picture all take their figures from here, so that
they cannot disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Prefetch

from yhdyspinta.registry.models import Organisation

from . import access
from .models import Goal, Indicator, MaturityAssessment, Measurement
from .status import Status, figures_of, goal_status, indicator_status, latest, path_value


@dataclass
class IndicatorView:
    indicator: Indicator
    status: Status
    measurements: list[Measurement]
    latest: Measurement | None

    @property
    def path_at_latest(self) -> Fraction | None:
        if self.latest is None:
            return None
        return path_value(figures_of(self.indicator), self.latest.year)


@dataclass
class GoalView:
    goal: Goal
    status: Status
    indicators: list[IndicatorView]


def indicator_view(indicator: Indicator) -> IndicatorView:
    figures = figures_of(indicator)
    measurements = list(indicator.measurements.all())
    newest = latest(figures)
    return IndicatorView(
        indicator,
        indicator_status(figures),
        measurements,
        next((m for m in measurements if newest and m.year == newest[0]), None),
    )


def goal_view(goal: Goal) -> GoalView:
    indicators = [indicator_view(i) for i in goal.indicators.all()]
    return GoalView(goal, goal_status(i.status for i in indicators), indicators)


def goals_with_figures():
    """Goals with everything their statuses and pages read, in few queries."""
    return Goal.objects.select_related("area", "agreement").prefetch_related(
        "themes",
        "responsible",
        Prefetch(
            "indicators",
            queryset=Indicator.objects.prefetch_related(
                Prefetch("measurements", queryset=Measurement.objects.order_by("year"))
            ),
        ),
    )


def area_goals(area: Organisation) -> list[GoalView]:
    return [goal_view(goal) for goal in goals_with_figures().filter(area=area)]


def status_counts(views: list[GoalView]) -> dict[str, int]:
    counts = Counter(view.status for view in views)
    return {status.value: counts.get(status, 0) for status in Status}


def national_goal_counts() -> dict[int, dict[str, int]]:
    """Per area id, how many goals are in each status."""
    by_area: dict[int, list[GoalView]] = {}
    for goal in goals_with_figures():
        by_area.setdefault(goal.area_id, []).append(goal_view(goal))
    return {area_id: status_counts(views) for area_id, views in by_area.items()}


# --- Maturity ----------------------------------------------------------------------------


@dataclass
class Maturity:
    area: Organisation
    year: int
    assessments: list[MaturityAssessment]
    county: MaturityAssessment | None
    municipalities: dict[int, int]  # level -> how many municipalities placed the area there
    assessing: int  # how many municipalities could assess
    missing: list[Organisation] = field(default_factory=list)

    @property
    def municipal_count(self) -> int:
        return sum(self.municipalities.values())

    @property
    def municipal_mean(self) -> Decimal | None:
        if not self.municipal_count:
            return None
        total = sum(level * n for level, n in self.municipalities.items())
        return Decimal(total) / Decimal(self.municipal_count)

    @property
    def municipal_median(self) -> float | None:
        levels = sorted(level for level, n in self.municipalities.items() for _ in range(n))
        if not levels:
            return None
        middle = len(levels) // 2
        if len(levels) % 2:
            return float(levels[middle])
        return (levels[middle - 1] + levels[middle]) / 2


def maturity(area: Organisation, year: int) -> Maturity:
    assessments = list(
        MaturityAssessment.objects.filter(area=area, year=year)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    county = next((a for a in assessments if a.organisation_id == area.pk), None)
    municipal = [a for a in assessments if a.organisation_id != area.pk]
    counts = Counter(a.level for a in municipal)
    assessing = access.assessing_organisations(area)
    done = {a.organisation_id for a in assessments}
    return Maturity(
        area=area,
        year=year,
        assessments=assessments,
        county=county,
        municipalities={level: counts.get(level, 0) for level in range(1, 7)},
        assessing=len(assessing) - 1,
        missing=[o for o in assessing if o.pk not in done],
    )


def maturity_years(area: Organisation | None = None) -> list[int]:
    assessments = MaturityAssessment.objects.all()
    if area is not None:
        assessments = assessments.filter(area=area)
    return sorted(set(assessments.values_list("year", flat=True)), reverse=True)


def maturity_history(area: Organisation) -> list[Maturity]:
    return [maturity(area, year) for year in sorted(maturity_years(area))]


def national_maturity(year: int) -> list[Maturity]:
    return [maturity(area, year) for area in Organisation.objects.areas().active().order_by("code")]
