"""The survey's view of the division of work beside what the responsibility table records.

The leadership surveys ask whether responsible persons are clearly defined, in the county and in
the municipality; the area's table records who is named. Shown on the area's page and in the
area report, from the cached item table (with its small-group protection) and
`responsibilities.coverage`, never from a copy of their logic.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from yhdyspinta.registry.models import Organisation
from yhdyspinta.responsibilities.coverage import AreaCoverage, area_coverage
from yhdyspinta.surveys.models import Question, Response, Survey, Wave

from .selectors import cached_item_table

# The two items of the leadership surveys that ask about the very thing the table records.
COUNTY_ITEM = "county_responsible_persons"
MUNICIPAL_ITEM = "municipal_responsible_persons"
SURVEY_ITEM_KEYS = (COUNTY_ITEM, MUNICIPAL_ITEM)


@dataclass
class SurveyLinkItem:
    key: str
    question: Question | None
    area: object | None  # results.selectors.Cell; None: no wave, or no respondents in the area
    everyone: object | None  # results.selectors.Cell of all respondents
    covered: int
    total: int

    @property
    def label(self) -> str:
        if self.question is not None:
            return self.question.text
        if self.key == COUNTY_ITEM:
            return _("Clearly defined responsible persons in the wellbeing services county")
        return _("Clearly defined responsible persons in the municipality organisation")

    @property
    def is_county(self) -> bool:
        return self.key == COUNTY_ITEM


@dataclass
class SurveyLink:
    area: Organisation
    coverage: AreaCoverage
    wave: Wave | None
    threshold: int | None
    items: list[SurveyLinkItem]

    @property
    def share_confirmed_this_year(self) -> float | None:
        return self.coverage.share_confirmed_this_year

    @property
    def confirmed_percent(self) -> float | None:
        return self.coverage.confirmed_percent


def _waves_with_items():
    def has_item(key: str):
        return Exists(
            Question.objects.filter(
                survey=OuterRef("survey"),
                key=key,
                parent__isnull=False,
                type=Question.Type.LIKERT,
            )
        )

    return Wave.objects.filter(
        Exists(Response.objects.filter(wave=OuterRef("pk"))),
        has_item(COUNTY_ITEM),
        has_item(MUNICIPAL_ITEM),
    ).select_related("survey")


def survey_wave() -> Wave | None:
    """The latest wave with answers of a survey asking the two items; the municipal leadership
    survey before the others (its respondents are the municipalities, the table's parties)."""
    waves = _waves_with_items().order_by("-opens_at", "-pk")
    return waves.filter(survey__audience=Survey.Audience.MUNICIPAL).first() or waves.first()


def survey_link(
    area: Organisation, wave: Wave | None = None, coverage: AreaCoverage | None = None
) -> SurveyLink:
    """The survey's "clearly defined responsible persons" items for the area and for all
    respondents, beside what the area's table records.

    Without `wave` the latest suitable wave is used (`survey_wave`); a given wave whose survey
    does not ask the items gives no survey figures. The figures come from the cached item
    table with its small-group protection: a withheld cell stays withheld.
    """
    coverage = coverage or area_coverage(area)
    if wave is None:
        wave = survey_wave()
    elif not _waves_with_items().filter(pk=wave.pk).exists():
        wave = None
    area_cells: dict[str, object] = {}
    all_cells: dict[str, object] = {}
    questions: dict[str, Question] = {}
    threshold = None
    if wave is not None:
        table = cached_item_table(wave=wave, group_by="area")
        threshold = table.threshold
        questions = {q.key: q for q in table.items if q.key in SURVEY_ITEM_KEYS}
        group = next((g for g in table.groups if g.code == area.code), None)
        for key in questions:
            all_cells[key] = table.all.cells[key]
            if group is not None:
                area_cells[key] = group.cells[key]
    items = [
        SurveyLinkItem(
            key=COUNTY_ITEM,
            question=questions.get(COUNTY_ITEM),
            area=area_cells.get(COUNTY_ITEM),
            everyone=all_cells.get(COUNTY_ITEM),
            covered=coverage.county_covered,
            total=coverage.county_total,
        ),
        SurveyLinkItem(
            key=MUNICIPAL_ITEM,
            question=questions.get(MUNICIPAL_ITEM),
            area=area_cells.get(MUNICIPAL_ITEM),
            everyone=all_cells.get(MUNICIPAL_ITEM),
            covered=coverage.municipal_covered,
            total=coverage.municipal_cells,
        ),
    ]
    return SurveyLink(area=area, coverage=coverage, wave=wave, threshold=threshold, items=items)
