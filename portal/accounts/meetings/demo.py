"""Demo meetings for `seed-demo`: on Leo and Margaret's mentorship, a past meeting with shared
notes, action items and a private note, and a meeting coming up."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from portal.accounts.meetings import agendas
from portal.accounts.meetings import services as meetings
from portal.accounts.meetings.models import ActionItem, Meeting, PrivateNote
from portal.accounts.mentorships import open_between
from portal.accounts.services import find_by_email
from portal.clock import utcnow
from portal.extensions import db

MENTOR, MENTEE = "leo@flipside.example", "margaret@flipside.example"

NOTES = """Margaret's goal: make the Monday operations review accessible to the two team \
members who use screen readers.
We looked at last week's slide deck together: charts had no text alternative, and three \
slides were images of tables.
Agreed: start with the charts, since they carry the decisions."""


def seed_meetings() -> None:
    """Add the demo meetings once (safe to run again)."""
    mentor, mentee = find_by_email(MENTOR), find_by_email(MENTEE)
    mentorship = open_between(mentor.id, mentee.id) if mentor and mentee else None
    if mentorship is None or mentorship.status != "active":
        return
    if db.session.scalar(select(Meeting.id).where(Meeting.mentorship_id == mentorship.id)):
        return
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    past = Meeting(
        uid=f"{uuid.uuid4()}@flipside",
        mentorship=mentorship,
        scheduled_by=mentee,
        starts_at=now - timedelta(days=12, hours=3),
        duration_minutes=45,
        place="https://meet.example.com/leo-margaret",
        agenda=agendas.agenda_text("first"),
        notes=NOTES,
    )
    db.session.add(past)
    today = now.date()
    db.session.add_all(
        [
            ActionItem(
                meeting=past,
                owner_id=mentee.id,
                text="Write a one-sentence conclusion as the alt text of each chart in the deck",
                due_on=today + timedelta(days=2),
                created_by_id=mentor.id,
            ),
            ActionItem(
                meeting=past,
                owner_id=mentor.id,
                text="Send Margaret the checklist for accessible slides",
                due_on=today - timedelta(days=9),
                done_at=now - timedelta(days=10),
                created_by_id=mentor.id,
            ),
        ]
    )
    db.session.flush()
    db.session.add(
        PrivateNote(
            meeting_id=past.id,
            author_id=mentee.id,
            body="I felt defensive when Leo pointed at my slides. Next time: ask before I answer.",
        )
    )
    db.session.commit()
    starts = (now + timedelta(days=6)).replace(hour=10)
    meetings.schedule(
        mentee,
        mentorship,
        meetings.MeetingData(
            starts_at=starts,
            duration_minutes=45,
            place="Room 4.12, or https://meet.example.com/leo-margaret",
            agenda=agendas.agenda_text("regular"),
        ),
    )
