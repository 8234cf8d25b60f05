"""iCalendar files (RFC 5545, written with the `icalendar` library), for any area's events.

An event keeps one UID, so importing its file again updates the same entry; every change
raises SEQUENCE, and a cancelled event says STATUS:CANCELLED. A file sent by email carries an
iTIP method: REQUEST for an invitation or a change, CANCEL for a cancellation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event, vText


@dataclass(frozen=True)
class CalendarEvent:
    """What a calendar needs to know of one event; times are aware or naive UTC."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    url: str
    sequence: int
    cancelled: bool
    modified: datetime
    location: str = ""
    organizer: tuple[str, str] | None = None  # (email, name), written when a method is given


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC)


def _event(item: CalendarEvent, with_organizer: bool) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", _utc(item.starts_at))
    event.add("dtend", _utc(item.ends_at))
    event.add("summary", item.summary)
    event.add("description", item.description)
    if item.location:
        event.add("location", item.location)
    event.add("url", item.url)
    event.add("sequence", item.sequence)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    event.add("last-modified", _utc(item.modified))
    if with_organizer and item.organizer:
        email, name = item.organizer
        event.add("organizer", f"mailto:{email}", {"cn": name})
    return event


def calendar_file(
    events: Iterable[CalendarEvent], prodid: str, name: str, method: str | None = None
) -> bytes:
    """A VCALENDAR with one VEVENT per event."""
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    # An X- property is of unknown type to icalendar, which then writes it unescaped: a line
    # break in a title ended the content line (an AssertionError, a 500). Say it is TEXT.
    cal.add("x-wr-calname", vText(name))
    for item in events:
        cal.add_component(_event(item, with_organizer=bool(method)))
    return cal.to_ical()
