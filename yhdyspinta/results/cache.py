"""Cached results, dropped when a response arrives.

Each wave has a version in the cache; every cached figure of the wave is stored under a key
that contains it, so dropping the version retires them all at once, in every app process that
shares the cache (use Redis for several processes; see docs/operations.md). The survey's
`updated_at` is in the key too, so a change of threshold or of questions shows at once.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

from yhdyspinta.surveys.models import Wave

T = TypeVar("T")
TIMEOUT = 24 * 60 * 60


def _version_key(wave_id: int) -> str:
    return f"results:{wave_id}:version"


def _version(wave_id: int) -> str:
    key = _version_key(wave_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key)
    return version


def invalidate(wave_id: int) -> None:
    """Forget every cached figure of the wave once the current transaction commits."""
    transaction.on_commit(lambda: cache.delete(_version_key(wave_id)))


def cached(wave: Wave, name: str, params: dict, compute: Callable[[], T]) -> T:
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()
    stamp = wave.survey.updated_at.timestamp()
    key = f"results:{wave.pk}:{_version(wave.pk)}:{stamp}:{name}:{digest[:24]}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
