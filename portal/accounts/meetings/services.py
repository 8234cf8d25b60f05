"""Meetings of a mentorship: schedule, move, cancel; shared and private notes; action items.

No Flask request in here. Every change that concerns the other person reaches them through
`notify()` in the same transaction, with the calendar file when the time or place changed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts import access
from portal.accounts.meetings import calendar, places
from portal.accounts.meetings.models import ActionItem, Meeting, MeetingStatus, PrivateNote
from portal.accounts.models import Mentorship, MentorshipStatus, User
from portal.clock import utcnow
from portal.errors import Conflict, DomainError, NotAllowed
from portal.extensions import db
from portal.notifications.services import absolute_url, notify, recipient_time

MAX_DURATION = 480  # minutes: a working day
OPEN_ITEMS_SHOWN = 10  # on the dashboard


@dataclass
class MeetingData:
    starts_at: datetime  # timezone-aware
    duration_minutes: int
    place: str
    agenda: str = ""


def _check(data: MeetingData) -> None:
    if data.starts_at <= utcnow():
        raise DomainError("Choose a start time in the future.", field="starts_at")
    if not 1 <= data.duration_minutes <= MAX_DURATION:
        raise DomainError(f"Enter between 1 and {MAX_DURATION} minutes.", field="duration_minutes")
    problem = places.link_problem(data.place)
    if problem:
        raise DomainError(problem, field="place")


def _path(meeting: Meeting) -> str:
    return f"/meetings/{meeting.id}"


def _tell_other(meeting: Meeting, actor: User, kind: str, text: str, method: str) -> None:
    other = meeting.mentorship.other(actor.id)
    body = calendar.ics(meeting, other, absolute_url(_path(meeting)), method=method).decode()
    notify(
        other,
        kind,
        text.format(when=recipient_time(other, meeting.starts_at)),
        _path(meeting),
        subject=text.format(when=recipient_time(other, meeting.starts_at)),
        calendar=body,
        calendar_method=method,
    )


def schedule(user: User, mentorship: Mentorship, data: MeetingData) -> Meeting:
    """Either person schedules a meeting of an active mentorship; the other is invited."""
    if not access.is_party(user, mentorship):
        raise NotAllowed("Only the two people in a mentorship schedule its meetings.")
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise Conflict("Meetings are for active mentorships.")
    _check(data)
    meeting = Meeting(
        uid=f"{uuid.uuid4()}@flipside",
        mentorship=mentorship,
        scheduled_by=user,
        starts_at=data.starts_at,
        duration_minutes=data.duration_minutes,
        place=data.place.strip(),
        agenda=data.agenda.strip(),
    )
    db.session.add(meeting)
    db.session.flush()
    place = f" ({meeting.place})" if meeting.place else ""
    _tell_other(
        meeting,
        user,
        "meeting_scheduled",
        f"{user.name} invited you to a meeting on {{when}}{place}.",
        "REQUEST",
    )
    db.session.commit()
    return meeting


def reschedule(user: User, meeting: Meeting, data: MeetingData) -> bool:
    """Change the time, length, place or agenda; a move raises SEQUENCE (so calendars update
    the same event) and tells the other person. Returns whether the time or place changed."""
    if not access.can_change_meeting(user, meeting):
        raise Conflict("This meeting can no longer be changed.")
    _check(data)
    moved = (meeting.starts_at, meeting.duration_minutes, meeting.place) != (
        data.starts_at,
        data.duration_minutes,
        data.place.strip(),
    )
    values = {
        "starts_at": data.starts_at,
        "duration_minutes": data.duration_minutes,
        "place": data.place.strip(),
        "agenda": data.agenda.strip(),
        "updated_at": utcnow(),
    }
    if moved:
        values["sequence"] = Meeting.sequence + 1
    changed = _update(meeting, values)
    if changed and moved:
        place = f", at {meeting.place}" if meeting.place else ""
        _tell_other(
            meeting,
            user,
            "meeting_changed",
            f"{user.name} moved your meeting to {{when}}{place}.",
            "REQUEST",
        )
    db.session.commit()
    if not changed:
        raise Conflict("This meeting was cancelled meanwhile.")
    return moved


def cancel(user: User, meeting: Meeting) -> None:
    """Either person cancels; a cancelled meeting no longer counts as a check-in."""
    if not access.can_change_meeting(user, meeting):
        raise Conflict("This meeting is already cancelled.")
    values = {
        "status": MeetingStatus.CANCELLED,
        "sequence": Meeting.sequence + 1,
        "updated_at": utcnow(),
    }
    if not _update(meeting, values):
        db.session.rollback()
        raise Conflict("This meeting is already cancelled.")
    _tell_other(
        meeting,
        user,
        "meeting_changed",
        f"{user.name} cancelled your meeting on {{when}}.",
        "CANCEL",
    )
    db.session.commit()


def _update(meeting: Meeting, values: dict) -> bool:
    """One conditional UPDATE (only a scheduled meeting changes: a double click or a cancel
    at the same moment changes it once), then the row as stored."""
    result = db.session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.status == MeetingStatus.SCHEDULED)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(meeting)
    return result.rowcount == 1


# Notes ------------------------------------------------------------------------------------


def save_notes(user: User, meeting: Meeting, notes: str) -> None:
    """The pair's shared notes (plain text)."""
    if not access.can_write_notes(user, meeting):
        raise Conflict("A cancelled meeting has no notes.")
    meeting.notes = notes.strip()
    meeting.updated_at = utcnow()
    db.session.commit()


def private_note(meeting_id: int, user: User) -> PrivateNote | None:
    """This person's own note on the meeting; never anyone else's."""
    return db.session.get(PrivateNote, (meeting_id, user.id))


def save_private_note(user: User, meeting: Meeting, body: str) -> PrivateNote:
    if not access.can_view_meeting(user, meeting):
        raise NotAllowed("Only the two people in a mentorship keep notes on its meetings.")
    note = private_note(meeting.id, user) or PrivateNote(meeting_id=meeting.id, author_id=user.id)
    note.body = body.strip()
    note.updated_at = utcnow()
    db.session.add(note)
    db.session.commit()
    return note


# Action items -----------------------------------------------------------------------------


def add_action_item(
    user: User, meeting: Meeting, owner_id: int, text: str, due_on: date
) -> ActionItem:
    """One of the two takes on something by a date; the owner is told when it is not them."""
    if not access.can_write_notes(user, meeting):
        raise Conflict("A cancelled meeting has no action items.")
    mentorship = meeting.mentorship
    if owner_id not in (mentorship.mentor_id, mentorship.mentee_id):
        raise DomainError("Choose one of you two.", field="owner")
    if due_on < meeting.starts_at.date():
        raise DomainError("Choose a due date on or after the meeting.", field="due_on")
    item = ActionItem(
        meeting=meeting,
        owner_id=owner_id,
        text=text.strip(),
        due_on=due_on,
        created_by_id=user.id,
    )
    db.session.add(item)
    if owner_id != user.id:
        notify(
            mentorship.other(user.id),
            "action_item_assigned",
            f"{user.name} noted an action for you, due {due_on:%-d %B %Y}: {item.text}",
            _path(meeting),
        )
    db.session.commit()
    return item


def set_done(user: User, item: ActionItem, done: bool) -> None:
    """Tick an action item off, or back on; a second tick changes nothing."""
    if not access.can_tick(user, item):
        raise NotAllowed("Only the two people in a mentorship tick its action items.")
    db.session.execute(
        update(ActionItem)
        .where(
            ActionItem.id == item.id,
            ActionItem.done_at.is_(None) if done else ActionItem.done_at.is_not(None),
        )
        .values(done_at=utcnow() if done else None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(item)


# Reading ----------------------------------------------------------------------------------


def meeting_page(meeting_id: int) -> Meeting | None:
    """A meeting with its pair and action items (with their owners), in a fixed few queries."""
    return db.session.scalar(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            joinedload(Meeting.mentorship).joinedload(Mentorship.mentor),
            joinedload(Meeting.mentorship).joinedload(Mentorship.mentee),
            joinedload(Meeting.scheduled_by),
            selectinload(Meeting.action_items).joinedload(ActionItem.owner),
        )
    )


def item_of(meeting: Meeting, item_id: int) -> ActionItem | None:
    return next((i for i in meeting.action_items if i.id == item_id), None)


def meetings_of(mentorship_id: int) -> list[Meeting]:
    """A mentorship's meetings, the latest first, with their action items."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.mentorship_id == mentorship_id)
            .options(selectinload(Meeting.action_items))
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        )
    )


def _theirs(user_id: int):
    return (
        or_(Mentorship.mentor_id == user_id, Mentorship.mentee_id == user_id),
        Mentorship.status == MentorshipStatus.ACTIVE,
    )


def next_meeting(user_id: int) -> Meeting | None:
    """This person's next meeting across their active mentorships (one query)."""
    return db.session.scalar(
        select(Meeting)
        .join(Meeting.mentorship)
        .where(
            *_theirs(user_id),
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > utcnow(),
        )
        .options(
            joinedload(Meeting.mentorship).joinedload(Mentorship.mentor),
            joinedload(Meeting.mentorship).joinedload(Mentorship.mentee),
        )
        .order_by(Meeting.starts_at)
        .limit(1)
    )


def open_items(user_id: int, shown: int = OPEN_ITEMS_SHOWN) -> list[ActionItem]:
    """This person's open action items, the soonest due first (one query)."""
    return list(
        db.session.scalars(
            select(ActionItem)
            .join(ActionItem.meeting)
            .join(Meeting.mentorship)
            .where(*_theirs(user_id), ActionItem.owner_id == user_id, ActionItem.done_at.is_(None))
            .options(
                joinedload(ActionItem.meeting)
                .joinedload(Meeting.mentorship)
                .joinedload(Mentorship.mentor),
                joinedload(ActionItem.meeting)
                .joinedload(Meeting.mentorship)
                .joinedload(Mentorship.mentee),
            )
            .order_by(ActionItem.due_on, ActionItem.id)
            .limit(shown)
        )
    )
