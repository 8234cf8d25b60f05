"""Forgotten passwords: a single-use link, valid for an hour, sent by email.

The link carries the account's id and a fingerprint of its password hash and session
version, signed with the app's secret and a timestamp (itsdangerous). Setting a new password
changes the hash, so a used link stops working; so does any other sign-out everywhere.
Nothing is stored: there is no table of tokens to leak.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal.accounts import services as users
from portal.accounts.models import User
from portal.extensions import db
from portal.notifications import mail
from portal.notifications.services import absolute_url

VALID_FOR_S = 3600
# A welcome link (an imported account's first password) waits longer in a busy inbox; it is
# single-use the same way: choosing the password changes the fingerprint.
WELCOME_VALID_FOR_S = 14 * 24 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="flipside-password-reset")


def _fingerprint(user: User) -> str:
    return fingerprint(user.password_hash, user.session_version)


def fingerprint(password_hash: str, session_version: int) -> str:
    return hashlib.sha256(f"{password_hash}|{session_version}".encode()).hexdigest()[:24]


def reset_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def welcome_token(user_id: int, password_hash: str = "", session_version: int = 1) -> str:
    """A link to choose the first password, valid for two weeks (ids known before the row is
    loaded: the import writes accounts in bulk)."""
    return _serializer().dumps(
        {"u": user_id, "f": fingerprint(password_hash, session_version), "w": 1}
    )


def user_for(token: str) -> User | None:
    """The account a reset link is for, while the link is valid; else None."""
    try:
        claims = _serializer().loads(token, max_age=WELCOME_VALID_FOR_S)
        if isinstance(claims, dict) and claims.get("w") != 1:  # a reset link: an hour
            claims = _serializer().loads(token, max_age=VALID_FOR_S)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(claims, dict):
        return None
    user = db.session.get(User, claims.get("u")) if isinstance(claims.get("u"), int) else None
    if user is None or not user.is_active_account or claims.get("f") != _fingerprint(user):
        return None
    return user if may_reset(user) else None


def may_reset(user: User) -> bool:
    """Under FLIPSIDE_SSO_ONLY only local accounts (`flask create-user`) have passwords."""
    return user.is_local_account or not current_app.config.get("FLIPSIDE_SSO_ONLY")


def request_reset(email: str) -> None:
    """Email a reset link if the address has an active account; do nothing visible otherwise."""
    user = users.find_by_email(email)
    if user is None or not user.is_active_account or not may_reset(user):
        return
    db.session.add(
        mail.account_message(
            user,
            "Choose a new Flipside password",
            "password_reset",
            link=absolute_url(f"/auth/reset/{reset_token(user)}"),
            minutes=VALID_FOR_S // 60,
        )
    )
    db.session.commit()


def reset_password(user: User, new: str, hash_method: str) -> None:
    """Set the new password; every session of the account ends (this link too)."""
    users.check_password_strength(new, user.email)
    user.set_password(new, method=hash_method)
    db.session.commit()
    users.end_all_sessions(user)
