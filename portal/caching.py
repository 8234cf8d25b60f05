"""Figures that are expensive to compute, kept for a short while (the program report).

The cache is Flask-Caching: Redis when REDIS_URL is set (one copy for every worker and server),
memory otherwise. It is only ever a shortcut: a value that is missing, too old or unreadable is
computed again from the database, and a cache that fails is logged and bypassed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from flask import current_app

from portal.clock import utcnow
from portal.extensions import cache

T = TypeVar("T")


def computed(key: str, seconds: int, compute: Callable[[], T]) -> tuple[datetime, T]:
    """`compute()` and when it ran, reusing a result younger than `seconds` (0: always fresh)."""
    now = utcnow()
    if seconds > 0:
        try:
            hit = cache.get(key)
        except Exception:  # noqa: BLE001 - an unreachable cache must not break the page
            current_app.logger.warning("cache unreadable for %s; computing afresh", key)
            hit = None
        if hit is not None and timedelta(0) <= now - hit[0] < timedelta(seconds=seconds):
            return hit
    value = (now, compute())
    if seconds > 0:
        try:
            cache.set(key, value, timeout=seconds)
        except Exception:  # noqa: BLE001
            current_app.logger.warning("cache unwritable for %s", key)
    return value
