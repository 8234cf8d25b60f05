"""iCalendar output for group sessions (RFC 5545, written with the `icalendar` library).

Each session keeps one UID, so importing its file again updates the same event; every
change raises SEQUENCE, and a cancelled session says STATUS:CANCELLED.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from icalendar import Calendar, Event, vText

from lessons.sessions.models import GroupSession

PRODID = "-//Flipside//Group sessions//EN"


def _event(session: GroupSession, url: str) -> Event:
    event = Event()
    event.add("uid", session.uid)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", session.title)
    event.add("description", f"Lesson: {session.lesson.title}\nWith {session.mentor.name}\n{url}")
    if session.place:
        event.add("location", session.place)
    event.add("url", url)
    event.add("sequence", session.sequence)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    event.add("last-modified", session.updated_at.astimezone(UTC))
    return event


def calendar(
    sessions: Iterable[GroupSession],
    url_for: Callable[[GroupSession], str],
    name: str = "Flipside sessions",
    method: str | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per session; `method` (iTIP: REQUEST for an invitation or
    a change, CANCEL for a cancellation) for a file sent by email, with the mentor as
    organizer."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    # An X- property is of unknown type to icalendar, which then writes it unescaped: a line
    # break in a title ended the content line (an AssertionError, a 500). Say it is TEXT.
    cal.add("x-wr-calname", vText(name))
    for session in sessions:
        event = _event(session, url_for(session))
        if method:
            event.add("organizer", f"mailto:{session.mentor.email}", {"cn": session.mentor.name})
        cal.add_component(event)
    return cal.to_ical()
