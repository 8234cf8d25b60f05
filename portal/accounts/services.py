"""Account services: sign-up, sign-in and profile changes. No Flask request in here."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from portal.accounts import passwords
from portal.accounts.models import User, normalize_email
from portal.errors import Conflict, DomainError, NotAllowed
from portal.extensions import db

DUPLICATE_EMAIL = "An account with this email already exists. Sign in instead?"
DEACTIVATED = (
    "This account is deactivated, so it cannot sign in. A program coordinator can turn it "
    "back on: ask the one who runs your program."
)


@dataclass
class ProfileData:
    name: str
    job_title: str = ""
    seniority: int = 1
    bio: str = ""
    timezone: str | None = None
    expertise_ids: list[int] = field(default_factory=list)
    interest_ids: list[int] = field(default_factory=list)


def find_by_email(email: str) -> User | None:
    """The account with this address, compared case-insensitively."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(
    email: str,
    name: str,
    password: str,
    *,
    job_title: str = "",
    seniority: int = 1,
    coordinator: bool = False,
    hash_method: str = "scrypt",
    local: bool = False,
) -> User:
    """Create an account; raise Conflict when the email is taken. `local`: made on the server."""
    check_password_strength(password, email)
    user = User(
        email=normalize_email(email),
        name=name.strip(),
        job_title=job_title.strip(),
        seniority=seniority,
        is_coordinator=coordinator,
        is_local_account=local,
    )
    user.set_password(password, method=hash_method)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError as exc:  # the unique index decides, also under concurrent sign-ups
        db.session.rollback()
        raise Conflict(DUPLICATE_EMAIL, field="email") from exc
    return user


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not-a-real-password", method=method)


def authenticate(email: str, password: str, hash_method: str = "scrypt") -> User | None:
    """The active account for these credentials, or None.

    An unknown email, or an account without a password yet, costs one hash check too, so
    timing does not tell which emails exist.
    """
    user = find_by_email(email)
    if user is None or not user.has_password:  # an imported account chooses one by link
        check_password_hash(_dummy_hash(hash_method), password)
        return None
    if not user.check_password(password):
        return None
    if not user.is_active:  # said only to someone who knows the password
        raise NotAllowed(DEACTIVATED, field="email")
    return user


def update_profile(user: User, data: ProfileData, topics: Iterable) -> User:
    """Replace the profile fields and topic lists of `user`."""
    by_id = {topic.id: topic for topic in topics}
    user.name = data.name.strip()
    user.job_title = data.job_title.strip()
    user.seniority = data.seniority
    user.bio = data.bio.strip()
    user.timezone = data.timezone or None
    user.expertise = [by_id[i] for i in data.expertise_ids if i in by_id]
    user.interests = [by_id[i] for i in data.interest_ids if i in by_id]
    db.session.commit()
    return user


def end_all_sessions(user: User) -> None:
    """Sign this person out everywhere: every session and remember-me cookie stops working."""
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(user)


def reset_calendar_link(user: User) -> None:
    """Give this person a new calendar feed address; the old one stops working."""
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(calendar_version=User.calendar_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(user)


def change_password(user: User, current: str, new: str, hash_method: str = "scrypt") -> None:
    """Set a new password after checking the current one; other sessions end."""
    if not user.check_password(current):
        raise DomainError("That is not your current password.", field="current")
    check_password_strength(new, user.email)
    user.set_password(new, method=hash_method)
    db.session.commit()
    end_all_sessions(user)


def set_active(user: User, active: bool) -> None:
    """Disable or re-enable an account; disabling ends its sessions and its unsent email."""
    if user.is_deleted:
        raise Conflict("This account was deleted by its owner; it cannot be turned back on.")
    user.is_active_account = active
    if not active:
        from portal.notifications.services import forget_unsent

        forget_unsent(user)
    db.session.commit()
    if not active:
        end_all_sessions(user)


def check_password_strength(password: str, email: str = "") -> None:
    """Refuse common, patterned and email-based passwords."""
    reason = passwords.weakness(password, email)
    if reason:
        raise DomainError(reason, field="password")


def ids_from_emails(text: str) -> list[int]:
    """Account ids for emails pasted as a list (commas, spaces or new lines)."""
    ids = []
    for email in filter(None, re.split(r"[\s,;]+", text or "")):
        person = find_by_email(email)
        if person is None:
            raise DomainError(f"No account uses {email}.", field="emails")
        ids.append(person.id)
    return ids
