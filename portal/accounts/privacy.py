"""The accounts area's part of a person's data (profile, mentorships, kudos, notifications),
deleting an account, and coordinators deactivating one. No Flask request in here."""

from __future__ import annotations

import secrets

from flask import Flask
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import aliased, selectinload

from portal.accounts import services as users
from portal.accounts.kudos import Kudos
from portal.accounts.models import (
    DELETED_DOMAIN,
    OPEN_STATUSES,
    Mentorship,
    MentorshipStatus,
    User,
)
from portal.accounts.personal_data import (
    FORMER_MEMBER,
    Deletion,
    Erasure,
    Rows,
    Section,
    erasures,
    register_erasure,
    register_section,
)
from portal.clock import utcnow
from portal.errors import Conflict, DomainError, NotAllowed
from portal.extensions import db
from portal.notifications.models import Notification, NotificationPreference, OutboxMessage
from portal.notifications.services import notify

NO_PASSWORD = (
    "Your account has no password (you sign in through your organisation or were imported), "
    "so the portal cannot confirm it is you. Sign out and sign in again with your "
    "organisation's account, then delete it within ten minutes; or set a password first "
    "(“Forgot your password?” on the sign-in page emails you a link) and delete it with that."
)


def init_app(app: Flask) -> None:
    register_section(app, Section("profile", "Your profile", profile_rows, order=0))
    register_section(app, Section("mentorships", "Your mentorships", mentorship_rows, 10))
    register_section(app, Section("kudos", "Kudos you received and gave", kudos_rows, 11))
    register_section(app, Section("notifications", "Your notifications", notification_rows, 90))
    register_erasure(app, Erasure("accounts", erase_identity, describe, order=100))


def _topics(topics) -> str:
    return "; ".join(t.name for t in topics)


def profile_rows(user: User) -> Rows:
    return [
        {
            "id": user.id,
            "name": user.name,
            "email": user.email,
            "job_title": user.job_title,
            "seniority": user.seniority,
            "coordinator": user.is_coordinator,
            "active": user.is_active_account,
            "timezone": user.timezone or "",
            "bio": user.bio,
            "can_teach": _topics(user.expertise),
            "wants_to_learn": _topics(user.interests),
            "created_at": user.created_at,
        }
    ]


def mentorship_rows(user: User) -> Rows:
    found = db.session.scalars(
        select(Mentorship)
        .where(or_(Mentorship.mentor_id == user.id, Mentorship.mentee_id == user.id))
        .options(
            selectinload(Mentorship.mentor),
            selectinload(Mentorship.mentee),
            selectinload(Mentorship.topics),
        )
        .order_by(Mentorship.created_at)
    )
    return [
        {
            "id": m.id,
            "your_role": "mentor" if m.mentor_id == user.id else "mentee",
            "with": m.other(user.id).name,
            "topics": _topics(m.topics),
            "status": m.status,
            "message": m.message,
            "asked_by_you": m.requested_by_id == user.id,
            "created_at": m.created_at,
            "answered_at": m.responded_at,
            "ended_at": m.ended_at,
            "end_reason": m.end_reason,
        }
        for m in found
    ]


def kudos_rows(user: User) -> Rows:
    recipient = aliased(User)
    found = db.session.execute(
        select(Kudos, recipient.name)
        .join(recipient, recipient.id == Kudos.to_id)
        .where(or_(Kudos.to_id == user.id, Kudos.from_id == user.id))
        .options(selectinload(Kudos.sender))
        .order_by(Kudos.created_at)
    )
    return [
        {
            "direction": "received" if k.to_id == user.id else "given",
            "from": k.sender.name,
            "to": to,
            "message": k.message,
            "created_at": k.created_at,
        }
        for k, to in found
    ]


def notification_rows(user: User) -> Rows:
    chosen = dict(
        db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.channel).where(
                NotificationPreference.user_id == user.id
            )
        ).all()
    )
    rows = [
        {"kind": kind, "channel": channel, "text": "(your chosen channel)"}
        for kind, channel in sorted(chosen.items())
    ]
    for n in db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    ):
        rows.append(
            {
                "kind": n.kind,
                "text": n.text,
                "link": n.link,
                "created_at": n.created_at,
                "read_at": n.read_at,
            }
        )
    return rows


# Deleting an account ---------------------------------------------------------------------


def describe(user: User) -> tuple[list[str], list[str]]:
    return (
        [
            "Your name, email address, password, job title, biography and topics: the "
            "account is shown as “Former member” from now on and cannot sign in again.",
            "Kudos you received, your notifications and every email waiting for you.",
        ],
        ["Nothing that names you: others see “Former member” where you took part."],
    )


def erase_identity(user: User, deletion: Deletion) -> None:
    """Name and email gone (a unique placeholder keeps the column unique), password cleared,
    profile emptied; kudos received, notifications and email waiting for them go."""
    address = user.email
    _end_mentorships(user)
    db.session.execute(delete(Kudos).where(Kudos.to_id == user.id))
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    db.session.execute(
        delete(NotificationPreference).where(NotificationPreference.user_id == user.id)
    )
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.to_address == address))
    user.name = FORMER_MEMBER
    user.email = f"former-{user.id}-{secrets.token_hex(6)}@{DELETED_DOMAIN}"
    user.password_hash = ""
    user.job_title = ""
    user.bio = ""
    user.timezone = None
    # seniority stays: reports tell reverse from peer pairs by it, and it names nobody
    user.is_coordinator = False
    user.is_active_account = False
    user.expertise = []
    user.interests = []


def _end_mentorships(user: User) -> None:
    """Open mentorships end (pending requests are declined); the other person is told."""
    found = db.session.scalars(
        select(Mentorship).where(
            or_(Mentorship.mentor_id == user.id, Mentorship.mentee_id == user.id),
            Mentorship.status.in_(OPEN_STATUSES),
        )
    ).all()
    for m in found:
        active = m.status == MentorshipStatus.ACTIVE
        m.status = MentorshipStatus.ENDED if active else MentorshipStatus.DECLINED
        m.ended_at, m.ended_by_id = (utcnow(), user.id) if active else (None, None)
        m.responded_at = m.responded_at or utcnow()
        m.end_reason = "The account was deleted." if active else ""
        notify(
            m.other(user.id),
            "mentorship_ended",
            f"{user.name} deleted their account, so your mentorship with them has ended."
            if active
            else f"{user.name} deleted their account, so their mentorship request is closed.",
            "/mentorships/",
        )


def check_can_delete(user: User, password: str | None, fresh_sso: bool = False) -> None:
    """The person proves it is them: with their password, or by a sign-in with the
    organisation's provider in the last few minutes (`fresh_sso`, the caller's session)."""
    if user.is_deleted:
        raise Conflict("This account is already deleted.")
    if fresh_sso:
        return
    if not user.has_password:
        raise NotAllowed(NO_PASSWORD, field="password")
    if not user.check_password(password or ""):
        raise DomainError("That is not your password.", field="password")


def delete_account(
    user: User, password: str | None, deletion: Deletion, fresh_sso: bool = False
) -> None:
    """Every area's erasure, then the identity, in one transaction; all sessions end."""
    check_can_delete(user, password, fresh_sso)
    user_id = user.id
    for erasure in erasures():
        erasure.erase(user, deletion)
    db.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    # AUDIT: account-deleted
    db.session.refresh(user)


def deactivate(person: User) -> None:
    """A coordinator turns an account off: it cannot sign in, its sessions end."""
    users.set_active(person, False)
    # AUDIT: account-deactivated


def reactivate(person: User) -> None:
    users.set_active(person, True)
    # AUDIT: account-reactivated
