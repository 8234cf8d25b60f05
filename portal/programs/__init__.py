"""Programs: invitations, preferences, matching, check-ins, work logs and surveys."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the programs area: its pages, the public survey page and the dashboard panel."""
    from portal.cli import register_setup
    from portal.notifications.reminders import register
    from portal.programs import (  # noqa: F401
        care_views,
        demo,
        link_views,
        panels,
        personal_data,
        reminders,
        support,
        support_views,
        survey_views,
        views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(survey_views.public)
    app.register_blueprint(support_views.bp)
    support.init_app(app)
    register_setup(app, "demo", demo.seed_support, order=46)
    app.register_blueprint(link_views.join_bp)
    panels.init_app(app)
    personal_data.init_app(app)
    register(app, reminders.checkin_reminders)
    register(app, reminders.invitation_reminders)
