"""Reminders for meetings (a day before) and action items (on the day they are due)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.accounts.meetings.models import ActionItem, Meeting, MeetingStatus
from portal.accounts.models import Mentorship, MentorshipStatus
from portal.extensions import db
from portal.notifications.reminders import Reminder
from portal.notifications.services import recipient_time


def due(now: datetime):
    """Both people, a day before a meeting (again after a move: the key has its SEQUENCE);
    an action item's owner from the day before it is due, while it is open."""
    soon = db.session.scalars(
        select(Meeting)
        .join(Meeting.mentorship)
        .where(
            Mentorship.status == MentorshipStatus.ACTIVE,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > now,
            Meeting.starts_at <= now + timedelta(hours=24),
        )
        .options(
            joinedload(Meeting.mentorship).joinedload(Mentorship.mentor),
            joinedload(Meeting.mentorship).joinedload(Mentorship.mentee),
        )
    ).all()
    for meeting in soon:
        m = meeting.mentorship
        for person in (m.mentor, m.mentee):
            where = f" Place: {meeting.place}." if meeting.place else ""
            yield Reminder(
                f"meeting-24h:{meeting.id}:{meeting.sequence}:{person.id}",
                person,
                f"Your meeting with {m.other(person.id).name} is coming up: "
                f"{recipient_time(person, meeting.starts_at)}.{where}",
                f"/meetings/{meeting.id}",
            )
    items = db.session.scalars(
        select(ActionItem)
        .join(ActionItem.meeting)
        .join(Meeting.mentorship)
        .where(
            Mentorship.status == MentorshipStatus.ACTIVE,
            ActionItem.done_at.is_(None),
            ActionItem.due_on <= (now + timedelta(days=1)).date(),
            ActionItem.due_on >= now.date(),
        )
        .options(joinedload(ActionItem.owner))
    ).all()
    for item in items:
        yield Reminder(
            f"action-due:{item.id}:{item.due_on.isoformat()}",
            item.owner,
            f"Due {item.due_on:%-d %B}: {item.text}",
            f"/meetings/{item.meeting_id}",
        )
