"""A pair's one-on-one meetings, their action items and each person's private notes."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Mentorship, User
from portal.clock import utcnow
from portal.extensions import db


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Meeting(db.Model):
    """One meeting of the two people in a mentorship: when, where, what about, what came of it.

    Agenda and notes are plain text, shown escaped with their line breaks."""

    __tablename__ = "mentorship_meetings"
    __table_args__ = (
        Index("ix_mentorship_meetings_mentorship_starts", "mentorship_id", "starts_at"),
        CheckConstraint("duration_minutes >= 1", name="duration_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(80), unique=True)  # stable iCalendar UID
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"))
    scheduled_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int]
    place: Mapped[str] = mapped_column(String(300), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")  # shared by the two
    status: Mapped[str] = mapped_column(String(20), default=MeetingStatus.SCHEDULED)
    sequence: Mapped[int] = mapped_column(default=0)  # iCalendar SEQUENCE, +1 on each move
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    mentorship: Mapped[Mentorship] = relationship()
    scheduled_by: Mapped[User] = relationship()
    action_items: Mapped[list[ActionItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="ActionItem.id"
    )

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def took_place(self) -> bool:
        """A meeting whose time has come and that nobody cancelled counts as held."""
        return not self.is_cancelled and self.starts_at <= utcnow()

    @property
    def is_upcoming(self) -> bool:
        return not self.is_cancelled and self.starts_at > utcnow()


class ActionItem(db.Model):
    """Something one of the two agreed to do after a meeting, by a date; ticked off when done."""

    __tablename__ = "meeting_action_items"
    __table_args__ = (Index("ix_meeting_action_items_owner_done", "owner_id", "done_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("mentorship_meetings.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date]
    done_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="action_items")
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class PrivateNote(db.Model):
    """One person's own notes on a meeting: nobody else ever reads them."""

    __tablename__ = "meeting_private_notes"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("mentorship_meetings.id", ondelete="CASCADE"), primary_key=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
