"""Topics, Markdown micro-lessons and practice tasks."""

from __future__ import annotations

import click
from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprints, the dashboard panel and the set-up steps of this area."""
    from lessons import (
        demo,
        markdown,
        panels,
        personal_data,
        practice,
        recommended,
        services,
        sessions,
        views,
    )
    from lessons.sessions import notices as session_notices
    from portal.cli import register_setup
    from portal.conversations.subjects import register_renderer
    from portal.notifications.reminders import register

    for blueprint in (views.topics_bp, views.lessons_bp, views.tasks_bp, recommended.bp):
        app.register_blueprint(blueprint)
    panels.init_app(app)
    personal_data.init_app(app)
    sessions.init_app(app)
    # Comments go through the one pipeline too.
    register_renderer(
        app, markdown.render, version=markdown.RENDERER_VERSION, stored=markdown.render_stored
    )
    register_setup(app, "init", services.ensure_core_topics, order=10)
    register_setup(app, "demo", demo.seed_lessons, order=20)
    register(app, practice.due_reminders)
    register(app, session_notices.reminders)

    @app.cli.command("rerender")
    def rerender_command() -> None:
        """Re-render stored lesson and task HTML made by an older renderer."""
        from portal.conversations.services import rerender_stale

        click.echo(f"Re-rendered {services.rerender_all()} lesson(s).")
        click.echo(f"Re-rendered {rerender_stale()} comment(s).")
