"""Group sessions: schedule, invite, answer, seats, attendance, notes, reschedule, cancel.

Seats change only by conditional UPDATEs on `accepted_count`, so two mentees taking the
last seat at the same moment cannot both get it, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from lessons import markdown, practice
from lessons.models import Assignment, Lesson, LessonStatus
from lessons.sessions import notices
from lessons.sessions.models import GroupSession, Participant, ParticipantStatus, SessionStatus
from portal.accounts.models import User
from portal.clock import utcnow
from portal.errors import Conflict, DomainError, NotAllowed, NotFound
from portal.extensions import db

OPEN = (ParticipantStatus.INVITED, ParticipantStatus.ACCEPTED)


@dataclass
class SessionData:
    title: str
    starts_at: datetime  # timezone-aware
    duration_minutes: int
    place: str
    capacity: int
    lesson_id: int | None = None


def _check(data: SessionData, accepted: int = 0) -> None:
    if data.starts_at <= utcnow():
        raise DomainError("Choose a start time in the future.", field="starts_at")
    if data.duration_minutes < 1:
        raise DomainError("The session needs a duration of at least one minute.", field="duration")
    if data.capacity < max(accepted, 1):
        raise DomainError(
            f"{accepted} people have already accepted; the capacity cannot be lower.",
            field="capacity",
        )


def create_session(mentor_id: int, data: SessionData, invitee_ids: list[int]) -> GroupSession:
    """Schedule a session for a published lesson and invite people to it."""
    lesson = db.session.get(Lesson, data.lesson_id)
    if lesson is None or lesson.status != LessonStatus.PUBLISHED:
        raise DomainError("Choose a published lesson.", field="lesson")
    _check(data)
    session = GroupSession(
        uid=f"{uuid.uuid4()}@flipside",
        lesson_id=lesson.id,
        mentor_id=mentor_id,
        title=data.title.strip(),
        starts_at=data.starts_at,
        duration_minutes=data.duration_minutes,
        place=data.place.strip(),
        capacity=data.capacity,
    )
    db.session.add(session)
    db.session.flush()
    _add_invitations(session, invitee_ids)
    notices.tell_invited(session, list(dict.fromkeys(invitee_ids)))
    db.session.commit()
    return session


def invite(session: GroupSession, mentee_ids: list[int]) -> None:
    """Invite more people; anyone already invited or coming is refused by name."""
    if session.is_cancelled:
        raise Conflict("This session is cancelled.")
    _add_invitations(session, mentee_ids)
    notices.tell_invited(session, list(dict.fromkeys(mentee_ids)))
    db.session.commit()


def _add_invitations(session: GroupSession, mentee_ids: list[int]) -> None:
    ids = list(dict.fromkeys(mentee_ids))  # the same person ticked twice counts once
    if session.mentor_id in ids:
        raise DomainError("You run this session; you cannot invite yourself.", field="invitees")
    existing = {p.mentee_id: p for p in session.participants}
    again = [existing[i] for i in ids if i in existing and existing[i].status in OPEN]
    if again:
        names = ", ".join(p.mentee.name for p in again)
        raise DomainError(f"Already invited: {names}.", field="invitees")
    found = set(db.session.scalars(select(User.id).where(User.id.in_(ids))))
    for mentee_id in ids:
        if mentee_id not in found:
            raise DomainError("Choose people from the list.", field="invitees")
        if mentee_id in existing:  # declined or removed before: invite again
            existing[mentee_id].status, existing[mentee_id].invited_at = (
                ParticipantStatus.INVITED,
                utcnow(),
            )
        else:
            session.participants.append(Participant(mentee_id=mentee_id))


def _participant(session: GroupSession, mentee_id: int) -> Participant:
    participant = db.session.scalar(
        select(Participant).where(
            Participant.session_id == session.id, Participant.mentee_id == mentee_id
        )
    )
    if participant is None or participant.status == ParticipantStatus.REMOVED:
        raise NotAllowed("You are not invited to this session.")
    return participant


def _move_seat(session_id: int, delta: int) -> bool:
    """Take (+1) or give back (-1) a seat atomically; False when no seat is free."""
    statement = update(GroupSession).where(GroupSession.id == session_id)
    if delta > 0:
        statement = statement.where(
            GroupSession.accepted_count < GroupSession.capacity,
            GroupSession.status == SessionStatus.SCHEDULED,
        )
    result = db.session.execute(
        statement.values(accepted_count=GroupSession.accepted_count + delta).execution_options(
            synchronize_session=False
        )
    )
    return result.rowcount == 1


def _set_participant(participant_id: int, expected: tuple[str, ...], new: str) -> bool:
    result = db.session.execute(
        update(Participant)
        .where(Participant.id == participant_id, Participant.status.in_(expected))
        .values(status=new, responded_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def respond(session: GroupSession, mentee_id: int, accept: bool) -> Participant:
    """Accept (taking a seat) or decline (giving one back) an invitation."""
    participant = _participant(session, mentee_id)
    if session.is_cancelled:
        raise Conflict("This session is cancelled.")
    if session.starts_at <= utcnow():
        raise Conflict("This session has already started.")
    if accept:
        if not _set_participant(
            participant.id,
            (ParticipantStatus.INVITED, ParticipantStatus.DECLINED),
            ParticipantStatus.ACCEPTED,
        ):
            db.session.rollback()
            return participant  # already accepted (a double click): nothing changes
        if not _move_seat(session.id, +1):
            db.session.rollback()
            raise Conflict("Sorry — the session is full.")
        _assign_lesson(session, mentee_id)
    elif _set_participant(
        participant.id, (ParticipantStatus.ACCEPTED,), ParticipantStatus.DECLINED
    ):
        _move_seat(session.id, -1)
    else:
        _set_participant(participant.id, (ParticipantStatus.INVITED,), ParticipantStatus.DECLINED)
    db.session.commit()
    db.session.refresh(participant)
    db.session.refresh(session)
    return participant


def _assign_lesson(session: GroupSession, mentee_id: int) -> None:
    """Attendees get the lesson's practice tasks as an assignment from the session's mentor."""
    assignment = practice.start_lesson(mentee_id, session.lesson)
    if assignment.assigned_by_id is None:
        db.session.execute(
            update(Assignment)
            .where(Assignment.id == assignment.id)
            .values(assigned_by_id=session.mentor_id)
            .execution_options(synchronize_session=False)
        )


def remove(session: GroupSession, mentee_id: int) -> None:
    """The mentor takes someone off the roster (their seat is freed)."""
    participant = _participant(session, mentee_id)
    was_coming = participant.status == ParticipantStatus.ACCEPTED
    if (
        _set_participant(
            participant.id, OPEN + (ParticipantStatus.DECLINED,), ParticipantStatus.REMOVED
        )
        and was_coming
    ):
        _move_seat(session.id, -1)
    db.session.commit()


def reschedule(session: GroupSession, data: SessionData) -> GroupSession:
    """Change time, duration, place or capacity; calendars see a new SEQUENCE."""
    if session.is_cancelled:
        raise Conflict("This session is cancelled.")
    locked = db.session.scalar(
        select(GroupSession)
        .where(GroupSession.id == session.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    _check(data, accepted=locked.accepted_count)
    locked.title, locked.starts_at = data.title.strip(), data.starts_at
    locked.duration_minutes, locked.place, locked.capacity = (
        data.duration_minutes,
        data.place.strip(),
        data.capacity,
    )
    locked.sequence += 1
    locked.updated_at = utcnow()
    notices.tell_rescheduled(locked)
    db.session.commit()
    return locked


def cancel(session: GroupSession) -> GroupSession:
    if session.is_cancelled:
        raise Conflict("This session is already cancelled.")
    session.status, session.sequence, session.updated_at = (
        SessionStatus.CANCELLED,
        session.sequence + 1,
        utcnow(),
    )
    notices.tell_cancelled(session)
    db.session.commit()
    return session


def record_attendance(session: GroupSession, attended_ids: set[int]) -> None:
    """Who came: only once the session has started, and never for a cancelled one."""
    if session.is_cancelled:
        raise Conflict("This session is cancelled.")
    if not session.has_started:
        raise Conflict("Attendance can be recorded once the session has started.")
    for participant in session.participants:
        if participant.status == ParticipantStatus.ACCEPTED:
            participant.attended = participant.mentee_id in attended_ids
    db.session.commit()


def save_notes(session: GroupSession, notes: str) -> None:
    session.notes, session.notes_html = notes, markdown.render(notes)
    session.updated_at = utcnow()
    db.session.commit()


# Reading ------------------------------------------------------------------------------------


def session_page(session_id: int) -> GroupSession:
    session = db.session.scalar(
        select(GroupSession)
        .where(GroupSession.id == session_id)
        .options(
            joinedload(GroupSession.lesson).selectinload(Lesson.tasks),
            joinedload(GroupSession.mentor),
            selectinload(GroupSession.participants).joinedload(Participant.mentee),
        )
    )
    if session is None:
        raise NotFound("No such session.")
    return session


def sessions_of(user_id: int) -> list[tuple[GroupSession, Participant | None]]:
    """Sessions a person runs or is invited to (not removed), soonest first."""
    rows = db.session.execute(
        select(GroupSession, Participant)
        .outerjoin(
            Participant,
            (Participant.session_id == GroupSession.id) & (Participant.mentee_id == user_id),
        )
        .where(
            or_(
                GroupSession.mentor_id == user_id,
                Participant.status.in_(OPEN + (ParticipantStatus.DECLINED,)),
            )
        )
        .options(joinedload(GroupSession.lesson), joinedload(GroupSession.mentor))
        .order_by(GroupSession.starts_at)
    ).all()
    return [(s, p) for s, p in rows]


def upcoming_for(user_id: int) -> list[GroupSession]:
    """Sessions the person runs or has accepted, from now on (for the calendar feed)."""
    now = utcnow()
    return [
        s
        for s, p in sessions_of(user_id)
        if s.ends_at >= now and (s.mentor_id == user_id or p.status == ParticipantStatus.ACCEPTED)
    ]
