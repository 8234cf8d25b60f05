"""Programs: invitations, preferences, matching, check-ins, work logs and surveys."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the programs area: its pages, the public survey page and the dashboard panel."""
    from portal.notifications.reminders import register
    from portal.programs import care_views, panels, reminders, survey_views, views  # noqa: F401

    app.register_blueprint(views.bp)
    app.register_blueprint(survey_views.public)
    panels.init_app(app)
    register(app, reminders.checkin_reminders)
    register(app, reminders.invitation_reminders)
