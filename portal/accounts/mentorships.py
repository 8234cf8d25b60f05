"""Mentorship services: ask, answer, end; and who mentors whom. No Flask request in here."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts import access
from portal.accounts.models import OPEN_STATUSES, Mentorship, MentorshipStatus, User
from portal.clock import utcnow
from portal.errors import Conflict, DomainError, NotAllowed
from portal.extensions import db
from portal.notifications.services import notify
from portal.topics import all_topics

ROLES = ("mentor", "mentee")  # the role the *requester* wants for themself


def request_mentorship(
    requester: User, other: User, requester_role: str, topic_ids: list[int], message: str = ""
) -> Mentorship:
    """Ask `other` to mentor the requester (role 'mentee') or offer to mentor them ('mentor')."""
    if requester.id == other.id:
        raise DomainError("You cannot mentor yourself.")
    if not other.is_active_account:  # deactivated or deleted: nobody would answer
        raise Conflict("This account is not active, so it cannot take part in a mentorship.")
    if requester_role not in ROLES:
        raise DomainError("Choose whether you want to mentor or be mentored.", field="role")
    if open_between(requester.id, other.id):  # either direction; the index covers one
        raise Conflict(f"You and {other.name} already have an open mentorship.")
    mentor, mentee = (requester, other) if requester_role == "mentor" else (other, requester)
    topics = [t for t in all_topics() if t.id in set(topic_ids)]
    if not topics:
        raise DomainError("Choose at least one topic.", field="topics")
    mentorship = Mentorship(
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        requested_by_id=requester.id,
        message=message.strip(),
        topics=topics,
    )
    db.session.add(mentorship)
    names = ", ".join(topic.name for topic in topics)
    asks = (
        f"{requester.name} offers to mentor you in {names}."
        if requester_role == "mentor"
        else f"{requester.name} asks you to mentor them in {names}."
    )
    notify(other, "mentorship_requested", asks, "/mentorships/", subject=asks)
    try:
        db.session.commit()
    except IntegrityError as exc:  # the partial unique index: one open mentorship per pair
        db.session.rollback()
        raise Conflict(f"You and {other.name} already have an open mentorship.") from exc
    return mentorship


def respond(mentorship: Mentorship, user: User, accept: bool) -> Mentorship:
    """The invited person accepts or declines; only a pending request can be answered."""
    if not access.can_answer(user, mentorship):
        raise NotAllowed("Only the person who was asked can answer this request.")
    requester = db.session.get(User, mentorship.requested_by_id)
    answer = "accepted" if accept else "declined"
    changed = _set_status(
        mentorship,
        MentorshipStatus.PENDING,
        MentorshipStatus.ACTIVE if accept else MentorshipStatus.DECLINED,
        then=lambda: notify(
            requester,
            "mentorship_answered",
            f"{user.name} {answer} your mentorship request.",
            "/mentorships/",
        ),
        responded_at=utcnow(),
    )
    if not changed:
        raise Conflict("This request has already been answered.")
    return mentorship


def end(mentorship: Mentorship, user: User, reason: str = "") -> Mentorship:
    """Either person ends an active mentorship, optionally saying why."""
    if not access.is_party(user, mentorship):
        raise NotAllowed("Only the two people in a mentorship can end it.")
    other_id = mentorship.mentee_id if user.id == mentorship.mentor_id else mentorship.mentor_id
    reason = reason.strip()[:500]
    if not _set_status(
        mentorship,
        MentorshipStatus.ACTIVE,
        MentorshipStatus.ENDED,
        then=lambda: notify(
            db.session.get(User, other_id),
            "mentorship_ended",
            f"{user.name} ended your mentorship."
            + (f" Their reason: “{reason}”" if reason else ""),
            "/mentorships/",
        ),
        ended_at=utcnow(),
        ended_by_id=user.id,
        end_reason=reason,
    ):
        raise Conflict("This mentorship is not active.")
    return mentorship


def _set_status(mentorship: Mentorship, expected: str, new: str, then, **values) -> bool:
    """Change the status atomically, only from `expected` (a double click changes it once);
    `then` (the notification) joins the same transaction only when the status changed."""
    result = db.session.execute(
        db.update(Mentorship)
        .where(Mentorship.id == mentorship.id, Mentorship.status == expected)
        .values(status=new, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        then()
    db.session.commit()
    db.session.refresh(mentorship)
    return result.rowcount == 1


def mentorships_of(user_id: int) -> list[Mentorship]:
    """Every mentorship a person is part of, newest first, with both people and topics."""
    return list(
        db.session.scalars(
            select(Mentorship)
            .where(or_(Mentorship.mentor_id == user_id, Mentorship.mentee_id == user_id))
            .options(
                joinedload(Mentorship.mentor),
                joinedload(Mentorship.mentee),
                selectinload(Mentorship.topics),
            )
            .order_by(Mentorship.created_at.desc(), Mentorship.id.desc())
        )
    )


def active_mentees(mentor_id: int) -> list[User]:
    """People this person actively mentors, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(Mentorship, Mentorship.mentee_id == User.id)
            .where(Mentorship.mentor_id == mentor_id, Mentorship.status == MentorshipStatus.ACTIVE)
            .order_by(User.name)
        )
    )


def is_active_mentor(mentor_id: int, mentee_id: int) -> bool:
    return (
        db.session.scalar(
            select(Mentorship.id).where(
                Mentorship.mentor_id == mentor_id,
                Mentorship.mentee_id == mentee_id,
                Mentorship.status == MentorshipStatus.ACTIVE,
            )
        )
        is not None
    )


def open_between(a: int, b: int) -> Mentorship | None:
    """The pending or active mentorship between two people, either way round."""
    return db.session.scalar(
        select(Mentorship).where(
            Mentorship.status.in_(OPEN_STATUSES),
            or_(
                (Mentorship.mentor_id == a) & (Mentorship.mentee_id == b),
                (Mentorship.mentor_id == b) & (Mentorship.mentee_id == a),
            ),
        )
    )
