"""Account services: sign-up, sign-in and profile changes. No Flask request in here."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from portal.accounts.models import User, normalize_email
from portal.errors import Conflict, DomainError
from portal.extensions import db

DUPLICATE_EMAIL = "An account with this email already exists. Sign in instead?"


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
) -> User:
    """Create an account; raise Conflict when the email is taken."""
    check_password_strength(password, email)
    user = User(
        email=normalize_email(email),
        name=name.strip(),
        job_title=job_title.strip(),
        seniority=seniority,
        is_coordinator=coordinator,
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

    An unknown email costs one hash check too, so timing does not tell which emails exist.
    """
    user = find_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(hash_method), password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
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


def change_password(user: User, current: str, new: str, hash_method: str = "scrypt") -> None:
    """Set a new password after checking the current one; other sessions end."""
    if not user.check_password(current):
        raise DomainError("That is not your current password.", field="current")
    check_password_strength(new, user.email)
    user.set_password(new, method=hash_method)
    db.session.commit()
    end_all_sessions(user)


def set_active(user: User, active: bool) -> None:
    """Disable or re-enable an account; disabling ends its sessions."""
    user.is_active_account = active
    db.session.commit()
    if not active:
        end_all_sessions(user)


def check_password_strength(password: str, email: str = "") -> None:
    """Refuse very common passwords and ones built from the email address."""
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or lowered.rstrip("0123456789!") in COMMON_PASSWORDS:
        raise DomainError(
            "This password is one of the most common ones; choose another.", field="password"
        )
    local = email.split("@")[0].lower()
    if len(local) >= 4 and local in lowered:
        raise DomainError("Do not build the password from your email address.", field="password")


COMMON_PASSWORDS = frozenset(
    """123456 123456789 12345678 password qwerty123 qwerty 1q2w3e4r 111111 12345 1234567
    1234567890 123123 000000 abc123 password1 iloveyou 1qaz2wsx qwertyuiop 123321 dragon
    monkey letmein football baseball sunshine princess welcome shadow superman master
    michael jennifer hunter trustno1 passw0rd starwars whatever qazwsx 654321 555555 666666
    7777777 888888 987654321 zaq12wsx asdfghjkl asdfgh asdf1234 qwer1234 1234qwer password123
    password12 admin admin123 administrator root changeme welcome1 welcome123 secret
    letmein123 login guest test test123 default 11111111 00000000 121212 aaaaaa computer
    internet freedom flower hello hello123 summer winter spring autumn charlie jordan
    liverpool chelsea arsenal soccer hockey killer pokemon batman tigger purple orange
    banana cookie cheese ginger buster maggie pepper hannah samsung google microsoft apple
    p@ssw0rd p@ssword passpass mypassword newpassword abcd1234 abcdefgh 1q2w3e4r5t
    q1w2e3r4 zxcvbnm zxcvbn 1a2b3c4d flipside flipside123 company company123""".split()
)


def ids_from_emails(text: str) -> list[int]:
    """Account ids for emails pasted as a list (commas, spaces or new lines)."""
    ids = []
    for email in filter(None, re.split(r"[\s,;]+", text or "")):
        person = find_by_email(email)
        if person is None:
            raise DomainError(f"No account uses {email}.", field="emails")
        ids.append(person.id)
    return ids
