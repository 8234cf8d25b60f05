"""The dashboard, the landing page and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from portal.database import database_accepts_writes, database_answers, disk_has_room
from portal.extensions import db, limiter
from portal.panels import panels_for

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return render_template("main/landing.html")
    return dashboard()


def dashboard():
    return render_template("main/dashboard.html", panels=panels_for("dashboard", current_user))


@bp.route("/hello")
def hello():
    """The cheapest page the app can serve: the ceiling the benchmark compares pages with."""
    return "hello", 200, {"Content-Type": "text/plain; charset=utf-8"}


REDIS_DEGRADED = "redis: degraded (unreachable: sign-in limits and cache are per process)"


@bp.route("/healthz")
def healthz():
    if not database_answers(db.session):
        return _health("database unavailable", 503)
    if not database_accepts_writes(db.session):
        return _health("database is read-only", 503)
    if not disk_has_room(db.engine):
        return _health("disk full", 503)
    # Losing Redis loses nothing but time: say so, and stay in the load balancer.
    return _health("ok" if limiter.storage.check() else f"ok\n{REDIS_DEGRADED}", 200)


def _health(text: str, status: int):
    return text, status, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
