"""Program invite links: made by a coordinator, opened by anyone, used once per person.

The address is a signature (SECRET_KEY) of the link's id and a random nonce kept with it: it
cannot be guessed or altered, and the coordinator can copy it again at any time. Each use is
counted by one atomic UPDATE that also checks that the link is still good, so a link for
20 people lets in 20, also when many open it at once. No Flask request in here.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import User
from portal.clock import utcnow
from portal.errors import Conflict, DomainError, NotAllowed, NotFound
from portal.extensions import db
from portal.notifications.services import notify
from portal.programs.models import InviteLink, Member, Program, ProgramStatus

SALT = "program-invite-link"
ROLES = ("mentor", "mentee")
LONGEST = timedelta(days=366)  # a link is for an intake, not forever

GONE = {
    "revoked": "This invite link was withdrawn by the program's coordinator.",
    "expired": "This invite link has expired.",
    "used_up": "This invite link has been used as many times as it allows.",
    "closed": "This program no longer takes new people.",
}


class LinkGone(DomainError):
    """The link was real but no longer lets anyone in (410)."""

    status = 410

    def __init__(self, reason: str):
        super().__init__(GONE[reason])
        self.reason = reason


class WrongDomain(NotAllowed):
    """The signed-in person's address is not of the link's domain (403)."""


@dataclass
class LinkData:
    role: str
    expires_on: date  # the link works to the end of this day, in `zone`
    zone: str
    email_domain: str = ""
    max_uses: int | None = None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(link: InviteLink) -> str:
    """The part of the address after /programs/join/."""
    return _serializer().dumps([link.id, link.nonce])


def link_for(token: str) -> InviteLink:
    """The link this token names; NotFound for anything not made by this portal."""
    try:
        link_id, nonce = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError) as exc:
        raise NotFound("This is not an invite link of this portal.") from exc
    link = db.session.get(InviteLink, link_id) if isinstance(link_id, int) else None
    if link is None or not hmac.compare_digest(str(nonce), link.nonce):
        raise NotFound("This is not an invite link of this portal.")
    return link


def normalize_domain(text: str) -> str:
    """`@Example.COM ` → `example.com`; refuse what is not a domain."""
    domain = text.strip().lower().removeprefix("@")
    if domain and (
        "." not in domain
        or any(not part or not part.replace("-", "").isalnum() for part in domain.split("."))
    ):
        raise DomainError("Enter a domain such as example.com, or leave it empty.", "email_domain")
    return domain


def _end_of_day(day: date, zone: str) -> datetime:
    local = datetime.combine(day + timedelta(days=1), time.min, tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC)


def create(program: Program, coordinator: User, data: LinkData) -> InviteLink:
    """A new link for `program`; the caller checked that `coordinator` runs programs."""
    if program.status == ProgramStatus.CLOSED or program.archived_at:
        raise Conflict("This program is closed: it takes no new people.")
    if data.role not in ROLES:
        raise DomainError("Choose mentor or mentee.", field="role")
    expires_at = _end_of_day(data.expires_on, data.zone)
    now = utcnow()
    if expires_at <= now:
        raise DomainError("Choose a day from today on.", field="expires_on")
    if expires_at - now > LONGEST:
        raise DomainError("Choose a day within a year from today.", field="expires_on")
    if data.max_uses is not None and not 1 <= data.max_uses <= 10_000:
        raise DomainError("Enter 1 to 10,000, or leave it empty.", field="max_uses")
    link = InviteLink(
        program_id=program.id,
        role=data.role,
        nonce=secrets.token_urlsafe(24),
        email_domain=normalize_domain(data.email_domain),
        expires_at=expires_at,
        max_uses=data.max_uses,
        created_by_id=coordinator.id,
    )
    db.session.add(link)
    db.session.commit()
    # AUDIT: invite-link-created
    return link


def links_of(program_id: int) -> list[InviteLink]:
    """The program's links, newest first."""
    return list(
        db.session.scalars(
            select(InviteLink)
            .where(InviteLink.program_id == program_id)
            .order_by(InviteLink.created_at.desc(), InviteLink.id.desc())
        )
    )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite returns naive UTC


def state(link: InviteLink, now: datetime | None = None) -> str:
    """'active', or why the link no longer lets anyone in (a key of GONE)."""
    if link.revoked_at is not None:
        return "revoked"
    if _aware(link.expires_at) <= (now or utcnow()):
        return "expired"
    if link.max_uses is not None and link.uses >= link.max_uses:
        return "used_up"
    if link.program.status == ProgramStatus.CLOSED or link.program.archived_at:
        return "closed"
    return "active"


def check_open(link: InviteLink) -> None:
    """LinkGone unless the link still lets people in."""
    reason = state(link)
    if reason != "active":
        raise LinkGone(reason)


def domain_allows(link: InviteLink, email: str) -> bool:
    return not link.email_domain or email.rsplit("@", 1)[-1].lower() == link.email_domain


def check_person(link: InviteLink, user: User) -> None:
    """WrongDomain when the link is for another domain's addresses."""
    if not domain_allows(link, user.email):
        raise WrongDomain(
            f"This invite link is only for addresses ending in @{link.email_domain}; you are "
            f"signed in as {user.email}."
        )


def membership(link: InviteLink, user: User) -> Member | None:
    return db.session.scalar(
        select(Member).where(Member.program_id == link.program_id, Member.user_id == user.id)
    )


def join(link: InviteLink, user: User) -> Member:
    """Count one use and invite `user` as the link's role, in one transaction: either both
    happen or neither. Someone already in the program is told so; no use is counted."""
    check_open(link)
    check_person(link, user)
    if membership(link, user) is not None:
        raise Conflict("You are already in this program.")
    counted = db.session.execute(
        update(InviteLink)
        .where(
            InviteLink.id == link.id,
            InviteLink.revoked_at.is_(None),
            InviteLink.expires_at > utcnow(),
            or_(InviteLink.max_uses.is_(None), InviteLink.uses < InviteLink.max_uses),
        )
        .values(uses=InviteLink.uses + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not counted:  # someone else took the last place, or it was revoked meanwhile
        db.session.rollback()
        db.session.refresh(link)
        raise LinkGone(state(link) if state(link) != "active" else "used_up")
    member = Member(
        program_id=link.program_id,
        user_id=user.id,
        role=link.role,
        capacity=1 if link.role == "mentor" else 0,
    )
    db.session.add(member)
    try:
        db.session.flush()
    except IntegrityError as exc:  # joined twice at once: the second one counts nothing
        db.session.rollback()
        raise Conflict("You are already in this program.") from exc
    program = link.program
    notify(
        user,
        "program_invitation",
        f"You joined “{program.name}” through an invite link as a {link.role}. Say whether "
        "you will take part.",
        f"/programs/{program.id}#answer-h",
        subject=f"Invitation: {program.name}",
    )
    db.session.commit()
    db.session.refresh(link)
    return member


def revoke(link: InviteLink) -> None:
    """The link stops working at once; the people who joined through it stay invited."""
    db.session.execute(
        update(InviteLink)
        .where(InviteLink.id == link.id, InviteLink.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(link)
    # AUDIT: invite-link-revoked
