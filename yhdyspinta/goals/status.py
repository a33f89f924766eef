"""The status of an indicator and of a goal, computed from the figures, never typed.

The rule, shown to users beside the figures (`RULES`):
- `no_data`: no measurement later than the baseline year;
- `achieved`: the latest measurement reaches the target (in the indicator's direction);
- `on_track`: at or ahead of the straight path from baseline to target at the latest
  measurement's year (after the target year the path stays at the target);
- `at_risk`: behind that path, but better than the baseline;
- `off_track`: no better than the baseline, or worse.
A goal's status is the worst of its indicators' that have data; `no_data` only if none has.

Arithmetic is exact (fractions), so a measurement exactly on the path is on track.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NO_DATA = "no_data", _("no data")
    ACHIEVED = "achieved", _("achieved")
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    OFF_TRACK = "off_track", _("off track")


RULES = {
    Status.NO_DATA: _("No measurement later than the baseline year."),
    Status.ACHIEVED: _("The latest measurement reaches the target."),
    Status.ON_TRACK: _(
        "The latest measurement is at or ahead of the straight path from the baseline to the "
        "target in its year."
    ),
    Status.AT_RISK: _("Behind that path, but better than the baseline."),
    Status.OFF_TRACK: _("No better than the baseline, or worse."),
}

# Worst first: a goal takes the first of these that any of its indicators has.
WORST_FIRST = [Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK, Status.ACHIEVED]


@dataclass(frozen=True)
class Figures:
    """What the rule needs of an indicator, apart from where it is stored."""

    higher_is_better: bool
    baseline_value: Decimal
    baseline_year: int
    target_value: Decimal
    target_year: int
    measurements: tuple[tuple[int, Decimal], ...]  # (year, value)


def path_value(figures: Figures, year: int) -> Fraction:
    """The straight path from baseline to target at `year`, held at the target after it."""
    start, end = Fraction(figures.baseline_value), Fraction(figures.target_value)
    span = figures.target_year - figures.baseline_year
    done = min(Fraction(year - figures.baseline_year, span), Fraction(1))
    return start + (end - start) * done


def latest(figures: Figures) -> tuple[int, Decimal] | None:
    later = [m for m in figures.measurements if m[0] > figures.baseline_year]
    return max(later, key=lambda m: m[0]) if later else None


def indicator_status(figures: Figures) -> Status:
    measured = latest(figures)
    if measured is None:
        return Status.NO_DATA
    year, value = measured
    # Turn "lower is better" into "higher is better" by flipping signs, so one rule serves both.
    sign = 1 if figures.higher_is_better else -1
    value_ = sign * Fraction(value)
    if value_ >= sign * Fraction(figures.target_value):
        return Status.ACHIEVED
    if value_ >= sign * path_value(figures, year):
        return Status.ON_TRACK
    if value_ > sign * Fraction(figures.baseline_value):
        return Status.AT_RISK
    return Status.OFF_TRACK


def goal_status(statuses: Iterable[Status]) -> Status:
    present = set(statuses)
    for status in WORST_FIRST:
        if status in present:
            return status
    return Status.NO_DATA


def figures_of(indicator) -> Figures:
    """The figures of a stored indicator (its measurements prefetched or queried)."""
    return Figures(
        higher_is_better=indicator.higher_is_better,
        baseline_value=indicator.baseline_value,
        baseline_year=indicator.baseline_year,
        target_value=indicator.target_value,
        target_year=indicator.target_year,
        measurements=tuple((m.year, m.value) for m in indicator.measurements.all()),
    )
