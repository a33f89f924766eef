"""Small-group protection decided once per wave, over every margin a reader can combine.

Every table of a wave (per area, per position, per organisation type, any of them filtered by
another, an area by position, the totals) is a slice of one cube: area × position ×
organisation type, each coordinate either a value or ALL. Each cell of the cube, for each
question (and for the respondent count, question key ""), is withheld or not, decided here once
and read by every table, page, export and the API, so that no combination of visible figures
gives a withheld one.

The rules, for each question separately:
- a cell resting on fewer than k answers (and more than none) is withheld, and so is every
  cell of a group with fewer than k respondents;
- a cell that is never shown on its own (respondents with no area, say) counts as withheld;
- every margin is the sum of its cells along one coordinate (an area's row = the sum over its
  positions, and so on). If exactly one of a margin and its non-empty cells is withheld, it
  follows by subtraction (n × mean of the others), so the smallest visible one is withheld too;
  repeated until no margin has exactly one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import product

from django.db.models import Q, Sum

from yhdyspinta.surveys.models import Tally, Wave

ALL = "*"
RESPONDENTS = ""
Key = tuple[str, str, str]  # (area code, position, organisation kind); ALL for "every"


@dataclass
class Plan:
    threshold: int
    counts: dict[str, dict[Key, int]] = field(default_factory=dict)
    hidden: dict[str, set[Key]] = field(default_factory=dict)

    def group_withheld(self, key: Key) -> bool:
        """The group's figures and its respondent count: withheld also when it has none."""
        n = self.counts.get(RESPONDENTS, {}).get(key, 0)
        return n < self.threshold or key in self.hidden.get(RESPONDENTS, set())

    def cell_withheld(self, question_key: str, key: Key) -> bool:
        if self.group_withheld(key):
            return True
        return key in self.hidden.get(question_key, set())


def key_of(*, area: str = ALL, position: str = ALL, kind: str = ALL) -> Key:
    return (area or ALL, position or ALL, kind or ALL)


def _with_margins(base: dict[Key, int]) -> dict[Key, int]:
    """Every cell of the cube from the base cells: each base cell counts in the 8 cells that
    keep or replace each of its coordinates by ALL."""
    cube: dict[Key, int] = defaultdict(int)
    for (area, position, kind), n in base.items():
        for a, p, o in product((area, ALL), (position, ALL), (kind, ALL)):
            cube[a, p, o] += n
    return dict(cube)


def _margins(cube: dict[Key, int]) -> list[list[Key]]:
    """Each margin with its cells: [margin, cell, cell, ...] along one coordinate."""
    children: dict[tuple[int, Key], list[Key]] = defaultdict(list)
    for key in cube:
        for axis in range(3):
            if key[axis] != ALL:
                parent = tuple(ALL if i == axis else v for i, v in enumerate(key))
                children[axis, parent].append(key)
    return [[parent, *cells] for (_axis, parent), cells in children.items()]


def protect(cube: dict[Key, int], k: int, already: set[Key] = frozenset()) -> set[Key]:
    """The withheld cells of one question's cube (its answers per cell)."""
    hidden = {key for key, n in cube.items() if 0 < n < k} | (set(already) & set(cube))
    # A blank coordinate (respondents of no area, no position) is never shown as a group.
    hidden |= {key for key, n in cube.items() if n and "" in key}
    margins = _margins(cube)
    changed = True
    while changed:
        changed = False
        for margin in margins:
            members = [key for key in margin if cube.get(key, 0) > 0]
            withheld = [key for key in members if key in hidden]
            if len(withheld) != 1:
                continue
            visible = sorted((key for key in members if key not in hidden), key=cube.get)
            if visible:
                hidden.add(visible[0])
                changed = True
    return hidden


def build_plan(wave: Wave, threshold: int, question_keys: list[str]) -> Plan:
    rows = (
        Tally.objects.filter(wave=wave)
        .filter(Q(question_key=RESPONDENTS) | Q(question_key__in=question_keys, value__gte=1))
        .values("area_code", "position", "organisation_kind", "question_key")
        .annotate(n=Sum("n"))
    )
    base: dict[str, dict[Key, int]] = defaultdict(dict)
    for row in rows:
        key = (row["area_code"], row["position"], row["organisation_kind"])
        base[row["question_key"]][key] = row["n"]
    plan = Plan(threshold)
    plan.counts[RESPONDENTS] = _with_margins(base.get(RESPONDENTS, {}))
    plan.hidden[RESPONDENTS] = protect(plan.counts[RESPONDENTS], threshold)
    small_groups = {key for key, n in plan.counts[RESPONDENTS].items() if n < threshold}
    group_hidden = plan.hidden[RESPONDENTS] | small_groups
    for question_key in question_keys:
        cube = _with_margins(base.get(question_key, {}))
        plan.counts[question_key] = cube
        plan.hidden[question_key] = protect(cube, threshold, group_hidden)
    return plan
