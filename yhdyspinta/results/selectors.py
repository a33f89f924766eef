"""Survey results as numbers: the per-group item table with small-group protection.

One selector feeds every view of the numbers (pages, exports, the API), so that they cannot
disagree. Means use only substantive answers (1–5); "can't say" and blanks are not values.

Small-group protection, applied here and nowhere else:
- a group with fewer respondents than the threshold shows no figures at all;
- a cell resting on fewer answers than the threshold is withheld;
- when exactly one cell of an item is withheld while the total is shown, it could be worked
  out from the total and the visible cells, so the next smallest cell is withheld too
  (complementary suppression).
Withheld figures are left out of the range. Means are unrounded; rounding is for display.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from yhdyspinta.registry.models import Organisation
from yhdyspinta.surveys.models import Answer, Question, Response, Wave
from yhdyspinta.surveys.selectors import position_labels

GROUP_BY = ("area", "position", "organisation_type")


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


def _group_key(group_by: str) -> str:
    return {
        "area": "area_id",
        "position": "position",
        "organisation_type": "organisation__kind",
    }[group_by]


def item_table(
    *,
    wave: Wave,
    items: list[Question] | None = None,
    group_by: str = "area",
    position: str = "",
    organisation_type: str = "",
    threshold: int | None = None,
) -> ItemTable:
    if group_by not in GROUP_BY:
        raise ValueError(group_by)
    items = items if items is not None else matrix_items(wave)
    threshold = wave.survey.min_group_size if threshold is None else threshold
    responses = Response.objects.filter(wave=wave)
    if position:
        responses = responses.filter(position=position)
    if organisation_type:
        responses = responses.filter(organisation__kind=organisation_type)
    key = _group_key(group_by)

    group_sizes = dict(responses.values_list(key).annotate(n=Count("pk")).values_list(key, "n"))
    sums = (
        Answer.objects.filter(response__in=responses, question__in=items, scale_value__isnull=False)
        .values(f"response__{key}", "question_id")
        .annotate(n=Count("pk"), total=Sum("scale_value"))
    )
    by_group: dict[object, dict[int, Cell]] = defaultdict(dict)
    for row in sums:
        by_group[row[f"response__{key}"]][row["question_id"]] = Cell(row["n"], row["total"])

    groups = [
        Group(
            code=code,
            name=name,
            n=group_sizes.get(group_key, 0),
            cells={
                item.key: by_group.get(group_key, {}).get(item.pk, Cell(0, 0)) for item in items
            },
        )
        for group_key, code, name in _group_labels(wave, group_by, group_sizes)
    ]
    everyone = Group(
        code="all",
        name="",
        n=sum(group_sizes.values()),
        cells={
            item.key: Cell(
                sum(g.cells[item.key].n for g in groups),
                sum(g.cells[item.key].total for g in groups),
            )
            for item in items
        },
    )
    _suppress(groups, everyone, items, threshold)
    ranges: dict[str, tuple[float, float] | None] = {}
    for item in items:
        means = [g.cells[item.key].mean for g in groups if g.cells[item.key].mean is not None]
        ranges[item.key] = (min(means), max(means)) if means else None
    return ItemTable(wave, threshold, items, groups, everyone, ranges)


def _suppress(groups: list[Group], everyone: Group, items: list[Question], k: int) -> None:
    if everyone.n < k:
        everyone.suppressed = True
        for cell in everyone.cells.values():
            cell.suppressed = True
    for group in groups:
        if group.n < k:
            group.suppressed = True
        for cell in group.cells.values():
            if group.suppressed or cell.n < k:
                cell.suppressed = True
    for item in items:
        if everyone.cells[item.key].suppressed:
            continue
        cells = [g.cells[item.key] for g in groups if g.cells[item.key].n > 0]
        hidden = [c for c in cells if c.suppressed]
        if len(hidden) == 1:
            visible = sorted((c for c in cells if not c.suppressed), key=lambda c: c.n)
            if visible:
                visible[0].suppressed = True


def _group_labels(wave: Wave, group_by: str, sizes: dict) -> list[tuple[object, str, str]]:
    """(group key, code, name) in display order."""
    if group_by == "area":
        areas = Organisation.objects.areas().filter(pk__in=[k for k in sizes if k])
        return sorted(((a.pk, a.code, a.area_label) for a in areas), key=lambda r: r[2])
    if group_by == "organisation_type":
        labels = dict(Organisation.Kind.choices)
    else:
        labels = position_labels(wave)
    return [(k, k, str(labels.get(k, k))) for k in sorted(k for k in sizes if k)]


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
        "good": counts["good"] / n * 100 if n else None,
        "poor": counts["poor"] / n * 100 if n else None,
        "cant_say": counts["cant_say"],
        "distribution": {v: counts[f"v{v}"] for v in range(1, 6)},
    }
