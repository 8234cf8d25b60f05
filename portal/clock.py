"""Time, always timezone-aware and in UTC (used everywhere, owned by no domain)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)
