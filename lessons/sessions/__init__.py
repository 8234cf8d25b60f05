"""Group sessions: one lesson shared with several mentees, with schedule, roster and attendance."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the sessions pages, the calendar feed and the dashboard panel."""
    from lessons.sessions import panels, views

    app.register_blueprint(views.bp)
    app.register_blueprint(views.feed_bp)
    panels.init_app(app)
