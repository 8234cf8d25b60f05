"""What group sessions tell people: invitations, moves and cancellations, each by email with
the .ics that updates their calendar (iTIP METHOD:REQUEST with a raised SEQUENCE, or
METHOD:CANCEL). Added to the current transaction; the caller commits."""

from __future__ import annotations

from lessons.sessions.calendar import calendar
from lessons.sessions.models import GroupSession, ParticipantStatus
from portal.accounts.models import User
from portal.extensions import db
from portal.notifications.services import absolute_url, notify, recipient_time

STILL_IN = (ParticipantStatus.INVITED, ParticipantStatus.ACCEPTED)


def _ics(session: GroupSession, method: str) -> str:
    url = absolute_url(f"/sessions/{session.id}")
    return calendar([session], lambda _s: url, name=session.title, method=method).decode()


def tell_invited(session: GroupSession, mentee_ids: list[int]) -> None:
    ics = _ics(session, "REQUEST")
    for mentee_id in mentee_ids:
        person = db.session.get(User, mentee_id)
        notify(
            person,
            "session_invitation",
            f"{session.mentor.name} invited you to the group session “{session.title}” on "
            f"{recipient_time(person, session.starts_at)}.",
            f"/sessions/{session.id}",
            subject=f"Invitation: {session.title}",
            calendar=ics,
            calendar_method="REQUEST",
        )


def _tell_everyone_in(session: GroupSession, kind_of_change: str, method: str, text_for) -> None:
    """Everyone still invited or coming: `text_for(person)`, with the calendar file."""
    ics = _ics(session, method)
    for participant in session.participants:
        if participant.status not in STILL_IN:
            continue
        person = participant.mentee
        notify(
            person,
            "session_changed",
            text_for(person),
            f"/sessions/{session.id}",
            subject=f"{kind_of_change}: {session.title}",
            calendar=ics,
            calendar_method=method,
        )


def tell_rescheduled(session: GroupSession) -> None:
    place = f", at {session.place}" if session.place else ""
    _tell_everyone_in(
        session,
        "Changed",
        "REQUEST",
        lambda person: (
            f"“{session.title}” is now on {recipient_time(person, session.starts_at)}{place}."
        ),
    )


def tell_cancelled(session: GroupSession) -> None:
    _tell_everyone_in(
        session,
        "Cancelled",
        "CANCEL",
        lambda person: (
            f"{session.mentor.name} cancelled “{session.title}” "
            f"({recipient_time(person, session.starts_at)})."
        ),
    )


def reminders(now):
    """Sessions starting within a day, and within the hour: the mentor and everyone coming.
    The key carries the session's SEQUENCE, so a moved session reminds again."""
    from datetime import timedelta

    from sqlalchemy import select

    from portal.notifications.reminders import Reminder

    soon = db.session.scalars(
        select(GroupSession).where(
            GroupSession.status == "scheduled",
            GroupSession.starts_at > now,
            GroupSession.starts_at <= now + timedelta(hours=24),
        )
    ).all()
    for session in soon:
        within_hour = session.starts_at - now <= timedelta(hours=1)
        occasion = "1h" if within_hour else "24h"
        coming = [p.mentee for p in session.participants if p.status == ParticipantStatus.ACCEPTED]
        for person in [session.mentor, *coming]:
            when = recipient_time(person, session.starts_at)
            text = (
                f"“{session.title}” starts within the hour ({when})."
                if within_hour
                else f"“{session.title}” is coming up: {when}."
            )
            yield Reminder(
                f"session-{occasion}:{session.id}:{session.sequence}:{person.id}",
                person,
                text + (f" Place: {session.place}." if session.place else ""),
                f"/sessions/{session.id}",
            )
