"""Structured constructive feedback, ratings and progress (built on `lessons` and `portal`)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the feedback area: views, panels on shared pages, and set-up steps."""
    from feedback import coach, demo, notices, panels, personal_data, rubrics, threads, views
    from feedback.handbooks import views as handbook_views
    from lessons.practice import answer_submitted
    from lessons.services import topic_created
    from portal.cli import register_setup
    from portal.notifications.reminders import register

    app.register_blueprint(views.bp)
    app.add_template_global(coach.for_feedback, "coach_hints")
    app.register_blueprint(handbook_views.bp)
    panels.init_app(app)
    threads.init_app(app)
    personal_data.init_app(app)
    register_setup(app, "init", rubrics.ensure_default_rubrics, order=20)
    topic_created.connect(_give_default_rubric, weak=False)
    answer_submitted.connect(notices.tell_reviewers, weak=False)
    register(app, notices.waiting_reminders)
    register_setup(app, "demo", demo.seed_practice, order=30)


def _give_default_rubric(topic) -> None:
    from feedback.rubrics import ensure_default_rubrics

    ensure_default_rubrics()
