"""An area's situational picture: one page joining what every other app holds.

Each block comes from the owning app's own selectors (so the figures equal that app's pages,
small-group protection included) and links to its detail; nothing here recomputes their
rules. The national page ranks the 22 areas on a measure taken from the same blocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yhdyspinta.cooperation import selectors as cooperation
from yhdyspinta.cooperation.duties import duties_applies
from yhdyspinta.core.numbers import percent
from yhdyspinta.goals import selectors as goals
from yhdyspinta.registry.models import Organisation
from yhdyspinta.results import perception
from yhdyspinta.results import selectors as results
from yhdyspinta.results.division_of_work import survey_link
from yhdyspinta.surveys.models import Question, Survey, Wave

HEADLINE = "headline_rating"


@dataclass
class SurveyBlock:
    wave: Wave | None
    headline: Question | None
    area: results.Shares | None  # the area's headline distribution, protected
    everyone: results.Shares | None
    trend: list[tuple[Wave, results.Shares | None]]
    items: list[tuple[Question, results.Cell | None, results.Cell]]  # area, all respondents
    threshold: int | None


@dataclass
class AreaPicture:
    area: Organisation
    on: date
    survey: SurveyBlock
    perception_gap: perception.PerceptionGap | None
    responsibilities: object  # results.division_of_work.SurveyLink
    cooperation: cooperation.AreaCooperation
    duties_apply: bool
    goals: list[goals.GoalView]
    goal_counts: dict[str, int]
    maturity: goals.Maturity | None


def latest_municipal_wave() -> Wave | None:
    """The newest wave of the municipal leadership survey with answers; real before demo."""
    return (
        Wave.objects.filter(survey__audience=Survey.Audience.MUNICIPAL, responses__isnull=False)
        .select_related("survey")
        .order_by("survey__is_demo", "-opens_at")
        .distinct()
        .first()
    )


def survey_block(area: Organisation, wave: Wave | None) -> SurveyBlock:
    if wave is None:
        return SurveyBlock(None, None, None, None, [], [], None)
    headline = next((q for q in results.rating_questions(wave) if q.key == HEADLINE), None)
    area_shares = everyone = None
    trend: list = []
    if headline is not None:
        table = results.cached_share_table(wave=wave, items=[headline], group_by="area")
        group = next((g for g in table.groups if g.code == area.code), None)
        area_shares = group.cells[headline.key] if group is not None else None
        everyone = table.all.cells[headline.key]
        history = results.realised_trend(wave=wave, items=[headline], area_code=area.code)
        trend = list(zip(history.waves, history.points[headline.key], strict=True))
    table = results.cached_item_table(wave=wave, group_by="area")
    group = next((g for g in table.groups if g.code == area.code), None)
    items = [
        (item, group.cells[item.key] if group is not None else None, table.all.cells[item.key])
        for item in table.items
    ]
    return SurveyBlock(wave, headline, area_shares, everyone, trend, items, table.threshold)


def area_picture(area: Organisation, on: date | None = None) -> AreaPicture:
    on = on or timezone.localdate()
    wave = latest_municipal_wave()
    gap_years = perception.gap_years()
    maturity_years = goals.maturity_years(area)
    views = goals.area_goals(area)
    return AreaPicture(
        area=area,
        on=on,
        survey=survey_block(area, wave),
        perception_gap=perception.perception_gap(area, gap_years[0]) if gap_years else None,
        responsibilities=survey_link(area),
        cooperation=cooperation.area_cooperation(area),
        duties_apply=duties_applies(area),
        goals=views,
        goal_counts=goals.status_counts(views),
        maturity=goals.maturity(area, maturity_years[0]) if maturity_years else None,
    )


# --- The national ranking ------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str  # "" or "%"
    higher_is_better: bool
    decimals: int


MEASURES = [
    Measure("headline_good", _("Cooperation rated good (4–5) by the municipalities"), "%", True, 0),
    Measure("headline_mean", _("Mean rating of cooperation by the municipalities"), "", True, 1),
    Measure(
        "perception_gap",
        _("Perception gap: county minus municipalities, headline rating"),
        "",
        False,
        1,
    ),
    Measure(
        "division_of_work", _("Division of work: themes with a responsible person"), "%", True, 0
    ),
    Measure("section14_met", _("Municipalities that have met the §14 duty"), "%", True, 0),
    Measure("hyte_met", _("Municipalities that have met this year's hyte duty"), "%", True, 0),
    Measure("overdue_actions", _("Overdue action items"), "", False, 0),
    Measure("goals_on_track", _("Goals achieved or on track"), "%", True, 0),
    Measure("maturity", _("Municipalities' mean maturity level"), "", True, 1),
]
MEASURE_BY_KEY = {m.key: m for m in MEASURES}


def measure_value(picture: AreaPicture, key: str) -> float | None:
    """One number of the picture, or None where it is withheld, missing or does not apply."""
    if key == "headline_good":
        shares = picture.survey.area
        return None if shares is None else shares.good
    if key == "headline_mean":
        shares = picture.survey.area
        return None if shares is None else shares.mean
    if key == "perception_gap":
        row = picture.perception_gap.headline if picture.perception_gap else None
        return None if row is None else row.difference
    if key == "division_of_work":
        coverage = picture.responsibilities.coverage
        cells = coverage.county_total + coverage.municipal_cells
        covered = coverage.county_covered + coverage.municipal_covered
        return float(percent(covered, cells)) if cells else None
    if key in ("section14_met", "hyte_met"):
        if not picture.duties_apply or not picture.cooperation.duties.municipalities:
            return None
        duty = "section14" if key == "section14_met" else "hyte"
        met = picture.cooperation.duties.counts(duty).get("met", 0)
        return float(percent(met, len(picture.cooperation.duties.municipalities)))
    if key == "overdue_actions":
        return float(picture.cooperation.overdue_actions)
    if key == "goals_on_track":
        counts = picture.goal_counts
        with_data = sum(v for k, v in counts.items() if k != "no_data")
        good = counts.get("achieved", 0) + counts.get("on_track", 0)
        return float(percent(good, with_data)) if with_data else None
    if key == "maturity":
        mean = picture.maturity.municipal_mean if picture.maturity else None
        return None if mean is None else float(mean)
    raise KeyError(key)


@dataclass
class RankedArea:
    area: Organisation
    value: float | None
    rank: int | None


def national_ranking(key: str, on: date | None = None) -> list[RankedArea]:
    measure = MEASURE_BY_KEY[key]
    areas = Organisation.objects.areas().active().order_by("code")
    values = [(area, measure_value(area_picture(area, on), key)) for area in areas]
    known = sorted((v for _, v in values if v is not None), reverse=measure.higher_is_better)
    rows = []
    for area, value in values:
        # Equal values share a rank (1, 2, 2, 4).
        rank = known.index(value) + 1 if value is not None else None
        rows.append(RankedArea(area, value, rank))
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.area.area_label))
