"""iCalendar output for group sessions, through the portal's one writer (`portal.ics`).

Each session keeps one UID, so importing its file again updates the same event; every
change raises SEQUENCE, and a cancelled session says STATUS:CANCELLED.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lessons.sessions.models import GroupSession
from portal.ics import CalendarEvent, calendar_file

PRODID = "-//Flipside//Group sessions//EN"


def _event(session: GroupSession, url: str) -> CalendarEvent:
    return CalendarEvent(
        uid=session.uid,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=session.title,
        description=f"Lesson: {session.lesson.title}\nWith {session.mentor.name}\n{url}",
        url=url,
        sequence=session.sequence,
        cancelled=session.is_cancelled,
        modified=session.updated_at,
        location=session.place,
        organizer=(session.mentor.email, session.mentor.name),
    )


def calendar(
    sessions: Iterable[GroupSession],
    url_for: Callable[[GroupSession], str],
    name: str = "Flipside sessions",
    method: str | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per session; `method` (iTIP: REQUEST for an invitation or
    a change, CANCEL for a cancellation) for a file sent by email, with the mentor as
    organizer."""
    return calendar_file((_event(s, url_for(s)) for s in sessions), PRODID, name, method)
