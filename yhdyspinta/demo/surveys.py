"""Generated demo data for the municipal leadership survey, calibrated to the published 2026 table.

Nothing here is a real response. The 2026 wave is generated so that its per-area table reproduces
the one Kuntaliitto published (`data/published_2026_municipal.csv`, see `data/PROVENANCE.md`):
for every area and item the mean of the 1–5 answers rounds (half up, one decimal) to the published
mean, each area has its published number of respondents, each item its published number of
substantive answers, and the means over all respondents round to the published "all" row. The
earlier waves (2022, 2023, 2024) have no published target: they are plausible, somewhat lower.

The generation is pure and deterministic (`random.Random` with a fixed seed): `generate_wave`
returns plain rows; `create_demo_survey_data` writes them to the database.

How a wave is generated:

1. Per area and item, how many respondents give a 1–5 answer (the rest say "can't say", a few
   leave it blank). In 2026 these counts must sum to the published N per item and admit a sum of
   values whose mean rounds to the published one; tiny areas (Helsinki 1 respondent, Kymenlaakso 4)
   allow only some counts, so the counts are chosen by a greedy search over feasible values.
2. Per area and item, the sum of the values: one whose mean rounds to the target and is not
   exactly on a .x5 boundary (so that rounding half up and half to even agree), nudged so that
   the item's mean over all respondents rounds to the published one.
3. Respondents get a latent attitude; each item's values are the target sum spread over the
   answering respondents in the order of attitude plus item noise, so answers within a respondent
   correlate and areas with high means have more 4s and 5s.
4. The headline rating and the clarity of the division of work follow from the respondent's
   item values and attitude, in fixed shares per wave.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from yhdyspinta.registry.models import Organisation
from yhdyspinta.surveys import tallies
from yhdyspinta.surveys.builtin import REALISATION_ITEM_KEYS, load_template
from yhdyspinta.surveys.definition import build_survey, texts
from yhdyspinta.surveys.models import (
    Answer,
    AnswerMode,
    Invitation,
    Question,
    Response,
    Survey,
    Wave,
    token_digest,
)

DATA_FILE = Path(__file__).resolve().parent / "data" / "published_2026_municipal.csv"

ITEMS = REALISATION_ITEM_KEYS
HEADLINE = "headline_rating"
CLARITY = "division_of_work_clarity"
WHAT_WORKS = "what_works"
NEEDS_IMPROVEMENT = "needs_improvement"
INTERFACES = "challenging_interfaces"

CANT_SAY = "cant_say"
POSITIONS = ("chair", "manager", "sector_director")
POSITION_WEIGHTS = (25, 35, 40)

SEED = 20260408
CALIBRATED_YEAR = 2026
WAVE_YEARS = (2022, 2023, 2024, 2026)
HELSINKI = "Helsinki"

# First and last day of each wave (February–March; the 2026 round was the fourth).
WAVE_DAYS = {
    2022: (date(2022, 2, 14), date(2022, 3, 11)),
    2023: (date(2023, 2, 13), date(2023, 3, 10)),
    2024: (date(2024, 2, 12), date(2024, 3, 8)),
    2026: (date(2026, 2, 16), date(2026, 3, 13)),
}
TIME_ZONE = ZoneInfo("Europe/Helsinki")

# Earlier waves: how much lower the area means were than in 2026, and how many answered.
EARLIER = {
    2022: {"drift": 0.45, "size": 0.96, "answer_rate": 0.93},
    2023: {"drift": 0.33, "size": 1.05, "answer_rate": 0.96},
    2024: {"drift": 0.16, "size": 1.01, "answer_rate": 0.98},
}

# Shares of the headline rating and of the clarity question per wave (1–5, then "can't say").
# 2026: a third rate cooperation good (4–5), almost a quarter poor (1–2), as published.
HEADLINE_SHARES = {
    2022: (0.07, 0.26, 0.45, 0.20, 0.02, 0.0),
    2023: (0.07, 0.24, 0.44, 0.23, 0.02, 0.0),
    2024: (0.06, 0.21, 0.45, 0.25, 0.03, 0.0),
    2026: (0.05, 0.18, 0.44, 0.29, 0.04, 0.0),
}
CLARITY_SHARES = {
    2022: (0.12, 0.34, 0.30, 0.19, 0.02, 0.03),
    2023: (0.10, 0.32, 0.30, 0.23, 0.02, 0.03),
    2024: (0.08, 0.30, 0.30, 0.27, 0.03, 0.02),
    2026: (0.07, 0.27, 0.30, 0.31, 0.04, 0.01),
}

# Who knows what: chairs (elected officials) can judge the cooperation of elected officials,
# sector directors the day-to-day contacts. Added to a respondent's readiness to rate an item.
POSITION_KNOWLEDGE = {
    "chair": {
        "elected_officials_cooperation": 1.3,
        "decision_openness": 0.6,
        "regular_meetings": -0.4,
        "county_responsible_persons": -0.3,
        "municipal_responsible_persons": -0.3,
        "shared_knowledge_base": -0.2,
    },
    "manager": {"elected_officials_cooperation": 0.3, "decision_openness": 0.3},
    "sector_director": {
        "elected_officials_cooperation": -0.9,
        "decision_openness": -0.3,
        "regular_meetings": 0.3,
        "county_responsible_persons": 0.3,
    },
}
BLANK_SHARE = 0.05  # of the answers that are not 1–5: left blank rather than "can't say"
ITEM_SD = 0.95  # spread of the 1–5 answers around an area's mean
ATTITUDE_WEIGHT = 0.8  # how much of an answer is the respondent's attitude (the rest is noise)

# Interface themes named as challenging; premises, student welfare and employment most often.
INTERFACE_WEIGHTS = {
    "strategic_management": 1.0,
    "service_network_land_use": 1.6,
    "health_wellbeing_promotion": 1.0,
    "housing": 0.6,
    "children_youth_families": 1.3,
    "employment": 1.3,
    "student_welfare": 1.5,
    "preparedness_security": 0.7,
    "older_people": 1.1,
    "immigration_integration": 0.6,
}

# Generic demo sentences, paraphrasing the kinds of remarks in the published summary.
WHAT_WORKS_TEXTS = (
    "(Demo) Käytännön asiat ratkeavat hyvin yhteistyössä, strateginen ennakointi vielä kehittyy.",
    "(Demo) Perhekeskuksen yhteistyö toimii hyvin ja on parantunut.",
    "(Demo) Yhteistyörakenteet ja prosessit on saatu toimimaan ja kuvattua.",
    "(Demo) Suunnittelu ja seuranta tehdään yhdessä.",
    "(Demo) Säännölliset tapaamiset hyvinvointialueen yhteyshenkilöiden kanssa toimivat.",
    "(Demo) Hyte-neuvottelu on tuonut yhteisen tilannekuvan.",
    "(Demo) Yhteyshenkilöt ovat tiedossa ja asioihin reagoidaan nopeasti.",
    "(Demo) Varautumisen yhteistyö on tiivistä.",
    "(Demo) Opiskeluhuollon yhteistyö sujuu koulujen kanssa.",
    "(Demo) Tieto kulkee aiempaa paremmin.",
)
NEEDS_IMPROVEMENT_TEXTS = (
    "(Demo) Toimitiloista ja vuokrista neuvotellaan liian myöhään.",
    "(Demo) Palveluverkon muutoksista pitäisi kertoa kunnalle ennakoivasti.",
    "(Demo) Luottamushenkilöt tietävät yhteistyöstä liian vähän.",
    "(Demo) Tiedonkulussa ja vuorovaikutuksessa on parannettavaa.",
    "(Demo) Kuntien asiantuntemusta ja paikallistuntemusta voisi hyödyntää enemmän.",
    "(Demo) Työnjako ja vastuut ovat osin epäselviä.",
    "(Demo) Yhteistyöltä puuttuvat sovitut rakenteet.",
    "(Demo) Tilannekuvassa ja tiedolla johtamisessa on puutteita.",
    "(Demo) Säästöpaineet tuovat epävarmuutta yhteiseen suunnitteluun.",
    "(Demo) Yhteistyösopimusta ei vielä ole.",
    "(Demo) Muutoksista tiedottaminen kuntalaisille ja henkilöstölle ontuu.",
    "(Demo) Yhteistyön pitäisi olla tasavertaisempaa.",
)
OPEN_ANSWERS_PER_WAVE = {2022: (4, 6), 2023: (5, 7), 2024: (6, 8), 2026: (8, 10)}

# A value is 1–5, CANT_SAY, or None for a question left blank.
Rating = int | str | None


def round1(value: Fraction | Decimal | int) -> Decimal:
    """To one decimal, halves up (as published)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _on_boundary(mean: Fraction) -> bool:
    """True when the mean is exactly x.x5, where rounding conventions may disagree."""
    return (mean * 20).denominator == 1 and (mean * 20).numerator % 2 == 1


def _agrees(mean: Fraction, target: Decimal, *, allow_boundary: bool) -> bool:
    if round1(mean) != target:
        return False
    if not _on_boundary(mean):
        return True
    # On x.x5 half up and half to even agree when the result's last digit is even.
    return allow_boundary and int(target * 10) % 2 == 0


# --- the published table -------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedTable:
    items: tuple[str, ...]
    areas: tuple[str, ...]
    means: dict[str, dict[str, Decimal]]  # area -> item -> mean
    n_respondents: dict[str, int]  # area -> N
    all_means: dict[str, Decimal]
    ranges: dict[str, tuple[Decimal, Decimal]]
    n_per_item: dict[str, int]

    @property
    def total_respondents(self) -> int:
        return sum(self.n_respondents.values())


SUMMARY_ROWS = ("ALL", "RANGE", "N_PER_ITEM")


def read_published(path: Path = DATA_FILE) -> PublishedTable:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    items = tuple(k for k in rows[0] if k not in ("area", "n_respondents"))
    by_name = {row["area"]: row for row in rows}
    areas = tuple(row["area"] for row in rows if row["area"] not in SUMMARY_ROWS)
    ranges = {}
    for item in items:
        low, high = by_name["RANGE"][item].split("-")
        ranges[item] = (Decimal(low), Decimal(high))
    return PublishedTable(
        items=items,
        areas=areas,
        means={a: {i: Decimal(by_name[a][i]) for i in items} for a in areas},
        n_respondents={a: int(by_name[a]["n_respondents"]) for a in areas},
        all_means={i: Decimal(by_name["ALL"][i]) for i in items},
        ranges=ranges,
        n_per_item={i: int(by_name["N_PER_ITEM"][i]) for i in items},
    )


# --- one wave's rows -----------------------------------------------------------------------


@dataclass
class DemoRespondent:
    area: str
    position: str
    attitude: float
    ratings: dict[str, Rating] = field(default_factory=dict)  # items, headline, clarity
    interfaces: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    municipality: str = ""  # official code
    submitted_on: date | None = None

    def item_values(self) -> list[int]:
        return [v for k, v in self.ratings.items() if k in ITEMS and isinstance(v, int)]


@dataclass
class WavePlan:
    """Per area: respondents, and per item the number of 1–5 answers and their sum."""

    n_respondents: dict[str, int]
    counts: dict[str, dict[str, int]]
    sums: dict[str, dict[str, int]]


def _closest(options: Sequence[int], target: float) -> int:
    return min(options, key=lambda x: (abs(x - target), x))


def _feasible(n: int, mean: Decimal, *, allow_boundary: bool) -> list[int]:
    """The sums of n answers (1–5 each) whose mean rounds to `mean`."""
    low = max(n, math.floor((mean - Decimal("0.05")) * n))
    high = min(5 * n, math.ceil((mean + Decimal("0.05")) * n))
    return [
        s
        for s in range(low, high + 1)
        if _agrees(Fraction(s, n), mean, allow_boundary=allow_boundary)
    ]


def calibrated_plan(table: PublishedTable) -> WavePlan:
    """Counts and sums that reproduce every cell of the published table."""
    total = table.total_respondents
    counts: dict[str, dict[str, int]] = {a: {} for a in table.areas}
    sums: dict[str, dict[str, int]] = {a: {} for a in table.areas}
    for item in table.items:
        share = table.n_per_item[item] / total
        # The counts each area allows, and for each count the sums that hit the area's mean.
        options: dict[str, dict[int, list[int]]] = {}
        for area in table.areas:
            size, mean = table.n_respondents[area], table.means[area][item]
            for allow_boundary in (False, True):
                by_n = {
                    n: s
                    for n in range(1, size + 1)
                    if (s := _feasible(n, mean, allow_boundary=allow_boundary))
                }
                if by_n:
                    break
            if not by_n:
                raise ValueError(f"{area} {item}: no {size} answers have the mean {mean}")
            options[area] = by_n
        chosen = _allocate_counts(table, item, share, options)
        chosen_sums = _adjust_sums(table, item, chosen, options)
        for area in table.areas:
            counts[area][item] = chosen[area]
            sums[area][item] = chosen_sums[area]
    return WavePlan(dict(table.n_respondents), counts, sums)


def _allocate_counts(
    table: PublishedTable, item: str, share: float, options: dict[str, dict[int, list[int]]]
) -> dict[str, int]:
    """Counts near each area's share that add up to the published N of the item."""
    ideal = {a: table.n_respondents[a] * share for a in table.areas}
    chosen = {a: _closest(list(options[a]), ideal[a]) for a in table.areas}

    def cost(area: str, n: int) -> float:
        return (n - ideal[area]) ** 2 / table.n_respondents[area]

    while (diff := table.n_per_item[item] - sum(chosen.values())) != 0:
        best: tuple[float, str, int] | None = None
        for area in table.areas:
            current = chosen[area]
            steps = [
                n
                for n in options[area]
                if (n > current if diff > 0 else n < current) and abs(n - current) <= abs(diff)
            ]
            if not steps:
                continue
            n = min(steps, key=lambda x: abs(x - current))
            delta = cost(area, n) - cost(area, current)
            if best is None or delta < best[0]:
                best = (delta, area, n)
        if best is None:
            raise ValueError(f"{item}: the counts cannot add up to {table.n_per_item[item]}")
        chosen[best[1]] = best[2]
    return chosen


def _adjust_sums(
    table: PublishedTable,
    item: str,
    counts: dict[str, int],
    options: dict[str, dict[int, list[int]]],
) -> dict[str, int]:
    """The sums closest to each area's mean, moved until the overall mean rounds right."""
    n_item = table.n_per_item[item]
    target = table.all_means[item]
    sums = {
        a: _closest(options[a][counts[a]], float(table.means[a][item]) * counts[a])
        for a in table.areas
    }

    def off(area: str, s: int) -> float:
        n = counts[area]
        return (s / n - float(table.means[area][item])) ** 2 * n

    for _ in range(10 * n_item):
        overall = Fraction(sum(sums.values()), n_item)
        if _agrees(overall, target, allow_boundary=False):
            return sums
        upward = overall < target
        best: tuple[float, str, int] | None = None
        for area in table.areas:
            current = sums[area]
            steps = [
                s for s in options[area][counts[area]] if s != current and (s > current) == upward
            ]
            if not steps:
                continue
            s = min(steps, key=lambda x: abs(x - current))
            delta = off(area, s) - off(area, current)
            if best is None or delta < best[0]:
                best = (delta, area, s)
        if best is None:
            break
        sums[best[1]] = best[2]
    raise ValueError(f"{item}: no sums give the overall mean {target}")


def earlier_plan(table: PublishedTable, year: int, rng: random.Random) -> WavePlan:
    """A plausible earlier wave: similar sizes, lower means, no exact target."""
    params = EARLIER[year]
    total = table.total_respondents
    n_respondents: dict[str, int] = {}
    counts: dict[str, dict[str, int]] = {}
    sums: dict[str, dict[str, int]] = {}
    for area in table.areas:
        base = table.n_respondents[area]
        size = (
            1
            if area == HELSINKI
            else max(2, round(base * params["size"] * rng.uniform(0.85, 1.15)))
        )
        n_respondents[area] = size
        area_effect = rng.gauss(0, 0.12)
        counts[area], sums[area] = {}, {}
        for item in table.items:
            share = table.n_per_item[item] / total * params["answer_rate"]
            n = min(size, max(0, round(size * share * rng.uniform(0.9, 1.1))))
            if area == HELSINKI:
                n = 1
            mean = float(table.means[area][item]) - params["drift"] + area_effect
            mean = min(4.6, max(1.3, mean + rng.gauss(0, 0.1)))
            counts[area][item] = n
            sums[area][item] = min(5 * n, max(n, round(mean * n)))
    return WavePlan(n_respondents, counts, sums)


def _spread(sum_: int, scores: Sequence[float]) -> list[int]:
    """Values 1–5, one per score, adding up to `sum_`, ordered like the scores."""
    n = len(scores)
    mean = sum_ / n
    wanted = [mean + ITEM_SD * s for s in scores]
    values = [min(5, max(1, round(w))) for w in wanted]
    while (gap := sum_ - sum(values)) != 0:
        if gap > 0:
            i = max((i for i in range(n) if values[i] < 5), key=lambda i: wanted[i] - values[i])
            values[i] += 1
        else:
            i = min((i for i in range(n) if values[i] > 1), key=lambda i: wanted[i] - values[i])
            values[i] -= 1
    return values


def _quota(shares: Sequence[float], n: int) -> list[int]:
    """Integer counts in proportion to the shares, adding up to n (largest remainder)."""
    total = sum(shares)
    raw = [s / total * n for s in shares]
    counts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts


def _rank_rating(
    respondents: list[DemoRespondent], key: str, shares: Sequence[float], rng: random.Random
) -> None:
    """Give a 1–5 rating (or "can't say") in fixed shares, in the order of the item values."""
    quotas = _quota(shares, len(respondents))
    pool = list(respondents)
    cant_say = rng.sample(pool, quotas[5])
    for r in cant_say:
        r.ratings[key] = CANT_SAY
    ids = {id(r) for r in cant_say}
    pool = [r for r in pool if id(r) not in ids]

    def score(r: DemoRespondent) -> float:
        values = r.item_values()
        level = sum(values) / len(values) - 3 if values else 0.0
        return level + 0.5 * r.attitude + rng.gauss(0, 0.6)

    ranked = sorted(((score(r), i, r) for i, r in enumerate(pool)), key=lambda t: (t[0], t[1]))
    position = 0
    for value, quota in enumerate(quotas[:5], start=1):
        for _, _, r in ranked[position : position + quota]:
            r.ratings[key] = value
        position += quota


def _weighted_pick(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _answer_days(year: int) -> tuple[list[date], list[float]]:
    first, last = WAVE_DAYS[year]
    days, weights = [], []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        weight = 0.15 if day.weekday() >= 5 else 1.0
        if offset < 3:
            weight *= 3  # the invitation
        elif offset in (10, 17):
            weight *= 2  # the reminders
        days.append(day)
        weights.append(weight)
    return days, weights


def generate_wave(
    year: int,
    *,
    table: PublishedTable | None = None,
    seed: int = SEED,
    municipalities: Mapping[str, Sequence[tuple[str, int | None]]] | None = None,
    interface_choices: Sequence[str] = tuple(INTERFACE_WEIGHTS),
) -> list[DemoRespondent]:
    """One wave's respondents. 2026 reproduces the published table; earlier years do not.

    `municipalities` maps an area's short name to its municipalities as (code, population); each
    respondent gets one, weighted by the square root of the population (every municipality has
    its chair, manager and directors, so big cities send more answers, but not in proportion).
    """
    table = table or read_published()
    rng = random.Random(seed * 10_000 + year)  # noqa: S311 - demo data, not security
    plan = calibrated_plan(table) if year == CALIBRATED_YEAR else earlier_plan(table, year, rng)
    days, day_weights = _answer_days(year)

    respondents: list[DemoRespondent] = []
    for area in table.areas:
        people = [
            DemoRespondent(
                area=area,
                position=rng.choices(POSITIONS, weights=POSITION_WEIGHTS)[0],
                attitude=rng.gauss(0, 1),
            )
            for _ in range(plan.n_respondents[area])
        ]
        readiness = [rng.gauss(0, 0.6) for _ in people]
        for item in table.items:
            n = plan.counts[area][item]
            order = sorted(
                range(len(people)),
                key=lambda i: (
                    -(
                        readiness[i]
                        + POSITION_KNOWLEDGE[people[i].position].get(item, 0.0)
                        + rng.gauss(0, 0.7)
                    )
                ),
            )
            answering, others = order[:n], order[n:]
            if n:
                noise_weight = math.sqrt(1 - ATTITUDE_WEIGHT**2)
                scores = [
                    ATTITUDE_WEIGHT * people[i].attitude + noise_weight * rng.gauss(0, 1)
                    for i in answering
                ]
                for i, value in zip(answering, _spread(plan.sums[area][item], scores), strict=True):
                    people[i].ratings[item] = value
            for i in others:
                people[i].ratings[item] = None if rng.random() < BLANK_SHARE else CANT_SAY
        for person in people:
            person.ratings = {item: person.ratings[item] for item in table.items}
            if municipalities is not None:
                options = [
                    (code, math.sqrt(population or 1))
                    for code, population in municipalities.get(area, ())
                ]
                if not options:
                    raise ValueError(f"No municipalities in {area}")
                person.municipality = _weighted_pick(rng, options)
            person.submitted_on = rng.choices(days, weights=day_weights)[0]
        respondents.extend(people)

    _rank_rating(respondents, HEADLINE, HEADLINE_SHARES[year], rng)
    _rank_rating(respondents, CLARITY, CLARITY_SHARES[year], rng)
    _add_interfaces(respondents, interface_choices, rng)
    _add_open_answers(respondents, year, rng)
    return respondents


def _add_interfaces(
    respondents: list[DemoRespondent], choices: Sequence[str], rng: random.Random
) -> None:
    if not choices:
        return
    weights = [INTERFACE_WEIGHTS.get(c, 1.0) for c in choices]
    for r in respondents:
        # Those less content name more themes; some skip the question.
        expected = 1.8 - 0.8 * (r.attitude + rng.gauss(0, 0.6))
        k = min(len(choices), max(0, round(expected)))
        picked: set[str] = set()
        while len(picked) < k:
            picked.add(rng.choices(choices, weights=weights)[0])
        r.interfaces = [c for c in choices if c in picked]


def _add_open_answers(respondents: list[DemoRespondent], year: int, rng: random.Random) -> None:
    n_works, n_improve = OPEN_ANSWERS_PER_WAVE[year]
    by_attitude = sorted(respondents, key=lambda r: r.attitude)
    upper, lower = by_attitude[len(by_attitude) // 2 :], by_attitude[: len(by_attitude) // 2]
    for r, text in zip(
        rng.sample(upper, n_works), rng.sample(WHAT_WORKS_TEXTS, n_works), strict=True
    ):
        r.texts[WHAT_WORKS] = text
    for r, text in zip(
        rng.sample(lower, n_improve), rng.sample(NEEDS_IMPROVEMENT_TEXTS, n_improve), strict=True
    ):
        r.texts[NEEDS_IMPROVEMENT] = text


def wave_period(year: int) -> tuple[datetime, datetime]:
    """The wave's opening and closing as aware datetimes in Helsinki time."""
    first, last = WAVE_DAYS[year]
    return (
        datetime.combine(first, time(9, 0), tzinfo=TIME_ZONE),
        datetime.combine(last, time(16, 0), tzinfo=TIME_ZONE),
    )


# --- writing to the database ---------------------------------------------------------------

DEMO_SURVEY_KEY = "municipal_leadership_demo"
DEMO_TEMPLATE = "municipal_leadership"
DEMO_EMAIL = "vastaaja-{:04d}@demo.invalid"
INVITED_2026 = 1000  # about as many as were invited; the rest of the responses' count
AUDIENCE_KINDS = [Organisation.Kind.MUNICIPALITY, Organisation.Kind.JOINT_AUTHORITY]


def create_demo_survey_data(
    *, stdout: TextIO | None = None, rebuild: bool = False
) -> dict[str, Any]:
    """The demo survey with its four waves of generated responses; once only.

    A second call finds the survey and changes nothing, unless `rebuild` deletes and recreates it.
    """

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line + "\n")

    existing = Survey.objects.filter(key=DEMO_SURVEY_KEY).first()
    if existing is not None and not rebuild:
        say(f"The demo survey “{existing.key}” exists already: nothing done.")
        return {"created": False, **_counts(existing)}
    if not connection.features.can_return_rows_from_bulk_insert:
        raise RuntimeError("The database cannot return the keys of bulk-created rows.")
    with transaction.atomic():
        if existing is not None:
            _delete_demo_survey(existing)
            say(f"Deleted the earlier demo survey “{existing.key}”.")
        survey = _build_demo_survey()
        say(f"Created the survey “{survey.title}” ({survey.key}).")
        table = read_published()
        for year in WAVE_YEARS:
            wave, responses, answers, invitations = _create_wave(survey, year, table)
            say(
                f"Wave {wave.name}: {responses} responses, {answers} answers"
                + (f", {invitations} invitations" if invitations else "")
                + (" (calibrated to the published 2026 table)" if year == CALIBRATED_YEAR else "")
            )
    return {"created": True, **_counts(survey)}


def _counts(survey: Survey) -> dict[str, int]:
    return {
        "survey_id": survey.pk,
        "waves": survey.waves.count(),
        "responses": Response.objects.filter(wave__survey=survey).count(),
        "answers": Answer.objects.filter(response__wave__survey=survey).count(),
        "invitations": Invitation.objects.filter(wave__survey=survey).count(),
    }


def _delete_demo_survey(survey: Survey) -> None:
    Answer.objects.filter(response__wave__survey=survey).delete()
    Response.objects.filter(wave__survey=survey).delete()
    Invitation.objects.filter(wave__survey=survey).delete()
    survey.waves.all().delete()
    survey.delete()


def _build_demo_survey() -> Survey:
    definition = load_template(DEMO_TEMPLATE)
    definition["key"] = DEMO_SURVEY_KEY
    definition["title"] = {
        lang: f"{text} (demo)" if text else "" for lang, text in texts(definition["title"]).items()
    }
    return build_survey(definition, is_demo=True)


def _municipalities(
    on: date,
) -> tuple[dict[str, list[tuple[str, int | None]]], dict[str, Organisation]]:
    """Per area short name its municipalities (code, population) on the day; and by code."""
    by_area: dict[str, list[tuple[str, int | None]]] = {}
    by_code: dict[str, Organisation] = {}
    municipalities = (
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY, area__isnull=False)
        .active(on)
        .select_related("area")
        .order_by("code")
    )
    for m in municipalities:
        by_area.setdefault(m.area.short_name, []).append((m.code, m.population))
        by_code[m.code] = m
    return by_area, by_code


def _create_wave(survey: Survey, year: int, table: PublishedTable) -> tuple[Wave, int, int, int]:
    opens_at, closes_at = wave_period(year)
    wave = Wave.objects.create(
        survey=survey,
        name=str(year),
        opens_at=opens_at,
        closes_at=closes_at,
        privacy=Wave.Privacy.ANONYMOUS,
        answer_mode=AnswerMode.PER_PERSON,
        audience_kinds=list(AUDIENCE_KINDS),
        audience_positions=list(POSITIONS),
    )
    questions = {q.key: q for q in survey.questions.all()}
    interfaces = questions.get(INTERFACES)
    interface_choices = (
        [c.value for c in interfaces.choices.all()] if interfaces is not None else []
    )
    by_area, by_code = _municipalities(WAVE_DAYS[year][0])
    rows = generate_wave(
        year, table=table, municipalities=by_area, interface_choices=interface_choices
    )
    responses = Response.objects.bulk_create(
        [
            Response(
                wave=wave,
                organisation=by_code[row.municipality],
                area_id=by_code[row.municipality].area_id,
                position=row.position,
                submitted_on=row.submitted_on,
            )
            for row in rows
        ]
    )
    answers: list[Answer] = []
    for response, row in zip(responses, rows, strict=True):
        answers.extend(_answers(response, row, questions))
    Answer.objects.bulk_create(answers, batch_size=2000)
    tallies.rebuild(wave)
    invitations = (
        _create_invitations(wave, year, rows, by_area, by_code) if year == CALIBRATED_YEAR else 0
    )
    return wave, len(responses), len(answers), invitations


def _answers(
    response: Response, row: DemoRespondent, questions: dict[str, Question]
) -> list[Answer]:
    answers = []
    for key, value in row.ratings.items():
        question = questions.get(key)
        if question is None or value is None:
            continue
        if value == CANT_SAY:
            answers.append(Answer(response=response, question=question, cant_say=True))
        else:
            answers.append(Answer(response=response, question=question, scale_value=value))
    if row.interfaces and INTERFACES in questions:
        answers.append(
            Answer(response=response, question=questions[INTERFACES], choices=row.interfaces)
        )
    for key, text in row.texts.items():
        if key in questions:
            answers.append(Answer(response=response, question=questions[key], text=text))
    return answers


def _create_invitations(
    wave: Wave,
    year: int,
    rows: Sequence[DemoRespondent],
    by_area: dict[str, list[tuple[str, int | None]]],
    by_code: dict[str, Organisation],
) -> int:
    """One used invitation per response and unanswered ones, about INVITED_2026 in all."""
    rng = random.Random(SEED + 1)  # noqa: S311 - demo data, not security
    recipients = [(row.municipality, row.position, True) for row in rows]
    areas = sorted(by_area)
    per_area = {a: sum(1 for row in rows if row.area == a) for a in areas}
    weights = [max(per_area[a], 1) * rng.uniform(0.6, 1.5) for a in areas]
    unanswered = _quota(weights, max(0, INVITED_2026 - len(rows)))
    for area, count in zip(areas, unanswered, strict=True):
        options = [(code, math.sqrt(population or 1)) for code, population in by_area[area]]
        for _ in range(count):
            position = rng.choices(POSITIONS, weights=POSITION_WEIGHTS)[0]
            recipients.append((_weighted_pick(rng, options), position, False))
    rng.shuffle(recipients)
    opens_at, _ = wave_period(year)
    reminders = [
        datetime.combine(WAVE_DAYS[year][0] + timedelta(days=d), time(9, 0), tzinfo=TIME_ZONE)
        for d in (10, 17)
    ]
    invitations = []
    for number, (code, position, used) in enumerate(recipients, start=1):
        nonce = f"{rng.getrandbits(128):032x}"
        invitations.append(
            Invitation(
                wave=wave,
                email=DEMO_EMAIL.format(number),
                organisation=by_code[code],
                position=position,
                nonce=nonce,
                token_hash=token_digest(f"demo:{wave.pk}:{number}:{nonce}"),
                send_status=Invitation.SendStatus.SENT,
                send_attempts=1,
                sent_at=opens_at,
                used=used,
                reminders_sent=0 if used else len(reminders),
                last_reminded_at=None if used else reminders[-1],
            )
        )
    Invitation.objects.bulk_create(invitations, batch_size=1000)
    return len(invitations)
