"""A meeting as an iCalendar event, through the portal's one writer."""

from __future__ import annotations

from portal.accounts.meetings.models import Meeting
from portal.accounts.models import User
from portal.ics import CalendarEvent, calendar_file

PRODID = "-//Flipside//Mentorship meetings//EN"


def summary_for(meeting: Meeting, viewer: User) -> str:
    return f"Mentoring meeting with {meeting.mentorship.other(viewer.id).name}"


def ics(meeting: Meeting, viewer: User, url: str, method: str | None = None) -> bytes:
    """The file `viewer` puts in their calendar; the same UID for both people."""
    m = meeting.mentorship
    description = f"{m.mentor.name} mentors {m.mentee.name}.\n"
    if meeting.agenda.strip():
        description += f"\nAgenda:\n{meeting.agenda.strip()}\n"
    event = CalendarEvent(
        uid=meeting.uid,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=summary_for(meeting, viewer),
        description=f"{description}\n{url}",
        url=url,
        sequence=meeting.sequence,
        cancelled=meeting.is_cancelled,
        modified=meeting.updated_at,
        location=meeting.place,
        organizer=(meeting.scheduled_by.email, meeting.scheduled_by.name),
    )
    return calendar_file([event], PRODID, summary_for(meeting, viewer), method)
