"""The sessions' section on the dashboard."""

from __future__ import annotations

from flask import Flask

from lessons.sessions import services
from portal.clock import utcnow
from portal.panels import Panel, register_panel


def init_app(app: Flask) -> None:
    register_panel(app, Panel("sessions/_dashboard.html", coming_sessions, order=15))


def coming_sessions(user) -> dict | None:
    """Sessions still to come (or cancelled ones that were to come)."""
    now = utcnow()
    rows = [
        (s, p)
        for s, p in services.sessions_of(user.id)
        if s.ends_at >= now or s.is_cancelled and s.starts_at >= now
    ]
    return {"rows": rows, "user": user} if rows else None
