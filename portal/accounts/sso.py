"""Single sign-on with an OpenID provider: the authorization-code flow with PKCE, state and nonce.

Authlib does the protocol: discovery from the issuer, the S256 code challenge, `state` and
`nonce` kept in the session, and the ID token's verification (its signature against the
provider's published keys, `iss`, `aud`, `exp`, `iat` and `nonce`). This module only decides
what a verified sign-in means here (`identities`) and shows the pages around it.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from joserfc.errors import JoseError

from portal.accounts import identities
from portal.accounts import services as users
from portal.accounts.auth import ADDRESS_LIMIT, PAUSED_SIGN_IN, SIGN_IN_LIMIT, safe_next
from portal.accounts.forms import LinkAccountForm, SingleSignOnForm
from portal.accounts.identities import Claims, Outcome, Problem, Refused
from portal.accounts.models import User
from portal.config import sso_configured
from portal.extensions import db, limiter

bp = Blueprint("sso", __name__, url_prefix="/auth/sso")
audit = logging.getLogger("flipside.audit")

CLIENT_KEY = "flipside_sso"
SCOPES = "openid email profile"
LEEWAY_S = 60  # clock difference tolerated between the provider and this server
LINK_VALID_S = 15 * 60
PROVIDER_TIMEOUT_S = 10
STATE_PREFIX = "_state_oidc_"  # where Authlib keeps a flow's state, nonce and PKCE verifier
STATUS = {
    Problem.FAILED: 400,
    Problem.CANCELLED: 400,
    Problem.UNAVAILABLE: 502,
    Problem.UNVERIFIED: 403,
    Problem.DEACTIVATED: 403,
    Problem.OTHER_IDENTITY: 409,
}


def init_app(app: Flask) -> None:
    """Register the SSO pages, and the OpenID client when the provider is configured."""
    app.register_blueprint(bp)
    # Authlib's debug lines include the PKCE code verifier: never let them reach a log.
    logging.getLogger("authlib").setLevel(logging.INFO)
    app.jinja_env.globals["sso_enabled"] = lambda: sso_configured(current_app.config)
    if not sso_configured(app.config):
        return
    oauth = OAuth(app)
    oauth.register(
        "oidc",
        client_id=app.config["FLIPSIDE_OIDC_CLIENT_ID"],
        client_secret=app.config["FLIPSIDE_OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer(app.config)}/.well-known/openid-configuration",
        client_kwargs={
            "scope": SCOPES,
            "code_challenge_method": "S256",
            "default_timeout": PROVIDER_TIMEOUT_S,
        },
    )
    app.extensions[CLIENT_KEY] = oauth
    app.after_request(_let_the_button_reach_the_provider)


def _let_the_button_reach_the_provider(response):
    """The sign-in page's form may lead to the provider: browsers apply the page's CSP
    `form-action` to where a form's answer redirects, so the provider's origin is named."""
    if request.endpoint != "auth.login" or "Content-Security-Policy" not in response.headers:
        return response
    origins = " ".join(sorted(_provider_origins()))
    policy = response.headers["Content-Security-Policy"]
    response.headers["Content-Security-Policy"] = policy.replace(
        "form-action 'self'", f"form-action 'self' {origins}"
    )
    return response


def _provider_origins() -> set[str]:
    urls = [issuer(current_app.config)]
    try:
        urls.append(_client().load_server_metadata().get("authorization_endpoint", ""))
    except (requests.RequestException, ValueError, AuthlibBaseError):
        pass  # not reachable now: the button's answer will say so
    return {f"{u.scheme}://{u.netloc}" for u in map(urlsplit, urls) if u.scheme and u.netloc}


def issuer(config) -> str:
    return config["FLIPSIDE_OIDC_ISSUER"].rstrip("/")


def _client():
    oauth = current_app.extensions.get(CLIENT_KEY)
    if oauth is None:
        abort(404)
    return oauth.create_client("oidc")


def _redirect_uri() -> str:
    """The callback registered at the provider: the site's address as people reach it."""
    return current_app.config["FLIPSIDE_BASE_URL"].rstrip("/") + url_for("sso.callback")


@bp.route("/start", methods=["POST"])
def start():
    """Send the person to the provider (a POST with the CSRF token, from the sign-in page)."""
    client = _client()
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    if not SingleSignOnForm().validate_on_submit():
        abort(400)
    # One sign-in under way per browser: pressing the button again forgets the earlier one's
    # state, nonce and verifier (each would otherwise stay in the session cookie).
    for key in [k for k in session if k.startswith(STATE_PREFIX)]:
        session.pop(key)
    try:
        _check_discovery(client)
        response = client.authorize_redirect(_redirect_uri())
    except (requests.RequestException, ValueError, AuthlibBaseError):
        current_app.logger.warning("the OpenID provider's discovery document did not load")
        return _problem(Problem.UNAVAILABLE)
    session["sso_next"] = safe_next(request.args.get("next"))
    return response


def _check_discovery(client) -> None:
    """The discovery document must name the issuer configured (OpenID Discovery, 4.3)."""
    metadata = client.load_server_metadata()
    if str(metadata.get("issuer", "")).rstrip("/") != issuer(current_app.config):
        raise ValueError("the discovery document names another issuer")


@bp.route("/callback")
def callback():
    """The provider sends the person back here with a code; the code becomes a verified
    ID token (or the sign-in is refused), then an account."""
    client = _client()
    try:
        claims = _verified_claims(client)
        outcome, user = identities.resolve(claims)
    except Refused as refused:
        # AUDIT: sign-in-failed
        audit.warning(
            "single sign-on refused (%s) from %s", refused.problem.value, request.remote_addr
        )
        return _problem(refused.problem)
    if outcome is Outcome.NEEDS_PASSWORD:
        return redirect(url_for("sso.link", token=link_token(user, claims)))
    if outcome in (Outcome.CREATED, Outcome.LINKED):
        # AUDIT: sso-link
        audit.info("user %s %s by single sign-on", user.id, outcome.value)
    return _sign_in(user, outcome)


def _verified_claims(client) -> Claims:
    """The ID token's claims, verified by Authlib; anything wrong is a refusal."""
    if request.args.get("error"):
        raise Refused(Problem.CANCELLED)
    sent_by = request.args.get("iss")  # RFC 9207: which provider answered (mix-up defence)
    if sent_by is not None and sent_by.rstrip("/") != issuer(current_app.config):
        raise Refused(Problem.FAILED)
    try:
        token = client.authorize_access_token(leeway=LEEWAY_S)
        # Authlib checks the ID token only when one came back: no ID token, no sign-in.
        if not token.get("userinfo"):
            raise Refused(Problem.FAILED)
        found = dict(token["userinfo"])
        if "email" not in found or "email_verified" not in found:
            found = _with_userinfo(client, token, found)
    except requests.RequestException as exc:
        current_app.logger.warning("the OpenID provider did not answer: %s", type(exc).__name__)
        raise Refused(Problem.UNAVAILABLE) from exc
    except (AuthlibBaseError, JoseError, ValueError, KeyError) as exc:
        current_app.logger.warning("single sign-on not trusted: %s", type(exc).__name__)
        raise Refused(Problem.FAILED) from exc
    return Claims.from_token(issuer(current_app.config), found)


def _with_userinfo(client, token: dict, claims: dict) -> dict:
    """Many providers put email in the userinfo answer, not the ID token (OpenID Core 5.4)."""
    extra = client.userinfo(token=token)
    if extra.get("sub") != claims.get("sub"):  # OpenID Core 5.3.2: must be the same person
        raise Refused(Problem.FAILED)
    return {**extra, **{k: v for k, v in claims.items() if k in ("sub", "iss", "aud")}}


FRESH_SECONDS = 600  # how long a sign-in with the provider vouches for the person


def signed_in_lately() -> bool:
    """This session began with a sign-in at the organisation's provider in the last ten
    minutes: it proves the person as a password would (before deleting an account)."""
    if session.get("signed_in_with") != "sso":
        return False
    return 0 <= time.time() - int(session.get("signed_in_at", 0)) < FRESH_SECONDS


def _sign_in(user: User, outcome: Outcome):
    target = session.get("sso_next")
    session.clear()  # a fresh session at sign-in, as for passwords
    login_user(user)
    # Other checks (a fresh sign-in before deleting the account) can ask how and when.
    session["signed_in_with"], session["signed_in_at"] = "sso", int(time.time())
    # AUDIT: sso-sign-in
    audit.info("user %s signed in by single sign-on from %s", user.id, request.remote_addr)
    if outcome is Outcome.CREATED:
        flash(
            f"Welcome, {user.name}. Your account is ready: tell people what you teach and "
            "want to learn.",
            "success",
        )
        return redirect(url_for("accounts.edit_profile"))
    if outcome is Outcome.LINKED:
        label = current_app.config["FLIPSIDE_OIDC_LABEL"]
        flash(f"Your account is linked. Next time, “{label}” signs you straight in.", "success")
    else:
        flash(f"Welcome back, {user.name}.", "success")
    return redirect(target or url_for("main.index"))


def _problem(problem: Problem):
    label = current_app.config["FLIPSIDE_OIDC_LABEL"]
    return render_template("auth/sso_problem.html", problem=problem.value, label=label), STATUS[
        problem
    ]


# Linking an account that has a password ---------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="flipside-sso-link")


def link_token(user: User, claims: Claims) -> str:
    """A signed note of the verified sign-in waiting for its password (nothing secret in it)."""
    data = {"u": user.id, "i": claims.issuer, "s": claims.subject, "e": claims.email}
    return _serializer().dumps({**data, "n": claims.name})


def pending_link(token: str) -> tuple[User, Claims] | None:
    """The account and the verified sign-in a link page is for, while it is valid."""
    try:
        data = _serializer().loads(token, max_age=LINK_VALID_S)
        user = db.session.get(User, int(data["u"]))
        claims = Claims(data["i"], data["s"], data["e"], True, data["n"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if user is None or user.email != claims.email or claims.issuer != issuer(current_app.config):
        return None
    return user, claims


def _link_account_and_address() -> str:
    """Wrong passwords here count against the account, like those on the sign-in page."""
    found = pending_link(request.view_args.get("token", "")) if request.view_args else None
    email = found[0].email if found else "unknown"
    return f"sign-in:{email}|{request.remote_addr}"


def _failed(response) -> bool:
    return response.status_code == 422


@bp.route("/link/<token>", methods=["GET", "POST"])
@limiter.limit(ADDRESS_LIMIT, methods=["POST"], deduct_when=_failed, error_message=PAUSED_SIGN_IN)
@limiter.limit(
    SIGN_IN_LIMIT,
    methods=["POST"],
    deduct_when=_failed,
    key_func=_link_account_and_address,
    error_message=PAUSED_SIGN_IN,
)
def link(token: str):
    """'An account with this email exists': its password, once, links the two sign-ins."""
    _client()
    found = pending_link(token)
    if found is None:
        return render_template("auth/sso_link_expired.html"), 410
    user, claims = found
    form = LinkAccountForm()
    if form.validate_on_submit():
        proved = users.authenticate(
            user.email, form.password.data, current_app.config["PASSWORD_HASH_METHOD"]
        )
        if proved is None or proved.id != user.id:
            # AUDIT: sign-in-failed
            audit.warning("failed password to link single sign-on for user %s", user.id)
            form.password.errors.append("That is not this account's password.")
        else:
            try:
                identities.link(user, claims)
            except Refused as refused:
                return _problem(refused.problem)
            # AUDIT: sso-link
            audit.info("user %s linked single sign-on after their password", user.id)
            return _sign_in(user, Outcome.LINKED)
    label = current_app.config["FLIPSIDE_OIDC_LABEL"]
    return render_template(
        "auth/sso_link.html", form=form, person=user, label=label
    ), 200 if not form.errors else 422
