"""The lessons area's sections on shared pages."""

from __future__ import annotations

from flask import Flask

from lessons import practice, services
from portal.panels import Panel, register_panel

OWN_LESSONS_SHOWN = 8


def init_app(app: Flask) -> None:
    register_panel(app, Panel("lessons/_dashboard.html", learning_panel, order=40))


def learning_panel(user) -> dict:
    """What the person is learning, what they wrote, and what is new in the library."""
    return {
        "learning": practice.learning(user.id),
        "own_lessons": services.authored_by(user.id, limit=OWN_LESSONS_SHOWN),
        "latest": services.newest(5),
    }
