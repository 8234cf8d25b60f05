"""Topics, Markdown micro-lessons and practice tasks."""

from __future__ import annotations

import click
from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprints, the dashboard panel and the set-up steps of this area."""
    from lessons import demo, services, session_views, views
    from portal.cli import register_setup
    from portal.dashboard import Panel, register_panel

    for blueprint in (
        views.topics_bp,
        views.lessons_bp,
        views.tasks_bp,
        session_views.bp,
        session_views.feed_bp,
    ):
        app.register_blueprint(blueprint)
    register_panel(app, Panel("sessions/_dashboard.html", _sessions_context, order=15))
    register_panel(app, Panel("lessons/_dashboard.html", _dashboard_context, order=40))
    register_setup(app, "init", services.ensure_core_topics, order=10)
    register_setup(app, "demo", demo.seed_lessons, order=20)

    @app.cli.command("rerender")
    def rerender_command() -> None:
        """Re-render stored lesson and task HTML made by an older renderer."""
        click.echo(f"Re-rendered {services.rerender_all()} lesson(s).")


OWN_LESSONS_SHOWN = 8


def _dashboard_context(user) -> dict:
    from lessons import practice, services

    return {
        "learning": practice.learning(user.id),
        "own_lessons": services.authored_by(user.id, limit=OWN_LESSONS_SHOWN),
        "latest": services.newest(5),
    }


def _sessions_context(user) -> dict | None:
    from lessons import sessions
    from portal.models import utcnow

    now = utcnow()
    rows = [
        (s, p)
        for s, p in sessions.sessions_of(user.id)
        if s.ends_at >= now or s.is_cancelled and s.starts_at >= now
    ]
    return {"rows": rows, "user": user} if rows else None
