"""Sign up, sign in and sign out."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from portal.accounts import reset
from portal.accounts import services as users
from portal.accounts.forms import (
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from portal.accounts.models import normalize_email
from portal.errors import Conflict, DomainError, NotAllowed
from portal.extensions import limiter

bp = Blueprint("auth", __name__, url_prefix="/auth")
# Failed sign-ins are counted per account *and address*: a stranger hammering an account
# pauses only their own address, and the owner signs in from theirs as usual.
SIGN_IN_LIMIT = "10 per 15 minutes"  # failed attempts at one account from one address
# One address trying many accounts; looser, since an office behind one NAT shares it.
ADDRESS_LIMIT = "30 per 15 minutes"  # failed attempts from one address, any account
SIGN_UP_LIMIT = "10 per hour"  # sign-up forms sent from one address
PAUSED_SIGN_IN = (
    "Too many failed sign-ins from your address. Signing in from here is paused for "
    "15 minutes; from anywhere else your password still works."
)
PAUSED_SIGN_UP = "Too many sign-ups from your address. Try again in an hour."
# Reset links asked for: per address, and per account (from anywhere), like sign-in.
RESET_LIMIT = "5 per 15 minutes"
PAUSED_RESET = "Too many reset links asked for. Try again in 15 minutes."
RESET_SENT = (
    "If {email} has an account, we have sent it a link to choose a new password. The link "
    "works once, for an hour. Nothing arrived? Check the address, and your spam folder."
)


def _failed(response) -> bool:
    return response.status_code == 422


def _reset_account() -> str:
    return "reset:" + normalize_email(request.form.get("email", ""))


def _account_and_address() -> str:
    email = normalize_email(request.form.get("email", ""))
    return f"sign-in:{email}|{request.remote_addr}"


audit = logging.getLogger("flipside.audit")

BAD_CREDENTIALS = "That email and password do not match an account."
# FLIPSIDE_SSO_ONLY: the same answer whether the password was right or not, so that nobody
# learns a password (or which accounts are local) from it.
SSO_ONLY_CREDENTIALS = (
    "That email and password do not match a local administrator account. Everyone else signs "
    "in with the button above."
)


def sso_only() -> bool:
    """FLIPSIDE_SSO_ONLY: passwords only for accounts made with `flask create-user`."""
    return bool(current_app.config.get("FLIPSIDE_SSO_ONLY"))


def safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after sign-in, never another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(ADDRESS_LIMIT, methods=["POST"], deduct_when=_failed, error_message=PAUSED_SIGN_IN)
@limiter.limit(
    SIGN_IN_LIMIT,
    methods=["POST"],
    deduct_when=_failed,
    key_func=_account_and_address,
    error_message=PAUSED_SIGN_IN,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        deactivated = None
        try:
            user = users.authenticate(
                form.email.data, form.password.data, current_app.config["PASSWORD_HASH_METHOD"]
            )
        except NotAllowed as exc:  # the right password of a deactivated account: say why
            user, deactivated = None, exc.message
        if user is not None and sso_only() and not user.is_local_account:
            user = None  # under FLIPSIDE_SSO_ONLY only local accounts use a password
        if deactivated:
            # AUDIT: sign-in-failed
            audit.warning("sign-in refused: account deactivated, from %s", request.remote_addr)
            form.email.errors.append(deactivated)
        elif user is None:
            # AUDIT: sign-in-failed
            audit.warning("failed sign-in for %s from %s", form.email.data, request.remote_addr)
            form.password.errors.append(SSO_ONLY_CREDENTIALS if sso_only() else BAD_CREDENTIALS)
        else:
            audit.info("user %s signed in from %s", user.id, request.remote_addr)
            session.clear()  # a fresh session at sign-in
            login_user(user, remember=form.remember.data)
            flash(f"Welcome back, {user.name}.", "success")
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


SIGNED_UP = (
    "Thank you. If {email} was new here, its account is ready: sign in with the password "
    "you just chose. If it already had an account, sign in with that account's password."
)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(SIGN_UP_LIMIT, methods=["POST"], error_message=PAUSED_SIGN_UP)
def register():
    """Sign up; the answer is the same whether or not the email already has an account."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    if sso_only():
        return render_template("auth/sso_only.html"), 200 if request.method == "GET" else 403
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = users.create_user(
                form.email.data,
                form.name.data,
                form.password.data,
                job_title=form.job_title.data or "",
                seniority=form.seniority.data,
                hash_method=current_app.config["PASSWORD_HASH_METHOD"],
            )
        except Conflict:
            audit.info("sign-up refused: the email already has an account")
            return _signed_up(form.email.data, request.args.get("next"))
        except DomainError as exc:
            getattr(form, exc.field or "email").errors.append(exc.message)
        else:
            audit.info("user %s signed up", user.id)
            return _signed_up(form.email.data, request.args.get("next"))
    return render_template("auth/register.html", form=form), 200 if not form.errors else 422


def _signed_up(email: str, then: str | None = None):
    """Send a new (or existing) account's person to sign in, and on to where they were going
    (an invite link, say: same-site paths only), else to their profile."""
    flash(SIGNED_UP.format(email=normalize_email(email)), "success")
    return redirect(url_for("auth.login", next=safe_next(then) or url_for("accounts.edit_profile")))


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout():
    if request.method == "GET":
        return render_template("auth/logout.html")
    audit.info("user %s signed out everywhere", current_user.id)
    users.end_all_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("main.index"))


# Short addresses people type: /login, /register, /logout lead to the /auth/ pages.
shortcuts_bp = Blueprint("auth_shortcuts", __name__)


@shortcuts_bp.route("/<any(login, register, logout):page>", methods=["GET", "POST"])
def shortcut(page: str):
    """308 keeps the method and the query string (?next=…), so a POST still lands as a POST."""
    target = url_for(f"auth.{page}")
    query = request.query_string.decode("latin-1")
    return redirect(f"{target}?{query}" if query else target, code=308)


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT, methods=["POST"], error_message=PAUSED_RESET)
@limiter.limit(RESET_LIMIT, methods=["POST"], key_func=_reset_account, error_message=PAUSED_RESET)
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.change_password"))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        reset.request_reset(form.email.data)
        audit.info("password reset asked for from %s", request.remote_addr)
        flash(RESET_SENT.format(email=normalize_email(form.email.data)), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), 200 if not form.errors else 422


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password through a link from the email (once, within the hour)."""
    user = reset.user_for(token)
    if user is None:
        return render_template("auth/reset_expired.html"), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset.reset_password(
                user, form.password.data, current_app.config["PASSWORD_HASH_METHOD"]
            )
        except DomainError as exc:
            form.password.errors.append(exc.message)
        else:
            audit.info("user %s chose a new password through a reset link", user.id)
            logout_user()
            session.clear()
            flash(
                "Your new password is set, and you are signed out everywhere. Sign in.", "success"
            )
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, user=user), 200 if not form.errors else 422
