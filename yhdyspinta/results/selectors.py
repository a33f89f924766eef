"""Survey results as numbers: the per-group item table with small-group protection.

One selector feeds every view of the numbers (pages, exports, the API), so that they cannot
disagree. Means use only substantive answers (1–5); "can't say" and blanks are not values.

Small-group protection is decided once per wave over every margin a reader can combine
(protection.py) and every table here reads that one plan: a group with fewer respondents than
the threshold (none included) shows no figures, a cell on fewer answers is withheld, and so is
whatever would let a withheld figure be worked out from visible ones in any table of the wave.
Withheld figures are left out of the range. Means are unrounded; rounding is for display.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum

from yhdyspinta.core.numbers import percent
from yhdyspinta.registry.models import Organisation
from yhdyspinta.surveys.models import Answer, Question, Response, Tally, Wave
from yhdyspinta.surveys.selectors import position_labels

from . import protection
from .cache import cached
from .models import Tag

GROUP_BY = ("area", "position", "organisation_type")


def exact_percent(part: int, whole: int) -> float | None:
    """part / whole in per cent as the float nearest the exact value, so that it prints and
    rounds half up as the exact one would (23 of 40: 57.5, which prints 58 %; dividing first
    gave 57.49999999999999, which printed 57 %)."""
    share = percent(part, whole)
    return None if share is None else float(share)


@dataclass
class Cell:
    n: int
    total: int  # sum of the values, kept for weighting and for the suppression check
    suppressed: bool = False

    @property
    def mean(self) -> float | None:
        if self.suppressed or not self.n:
            return None
        return self.total / self.n


@dataclass
class Group:
    code: str
    name: str
    n: int
    cells: dict[str, Cell] = field(default_factory=dict)
    suppressed: bool = False


@dataclass
class ItemTable:
    wave: Wave
    threshold: int
    items: list[Question]
    groups: list[Group]
    all: Group
    range: dict[str, tuple[float, float] | None]


def matrix_items(wave: Wave) -> list[Question]:
    """The rating items of the wave's survey that sit in a matrix, in the survey's order."""
    return list(
        Question.objects.filter(
            survey=wave.survey, parent__isnull=False, type=Question.Type.LIKERT
        ).order_by("parent__order", "order", "pk")
    )


def _dimension(group_by: str) -> str:
    if group_by not in GROUP_BY:
        raise ValueError(group_by)
    return {"area": "area_code", "position": "position", "organisation_type": "organisation_kind"}[
        group_by
    ]


def _tallies(wave: Wave, *, position: str = "", organisation_type: str = "", area=None):
    """The wave's rating tallies, filtered. Results read these, never the answers."""
    tallies = Tally.objects.filter(wave=wave)
    if position:
        tallies = tallies.filter(position=position)
    if organisation_type:
        tallies = tallies.filter(organisation_kind=organisation_type)
    if area is not None:
        tallies = tallies.filter(area_code=area.code)
    return tallies


def _group_sizes(tallies, dimension: str) -> dict[str, int]:
    rows = tallies.filter(question_key="").values(dimension).annotate(size=Sum("n"))
    return {row[dimension]: row["size"] for row in rows}


def item_table(
    *,
    wave: Wave,
    items: list[Question] | None = None,
    group_by: str = "area",
    position: str = "",
    organisation_type: str = "",
    threshold: int | None = None,
) -> ItemTable:
    dimension = _dimension(group_by)
    items = items if items is not None else matrix_items(wave)
    threshold = wave.survey.min_group_size if threshold is None else threshold
    tallies = _tallies(wave, position=position, organisation_type=organisation_type)
    # One query for both the respondents per group (question_key "") and the sums per item:
    # at a few milliseconds a table, a second round trip is a noticeable share of the cost.
    rows = (
        tallies.filter(
            Q(question_key="") | Q(question_key__in=[item.key for item in items], value__gte=1)
        )
        .values(dimension, "question_key")
        .annotate(answers=Sum("n"), total=Sum(F("n") * F("value")))
    )
    group_sizes: dict[str, int] = {}
    by_group: dict[str, dict[str, Cell]] = defaultdict(dict)
    for row in rows:
        if row["question_key"]:
            by_group[row[dimension]][row["question_key"]] = Cell(row["answers"], row["total"])
        else:
            group_sizes[row[dimension]] = row["answers"]

    groups = [
        Group(
            code=code,
            name=name,
            n=group_sizes.get(code, 0),
            cells={item.key: by_group.get(code, {}).get(item.key, Cell(0, 0)) for item in items},
        )
        for code, name in _group_labels(wave, group_by, group_sizes)
    ]
    everyone = Group(
        code="all",
        name="",
        n=sum(group_sizes.values()),
        cells={
            item.key: Cell(
                sum(cells[item.key].n for cells in by_group.values() if item.key in cells),
                sum(cells[item.key].total for cells in by_group.values() if item.key in cells),
            )
            for item in items
        },
    )
    _protect(
        groups,
        everyone,
        items,
        wave_plan(wave, threshold),
        group_by=group_by,
        position=position,
        organisation_type=organisation_type,
    )
    ranges: dict[str, tuple[float, float] | None] = {}
    for item in items:
        means = [g.cells[item.key].mean for g in groups if g.cells[item.key].mean is not None]
        ranges[item.key] = (min(means), max(means)) if means else None
    return ItemTable(wave, threshold, items, groups, everyone, ranges)


def wave_plan(wave: Wave, threshold: int) -> protection.Plan:
    """The wave's one protection plan (protection.py), for every rating question."""
    keys = list(
        Question.objects.filter(survey=wave.survey, type=Question.Type.LIKERT)
        .order_by("pk")
        .values_list("key", flat=True)
    )
    return cached(
        wave,
        "protection_plan",
        {"threshold": threshold},
        lambda: protection.build_plan(wave, threshold, keys),
    )


def _protect(
    table_groups: list[Group],
    everyone: Group,
    items: list[Question],
    plan: protection.Plan,
    *,
    group_by: str,
    position: str = "",
    organisation_type: str = "",
    area: Organisation | None = None,
) -> None:
    """Withhold what the wave's plan withholds, in this slice of its cube."""
    fixed = {
        "area": area.code if area is not None else protection.ALL,
        "position": position or protection.ALL,
        "kind": organisation_type or protection.ALL,
    }
    axis = {"area": "area", "position": "position", "organisation_type": "kind"}[group_by]
    for group in [*table_groups, everyone]:
        coordinates = dict(fixed)
        if group is not everyone:
            coordinates[axis] = group.code
        key = protection.key_of(**coordinates)
        group.suppressed = plan.group_withheld(key)
        for item in items:
            cell = group.cells[item.key]
            cell.suppressed = plan.cell_withheld(item.key, key)


def _group_labels(wave: Wave, group_by: str, sizes: dict) -> list[tuple[str, str]]:
    """(code, name) of the groups, in display order: every area and every position, those
    with no respondents too, so that a missing row tells nothing (it shows as withheld)."""
    if group_by == "area":
        areas = Organisation.objects.areas().only("code", "short_name", "name")
        return sorted(((a.code, a.area_label) for a in areas), key=lambda r: r[1])
    if group_by == "organisation_type":
        labels = dict(Organisation.Kind.choices)
        return [(k, str(labels.get(k, k))) for k in sorted(k for k in sizes if k)]
    labels = position_labels(wave)
    return [(k, str(labels.get(k, k))) for k in sorted({*labels, *(k for k in sizes if k)})]


def good_and_poor(*, wave: Wave, question: Question, responses=None) -> dict[str, object]:
    """% rating 4–5 and 1–2 of the substantive answers, and the full distribution."""
    answers = Answer.objects.filter(response__wave=wave, question=question)
    if responses is not None:
        answers = answers.filter(response__in=responses)
    counts = answers.aggregate(
        substantive=Count("pk", filter=Q(scale_value__isnull=False)),
        good=Count("pk", filter=Q(scale_value__gte=4)),
        poor=Count("pk", filter=Q(scale_value__lte=2)),
        cant_say=Count("pk", filter=Q(cant_say=True)),
        **{f"v{v}": Count("pk", filter=Q(scale_value=v)) for v in range(1, 6)},
    )
    n = counts["substantive"]
    return {
        "n": n,
        "good": exact_percent(counts["good"], n),
        "poor": exact_percent(counts["poor"], n),
        "cant_say": counts["cant_say"],
        "distribution": {v: counts[f"v{v}"] for v in range(1, 6)},
    }


# -- shares: % rating good (4–5) and poor (1–2), and the full distribution ---------------------


@dataclass
class Shares:
    """The distribution of one rating item in one group; `n` counts substantive answers."""

    n: int = 0
    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(1, 6), 0))
    cant_say: int = 0
    suppressed: bool = False

    def percent(self, *values: int) -> float | None:
        if self.suppressed or not self.n:
            return None
        return exact_percent(sum(self.counts[v] for v in values), self.n)

    @property
    def good(self) -> float | None:
        return self.percent(4, 5)

    @property
    def poor(self) -> float | None:
        return self.percent(1, 2)

    @property
    def mean(self) -> float | None:
        if self.suppressed or not self.n:
            return None
        return sum(v * c for v, c in self.counts.items()) / self.n

    def add(self, other: Shares) -> None:
        self.n += other.n
        self.cant_say += other.cant_say
        for value, count in other.counts.items():
            self.counts[value] += count


def share_table(
    *,
    wave: Wave,
    items: list[Question],
    group_by: str = "area",
    position: str = "",
    organisation_type: str = "",
    area: Organisation | None = None,
    threshold: int | None = None,
) -> ItemTable:
    """Like `item_table`, with the distribution of each item in each cell (`Shares`).

    The same small-group protection applies; `range` is left empty (it is for means).
    """
    dimension = _dimension(group_by)
    threshold = wave.survey.min_group_size if threshold is None else threshold
    tallies = _tallies(wave, position=position, organisation_type=organisation_type, area=area)
    group_sizes = _group_sizes(tallies, dimension)
    counts = (
        tallies.filter(question_key__in=[item.key for item in items])
        .values(dimension, "question_key", "value")
        .annotate(count=Sum("n"))
    )
    by_group: dict[str, dict[str, Shares]] = defaultdict(lambda: defaultdict(Shares))
    for row in counts:
        shares = by_group[row[dimension]][row["question_key"]]
        if row["value"] == 0:
            shares.cant_say += row["count"]
        else:
            shares.n += row["count"]
            shares.counts[row["value"]] += row["count"]
    groups = [
        Group(
            code=code,
            name=name,
            n=group_sizes.get(code, 0),
            cells={item.key: by_group.get(code, {}).get(item.key) or Shares() for item in items},
        )
        for code, name in _group_labels(wave, group_by, group_sizes)
    ]
    everyone = Group(code="all", name="", n=sum(group_sizes.values()))
    for item in items:
        total = Shares()
        for cells in by_group.values():
            if item.key in cells:
                total.add(cells[item.key])
        everyone.cells[item.key] = total
    _protect(
        groups,
        everyone,
        items,
        wave_plan(wave, threshold),
        group_by=group_by,
        position=position,
        organisation_type=organisation_type,
        area=area,
    )
    return ItemTable(wave, threshold, items, groups, everyone, {})


def area_by_position(
    *, wave: Wave, items: list[Question], threshold: int | None = None
) -> dict[tuple[str, str], Group]:
    """Shares of each item for every area × position, withheld by the wave's plan (which
    protects this crossing together with every other table of the wave).

    Keys are (area code, position value). Used for an area's ratings by position.
    """
    crossed: dict[tuple[str, str], Group] = {}
    for area in Organisation.objects.areas():
        table = share_table(
            wave=wave, items=items, group_by="position", area=area, threshold=threshold
        )
        for group in table.groups:
            crossed[area.code, group.code] = group
    return crossed


def rating_questions(wave: Wave) -> list[Question]:
    """The single rating questions (the headline, the clarity of the division of work)."""
    return list(
        wave.survey.active_questions()
        .filter(parent__isnull=True, type=Question.Type.LIKERT)
        .order_by("section__order", "order", "pk")
    )


# -- trends across the waves of a survey --------------------------------------------------------


@dataclass
class Trend:
    waves: list[Wave]
    items: list[Question]
    # item key -> one Shares per wave (None: the item was not asked in that wave)
    points: dict[str, list[Shares | None]]


def realised_trend(
    *, wave: Wave, items: list[Question] | None = None, area_code: str | None = None
) -> Trend:
    """% rating each item 4–5 ("fairly or very well") in every wave of the survey up to `wave`.

    For an area, each wave's figure is the area's cell of that wave's protected per-area table,
    so a trend never shows what the table withholds.
    """
    items = items if items is not None else matrix_items(wave)
    waves = list(
        Wave.objects.filter(survey=wave.survey, opens_at__lte=wave.opens_at)
        .filter(responses__isnull=False)
        .distinct()
        .order_by("opens_at")
    )
    points: dict[str, list[Shares | None]] = {item.key: [] for item in items}
    for each in waves:
        table = cached_share_table(wave=each, items=items, group_by="area")
        row = table.all
        if area_code is not None:
            row = next((g for g in table.groups if g.code == area_code), None)
        for item in items:
            points[item.key].append(row.cells.get(item.key) if row is not None else None)
    return Trend(waves, items, points)


def previous_wave(wave: Wave) -> Wave | None:
    return (
        Wave.objects.filter(survey=wave.survey, opens_at__lt=wave.opens_at)
        .filter(responses__isnull=False)
        .order_by("-opens_at")
        .first()
    )


# -- cached entry points: what pages, exports and the API call ---------------------------------


def _item_keys(items: list[Question] | None) -> list[str] | None:
    return None if items is None else [item.key for item in items]


def cached_item_table(*, wave: Wave, items: list[Question] | None = None, **params) -> ItemTable:
    return cached(
        wave,
        "item_table",
        {**params, "items": _item_keys(items)},
        lambda: item_table(wave=wave, items=items, **params),
    )


def cached_share_table(*, wave: Wave, items: list[Question], **params) -> ItemTable:
    area = params.get("area")
    key = {**params, "area": area.pk if area else None, "items": _item_keys(items)}
    return cached(wave, "share_table", key, lambda: share_table(wave=wave, items=items, **params))


def cached_area_by_position(*, wave: Wave, items: list[Question]) -> dict:
    return cached(
        wave,
        "area_by_position",
        {"items": _item_keys(items)},
        lambda: area_by_position(wave=wave, items=items),
    )


# -- open answers --------------------------------------------------------------------------------


def open_questions(wave: Wave) -> list[Question]:
    return list(
        wave.survey.active_questions()
        .filter(type__in=[Question.Type.LONG_TEXT, Question.Type.SHORT_TEXT])
        .order_by("section__order", "order", "pk")
    )


@dataclass
class OpenAnswers:
    answers: list[Answer]
    respondents: int  # respondents in the chosen group, whether they wrote anything or not
    threshold: int
    withheld: bool  # the group is smaller than the threshold for open answers
    # Areas large enough to be named beside an answer; a small area's name would point at
    # its few writers.
    nameable_areas: set[int] = field(default_factory=set)


def open_answers(
    *,
    wave: Wave,
    question: Question | None = None,
    area: Organisation | None = None,
    position: str = "",
    tag: Tag | None = None,
    publishable_only: bool = False,
) -> OpenAnswers:
    """The written answers of a group, withheld when the group is smaller than the survey's
    threshold for open answers (a sentence identifies its writer sooner than a number)."""
    threshold = wave.survey.min_group_size_open
    responses = Response.objects.filter(wave=wave)
    if position:
        responses = responses.filter(position=position)
    if area is not None:
        responses = responses.filter(area=area)
    respondents = responses.count()
    # The group's own count must not tell what the wave's plan withholds (an area's managers
    # whose count, with the area's, would give its chairs away).
    key = protection.key_of(area=area.code if area is not None else "", position=position)
    if respondents < threshold or wave_plan(wave, wave.survey.min_group_size).group_withheld(key):
        return OpenAnswers([], respondents, threshold, withheld=True)
    answers = (
        Answer.objects.filter(response__in=responses)
        .exclude(text="")
        .filter(question__in=[question] if question else open_questions(wave))
        .select_related("question", "response__area", "review")
        .prefetch_related("review__tags")
        .order_by("question__section__order", "question__order", "pk")
    )
    if tag is not None:
        answers = answers.filter(review__tags=tag)
    if publishable_only:
        answers = answers.filter(review__publishable=True)
    sizes = responses.values("area").annotate(n=Count("pk")).values_list("area", "n")
    nameable = {area_id for area_id, n in sizes if area_id and n >= threshold}
    return OpenAnswers(list(answers), respondents, threshold, False, nameable)


@dataclass(frozen=True)
class TagCount:
    tag: Tag
    answers: int


def tag_counts(*, wave: Wave) -> list[TagCount]:
    """How many of the wave's open answers carry each of the survey's tags."""
    tags = Tag.objects.filter(survey=wave.survey).annotate(
        answers=Count("reviews", filter=Q(reviews__answer__response__wave=wave))
    )
    return [TagCount(tag, tag.answers) for tag in tags]
