"""Single sign-on accounts: who a verified OpenID sign-in is, and linking it. No Flask request.

The provider's `sub` at its issuer is the link key (emails change; `sub` does not). A first
sign-in with a verified email creates the account. An account that already has a password is
linked only after its owner signs in with that password once: an identity provider vouching for
an address is not proof that the person owns the Flipside account made with it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import Identity, User, normalize_email
from portal.clock import utcnow
from portal.errors import DomainError
from portal.extensions import db


class Problem(enum.StrEnum):
    """Why a single sign-on was refused; each has its own explanation page."""

    FAILED = "failed"  # state, code, signature, audience, expiry, nonce, issuer: not trusted
    CANCELLED = "cancelled"  # the provider answered with an error (the person said no…)
    UNAVAILABLE = "unavailable"  # the provider did not answer
    UNVERIFIED = "unverified"  # no email, or one the provider has not verified
    DEACTIVATED = "deactivated"
    OTHER_IDENTITY = "other-identity"  # the account is linked to another sign-in there


class Refused(DomainError):
    status = 403

    def __init__(self, problem: Problem):
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Claims:
    """What Flipside takes from the verified ID token (and the userinfo endpoint)."""

    issuer: str
    subject: str
    email: str
    email_verified: bool
    name: str

    @classmethod
    def from_token(cls, issuer: str, claims: dict) -> Claims:
        email = normalize_email(str(claims.get("email") or ""))
        name = " ".join(str(claims.get("name") or "").split())[:120]
        return cls(
            issuer=issuer,
            subject=str(claims["sub"]),
            email=email,
            # Only a JSON true counts: "false", a missing claim or "yes" are not verification.
            email_verified=claims.get("email_verified") is True,
            name=name or email.partition("@")[0],
        )


class Outcome(enum.StrEnum):
    SIGNED_IN = "signed-in"  # a known identity
    CREATED = "created"  # a new account
    LINKED = "linked"  # an account without a password (imported), now linked
    NEEDS_PASSWORD = "needs-password"  # an account with a password: its owner proves it first


def resolve(claims: Claims) -> tuple[Outcome, User]:
    """Who this verified sign-in is: a linked account, a new one, or one waiting for proof."""
    identity = _identity(claims.issuer, claims.subject)
    if identity is not None:
        _check_active(identity.user)
        identity.last_used_at = utcnow()
        db.session.commit()
        return Outcome.SIGNED_IN, identity.user
    if not claims.email_verified or "@" not in claims.email or len(claims.email) > 254:
        raise Refused(Problem.UNVERIFIED)
    user = db.session.scalar(select(User).where(User.email == claims.email))
    if user is None:
        return Outcome.CREATED, _create(claims)
    _check_active(user)
    if _linked_at(user, claims.issuer):
        raise Refused(Problem.OTHER_IDENTITY)
    if user.has_password:
        return Outcome.NEEDS_PASSWORD, user
    link(user, claims)  # made for this address by a coordinator, never claimed
    return Outcome.LINKED, user


def link(user: User, claims: Claims) -> Identity:
    """Link the sign-in to the account (after the password proved it is theirs)."""
    _check_active(user)
    if _linked_at(user, claims.issuer):
        raise Refused(Problem.OTHER_IDENTITY)
    identity = Identity(user=user, issuer=claims.issuer, subject=claims.subject, email=claims.email)
    db.session.add(identity)
    try:
        db.session.commit()
    except IntegrityError as exc:  # the same sign-in linked elsewhere meanwhile
        db.session.rollback()
        raise Refused(Problem.OTHER_IDENTITY) from exc
    return identity


def _create(claims: Claims) -> User:
    user = User(email=claims.email, name=claims.name, password_hash="")
    db.session.add(user)
    db.session.add(
        Identity(user=user, issuer=claims.issuer, subject=claims.subject, email=claims.email)
    )
    try:
        db.session.commit()
    except IntegrityError:  # a second tab's first sign-in won the race: use what it made
        db.session.rollback()
        identity = _identity(claims.issuer, claims.subject)
        if identity is None:
            raise
        return identity.user
    return user


def _identity(issuer: str, subject: str) -> Identity | None:
    return db.session.scalar(
        select(Identity).where(Identity.issuer == issuer, Identity.subject == subject)
    )


def _linked_at(user: User, issuer: str) -> bool:
    return (
        db.session.scalar(
            select(Identity.id).where(Identity.user_id == user.id, Identity.issuer == issuer)
        )
        is not None
    )


def _check_active(user: User) -> None:
    if not user.is_active:
        raise Refused(Problem.DEACTIVATED)
