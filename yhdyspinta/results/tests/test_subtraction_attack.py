"""The subtraction attack over every table the results API offers: nothing withheld follows.

An attacker with staff access reads the per-area, per-position and per-organisation-type
tables, each unfiltered and filtered by a position or an organisation type, and the totals:
respondents, and for each item its answers (n) and sum (n × the unrounded mean, the worst
case: the API rounds to one decimal). Every table is a slice of one cube, and every margin is a
sum of cells. Wherever all but one cell of a margin are known, the last one follows; repeated
until nothing more follows. The test generates waves (as tallies, which is all results read)
and checks that no withheld, non-empty cell is recovered.
"""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yhdyspinta.results import protection, selectors
from yhdyspinta.surveys.models import Tally
from yhdyspinta.surveys.tests.conftest import make_survey, make_wave

pytestmark = pytest.mark.django_db

ALL = protection.ALL
AREAS = ["08", "09", "90"]
POSITIONS = ["manager", "chair", "sector_director"]
KINDS = ["municipality", "regional_council"]
EXAMPLES = itertools.count()


def tables(wave, items, keys):
    """Every table of the results API for the wave: (group_by, position, kind, table)."""
    positions = ["", *sorted({k[1] for k in keys if k[1] not in (ALL, "")})]
    kinds = ["", *sorted({k[2] for k in keys if k[2] not in (ALL, "")})]
    for group_by in selectors.GROUP_BY:
        for position, kind in itertools.product(positions, kinds):
            if (group_by == "position" and position) or (group_by == "organisation_type" and kind):
                continue
            table = selectors.item_table(
                wave=wave, items=items, group_by=group_by, position=position, organisation_type=kind
            )
            yield group_by, position, kind, table


def seen(wave, items, keys) -> dict[tuple, int]:
    """What the tables show: (quantity, item, cube key) -> value, for visible figures only."""
    known: dict[tuple, int] = {}
    axis = {"area": 0, "position": 1, "organisation_type": 2}
    for group_by, position, kind, table in tables(wave, items, keys):
        fixed = [ALL, position or ALL, kind or ALL]
        for group in [*table.groups, table.all]:
            key = list(fixed)
            if group is not table.all:
                key[axis[group_by]] = group.code
            key = tuple(key)
            if not group.suppressed:
                known["respondents", "", key] = group.n
            for item in items:
                cell = group.cells[item.key]
                if not cell.suppressed:
                    known["n", item.key, key] = cell.n
                    known["sum", item.key, key] = cell.total
    return known


def attack(known: dict[tuple, int], keys: set[tuple], items) -> dict[tuple, int]:
    """Solve every margin with exactly one unknown, until nothing more follows."""
    margins = protection._margins(dict.fromkeys(keys, 1))
    quantities = [("respondents", "")] + [(q, i.key) for i in items for q in ("n", "sum")]
    known = dict(known)
    recovered: dict[tuple, int] = {}
    changed = True
    while changed:
        changed = False
        for quantity, item in quantities:
            for parent, *children in margins:
                facts = [(quantity, item, key) for key in (parent, *children)]
                unknown = [fact for fact in facts if fact not in known]
                if len(unknown) != 1:
                    continue
                (missing,) = unknown
                parent_fact = facts[0]
                if missing == parent_fact:
                    value = sum(known[fact] for fact in facts[1:])
                else:
                    value = known[parent_fact] - sum(
                        known[fact] for fact in facts[1:] if fact != missing
                    )
                known[missing] = recovered[missing] = value
                changed = True
    return recovered


def write_tallies(wave, cells, items) -> set[tuple]:
    """cells: (area, position, kind) -> list of answers per respondent (1–5 or 0 can't say)."""
    rows = []
    for (area, position, kind), answers in cells.items():
        if not answers:
            continue
        base = {"wave": wave, "area_code": area, "position": position, "organisation_kind": kind}
        rows.append(Tally(**base, question_key="", value=0, n=len(answers)))
        for item in items:
            for value in range(0, 6):
                count = sum(1 for a in answers if a == value)
                if count:
                    rows.append(Tally(**base, question_key=item.key, value=value, n=count))
    Tally.objects.bulk_create(rows)
    keys = set()
    for (area, position, kind), answers in cells.items():
        if answers:
            for combo in itertools.product((area, ALL), (position, ALL), (kind, ALL)):
                keys.add(combo)
    return keys


def check_wave(wave, items, keys) -> None:
    cache.clear()
    plan = selectors.wave_plan(wave, wave.survey.min_group_size)
    recovered = attack(seen(wave, items, keys), keys, items)
    leaks = []
    for (quantity, item, key), value in recovered.items():
        group_n = plan.counts[protection.RESPONDENTS].get(key, 0)
        if quantity == "respondents":
            if group_n and plan.group_withheld(key):
                leaks.append((quantity, key, value))
        elif plan.counts[item].get(key, 0) and plan.cell_withheld(item, key):
            leaks.append((quantity, item, key, value))
    assert leaks == []


answers_of_a_cell = st.lists(st.integers(min_value=0, max_value=5), max_size=7)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.dictionaries(
        st.tuples(st.sampled_from(AREAS), st.sampled_from(POSITIONS), st.sampled_from(KINDS)),
        answers_of_a_cell,
        min_size=1,
        max_size=10,
    )
)
def test_no_withheld_cell_follows_from_the_api_tables(cells):
    survey = make_survey(key=f"attack_{next(EXAMPLES)}")
    wave = make_wave(survey)
    items = selectors.matrix_items(wave)[:2]
    keys = write_tallies(wave, cells, items)
    check_wave(wave, items, keys)


def test_the_attack_finds_what_the_old_protection_left(db):
    """The attack is real: a table protected only against its own total gives a cell away."""
    survey = make_survey(key="attack_naive")
    wave = make_wave(survey)
    items = selectors.matrix_items(wave)[:1]
    keys = write_tallies(
        wave,
        {("08", "manager", "municipality"): [4] * 6, ("08", "chair", "municipality"): [1, 2]},
        items,
    )
    known = seen(wave, items, keys)
    # What the per-area table alone would show: Pirkanmaa's row of everyone, and the
    # managers' row of the table filtered by position.
    naive = {
        ("sum", items[0].key, ("08", ALL, ALL)): 27,
        ("sum", items[0].key, ("08", "manager", ALL)): 24,
    }
    margins_key = ("08", ALL, ALL)
    assert ("sum", items[0].key, margins_key) in known  # the area's row is shown
    recovered = attack(
        naive, {("08", ALL, ALL), ("08", "manager", ALL), ("08", "chair", ALL)}, items
    )
    assert recovered[("sum", items[0].key, ("08", "chair", ALL))] == 3  # the two chairs' sum
    # With the wave's plan, the managers' row is withheld, and nothing follows.
    assert ("sum", items[0].key, ("08", "manager", ALL)) not in known
    check_wave(wave, items, keys)


def test_the_demo_2026_wave_gives_nothing_away(demo_wave):
    items = selectors.matrix_items(demo_wave)
    rows = Tally.objects.filter(wave=demo_wave, question_key="").values_list(
        "area_code", "position", "organisation_kind"
    )
    keys = set()
    for area, position, kind in rows:
        keys.update(itertools.product((area, ALL), (position, ALL), (kind, ALL)))
    check_wave(demo_wave, items, keys)
