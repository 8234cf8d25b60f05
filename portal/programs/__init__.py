"""Programs: invitations, preferences, matching, check-ins, work logs and surveys."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the programs area: its pages, the public survey page and the dashboard panel."""
    from portal.notifications.reminders import register
    from portal.programs import (  # noqa: F401
        care_views,
        link_views,
        panels,
        personal_data,
        reminders,
        survey_views,
        views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(survey_views.public)
    app.register_blueprint(link_views.join_bp)
    panels.init_app(app)
    personal_data.init_app(app)
    register(app, reminders.checkin_reminders)
    register(app, reminders.invitation_reminders)
