"""Request-wide behaviour: sign-in loading, error pages, headers and template helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, jsonify, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup, escape
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from portal.accounts.models import User
from portal.errors import DomainError
from portal.extensions import db, login_manager

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

ERROR_TEXT = {
    400: ("Something in that request was not right", "Go back, check the form and try again."),
    403: ("You can't do that here", "Your account does not have access to this page or action."),
    404: ("We couldn't find that page", "It may have been moved, archived or never published."),
    405: ("That action is not available here", "Use the buttons on the page instead."),
    409: ("That has already happened", "The page you acted on was out of date."),
    410: ("That link has been used", "Each link works once."),
    413: ("That was too large", "Shorten the text or the file and try again."),
    429: ("Too many tries", "For your safety, this is paused for a while. Try again later."),
    422: ("Something in that request was not right", "Check the form and try again."),
    500: ("Something went wrong on our side", "Nothing you did caused this. Please try again."),
    503: (
        "The portal is unavailable for a moment",
        "Its database is not answering. Nothing you did caused this; try again in a minute.",
    ),
}


def init_app(app: Flask) -> None:
    """Wire sign-in, error handling, headers and template helpers into the app."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(_load_user)

    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(OperationalError, _database_down)
    app.before_request(_refuse_nul_characters)
    app.after_request(_security_headers)
    app.after_request(_error_title)
    app.add_template_filter(localtime)
    app.add_template_filter(nl2br)
    app.context_processor(lambda: {"now_utc": datetime.now(UTC)})


def _error_title(response):
    """A form shown again with its errors (422, the rule of every view) says so first in the
    page's title, GOV.UK's "Error: " prefix, so that it is the first thing read."""
    if (
        response.status_code == 422
        and response.mimetype == "text/html"
        and not response.is_streamed
    ):
        page = response.get_data(as_text=True)
        if 'class="error-summary"' in page and "<title>Error: " not in page:
            response.set_data(page.replace("<title>", "<title>Error: ", 1))
    return response


def _load_user(session_id: str) -> User | None:
    """The signed-in person, unless their sessions were ended since this one began."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user


def _render_error(status: int, detail: str | None = None, *, database: bool = True):
    title, hint = ERROR_TEXT.get(status, ERROR_TEXT[400 if status < 500 else 500])
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=title, detail=detail or hint), status
    if database:
        try:
            return _error_page(status, title, detail or hint)
        except SQLAlchemyError:  # the page needed the database (who is signed in) and it failed
            pass
    _without_database()
    return _error_page(status, title, detail or hint)


def _error_page(status: int, title: str, hint: str):
    return render_template("error.html", status=status, title=title, hint=hint), status


def _without_database() -> None:
    """Render the rest of this request as for a visitor: the menu needs no database then."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass
    login_manager._update_request_context_with_user()  # anonymous


def _database_down(exc: OperationalError):
    """The database refused or dropped the connection (or stayed locked): 503, so that a load
    balancer and the person both know to try again, on a page that needs no database."""
    current_app.logger.error("database unavailable: %s", exc.orig or exc)
    return _render_error(503, database=False)


def _http_error(exc: HTTPException):
    if exc.code is None or exc.code < 400:
        return exc
    if isinstance(exc, RateLimitExceeded) and exc.limit.error_message:
        return _render_error(exc.code, exc.description)  # the limit says what is paused
    return _render_error(exc.code)


def _csrf_error(exc: CSRFError):
    return _render_error(
        400, "The form had expired or was sent from elsewhere. Reload the page and try again."
    )


def _domain_error(exc: DomainError):
    return _render_error(exc.status, exc.message)


def _refuse_nul_characters():
    """NUL characters have no place in text and PostgreSQL refuses them: say so plainly."""
    if request.method == "POST" and any(
        "\x00" in value for _key, values in request.form.lists() for value in values
    ):
        return _render_error(
            400, "The form contained an invisible NUL character. Remove it and try again."
        )
    return None


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    # Pages show people's own records (and single-use links): never kept by a browser or a
    # proxy. Static files keep the header Flask gives them (revalidate by ETag).
    headers.setdefault("Cache-Control", "no-store")
    if current_app.config.get("FLIPSIDE_ENV") == "production":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def viewer_zone() -> ZoneInfo:
    """The viewer's own time zone, else the portal's."""
    own = getattr(current_user, "timezone", None) if current_user else None
    return ZoneInfo(own or current_app.config["FLIPSIDE_TIMEZONE"])


def localtime(value: datetime | None, fmt: str = "%d %b %Y, %H:%M") -> str:
    """Show a stored UTC time in the viewer's time zone."""
    if value is None:
        return ""
    if value.tzinfo is None:  # SQLite returns naive datetimes; they are UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(viewer_zone()).strftime(fmt)


def nl2br(value: str) -> Markup:
    """Plain text with its line breaks kept, escaped."""
    return Markup("<br>\n").join(escape(value).split("\n"))
