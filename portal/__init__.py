"""Flipside: the application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping | None = None) -> Flask:
    """Create and configure the Flipside application."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("FLIPSIDE_INSTANCE_PATH", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    _configure(app, config)
    _trust_proxies(app)
    _register_extensions(app)
    _register_blueprints(app)
    _register_web(app)
    _register_cli(app)
    return app


def _configure(app: Flask, config: Mapping | None) -> None:
    from portal import config as settings

    app.config.from_mapping(settings.from_environment(app.instance_path))
    if config:
        app.config.from_mapping(config)
    settings.check(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def _trust_proxies(app: Flask) -> None:
    """Read the client's address (and scheme) from the headers of the trusted proxies only."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = app.config["FLIPSIDE_PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _register_extensions(app: Flask) -> None:
    from portal.database import built_here, init_engine
    from portal.extensions import cache, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        include_object=built_here,
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    with app.app_context():
        init_engine(db.engine)


def _register_blueprints(app: Flask) -> None:
    from feedback import init_app as init_feedback
    from lessons import init_app as init_lessons
    from portal import accounts, conversations, home, notifications, panels, programs

    panels.init_app(app)
    notifications.init_app(app)
    conversations.init_app(app)
    app.register_blueprint(home.bp)
    accounts.init_app(app)
    programs.init_app(app)
    init_lessons(app)
    init_feedback(app)


def _register_web(app: Flask) -> None:
    from portal import hooks as web

    web.init_app(app)


def _register_cli(app: Flask) -> None:
    from portal import cli

    cli.init_app(app)
