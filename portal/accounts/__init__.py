"""Accounts: people, profiles, sign-in, mentorships, their meetings, and kudos."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the accounts area: sign-in, profiles, kudos, meetings, conversations, panels."""
    from portal.accounts import (
        auth,
        demo,
        panels,
        people,
        privacy,
        privacy_views,
        sso,
        threads,
        views,
    )
    from portal.accounts.meetings import demo as meeting_demo
    from portal.accounts.meetings import panels as meeting_panels
    from portal.accounts.meetings import reminders as meeting_reminders
    from portal.accounts.meetings import views as meeting_views
    from portal.cli import register_setup
    from portal.notifications.reminders import register as register_reminders

    app.register_blueprint(auth.bp)
    app.register_blueprint(auth.shortcuts_bp)
    sso.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.kudos_bp)
    app.register_blueprint(meeting_views.bp)
    app.register_blueprint(people.bp)
    panels.init_app(app)
    threads.init_app(app)
    register_setup(app, "demo", demo.seed_conversation, order=35)
    meeting_panels.init_app(app)
    register_reminders(app, meeting_reminders.due)
    register_setup(app, "demo", meeting_demo.seed_meetings, order=50)
    privacy.init_app(app)
    app.register_blueprint(privacy_views.bp)
