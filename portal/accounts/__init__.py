"""Accounts: people, profiles, sign-in, mentorships and kudos."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the accounts area: sign-in, profiles, kudos and the dashboard panel."""
    from portal.accounts import auth, panels, privacy, privacy_views, views

    app.register_blueprint(auth.bp)
    app.register_blueprint(auth.shortcuts_bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.kudos_bp)
    panels.init_app(app)
    privacy.init_app(app)
    app.register_blueprint(privacy_views.bp)
