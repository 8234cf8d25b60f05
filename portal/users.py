"""Account services: sign-up, sign-in and profile changes. No Flask request in here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from portal.errors import Conflict
from portal.extensions import db
from portal.models import User, normalize_email

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


def all_topics() -> list:
    """Every topic by name. Topic lives in `lessons`, which builds on `portal`, so it is
    reached through the relationship rather than imported."""
    topic = User.expertise.property.mapper.class_
    return list(db.session.scalars(select(topic).order_by(topic.name)))


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
