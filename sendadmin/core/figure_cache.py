"""Aggregate figures kept briefly in the Django cache, with the time they were counted.

For pages whose figures count a whole LA's records (the LA dashboard, the status counts of the LA
deadlines): counting them on every visit cost hundreds of milliseconds at county size
(benchmarks/load). A cached figure is at most FIGURES_CACHE_SECONDS old (5 minutes by default) and
the page says when it was counted ("as at"); nothing invalidates it sooner. The key names whose
figures they are (the LA, or the user and membership whose visibility they follow), the day and
every filter, so a figure is only ever shown to someone who could have counted it themselves.
FIGURES_CACHE_SECONDS = 0 counts on every visit (the tests' setting).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

T = TypeVar("T")
PREFIX = "figures:v1:"


def cached_figures(key: str, compute: Callable[[], T]) -> tuple[T, dt.datetime]:
    """(the figures, when they were counted): from the cache when counted less than
    FIGURES_CACHE_SECONDS ago, else counted now and kept."""
    ttl = int(getattr(settings, "FIGURES_CACHE_SECONDS", 0))
    if ttl <= 0:
        return compute(), timezone.now()
    hit = cache.get(PREFIX + key)
    if hit is not None:
        value, counted_at = hit
        return value, counted_at
    counted_at = timezone.now()
    value = compute()
    cache.set(PREFIX + key, (value, counted_at), ttl)
    return value, counted_at
