"""Cached results, keyed on the state of the wave's tallies.

Results are read from the tallies, so the key holds what moves whenever they change: the
number of tallied respondents (every `tallies.add` raises it) and the wave's `tally_version`
(every `tallies.rebuild` raises it). Both are read from the database on each request, so every
app process sees a change at once, whether the cache is Redis or each process's own memory, and
whoever writes the answers (the answer form, the API, a bulk update followed by a rebuild) no
signal needs to see it. The survey's `updated_at` is in the key too, so a change of threshold
or of questions shows at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import OuterRef, Subquery, Sum

from yhdyspinta.surveys.models import Tally, Wave

T = TypeVar("T")
TIMEOUT = 24 * 60 * 60


def tally_state(wave_id: int) -> str:
    """What changes whenever the wave's tallies do; one small query."""
    respondents = (
        Tally.objects.filter(wave_id=OuterRef("pk"), question_key="")
        .values("wave_id")
        .annotate(n=Sum("n"))
        .values("n")
    )
    version, n = (
        Wave.objects.filter(pk=wave_id)
        .annotate(respondents=Subquery(respondents))
        .values_list("tally_version", "respondents")
        .get()
    )
    return f"{version}.{n or 0}"


def cached(wave: Wave, name: str, params: dict, compute: Callable[[], T]) -> T:
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()
    stamp = wave.survey.updated_at.timestamp()
    key = f"results:{wave.pk}:{tally_state(wave.pk)}:{stamp}:{name}:{digest[:24]}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def drawn_once(draw: Callable[..., str], **arguments) -> str:
    """A chart drawn once per content: the same figures and texts give the same SVG, so it
    needs no invalidation, and drawing (about 0.1–0.5 s) is skipped on every later view."""
    digest = hashlib.sha256(
        json.dumps([draw.__name__, arguments], sort_keys=True, default=sorted).encode()
    ).hexdigest()
    key = f"results:svg:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = draw(**arguments)
        cache.set(key, svg, 7 * 24 * 60 * 60)
    return svg
