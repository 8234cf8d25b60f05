"""Group sessions: one lesson taught to several mentees, with a roster and attendance."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lessons.models import Lesson
from portal.accounts.models import User
from portal.clock import utcnow
from portal.extensions import db


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class GroupSession(db.Model):
    """One lesson taught to several mentees at once, at a time and place."""

    __tablename__ = "group_sessions"
    __table_args__ = (
        Index("ix_group_sessions_mentor_starts", "mentor_id", "starts_at"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("duration_minutes >= 1", name="duration_positive"),
        CheckConstraint("accepted_count <= capacity", name="seats_within_capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(80), unique=True)  # stable iCalendar UID
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int]
    place: Mapped[str] = mapped_column(String(300), default="")
    capacity: Mapped[int]
    accepted_count: Mapped[int] = mapped_column(default=0)  # changed only by atomic UPDATEs
    status: Mapped[str] = mapped_column(String(20), default=SessionStatus.SCHEDULED)
    sequence: Mapped[int] = mapped_column(default=0)  # iCalendar SEQUENCE, +1 on each change
    notes: Mapped[str] = mapped_column(Text, default="")
    notes_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    lesson: Mapped[Lesson] = relationship()
    mentor: Mapped[User] = relationship()
    participants: Mapped[list[Participant]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Participant.id"
    )

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def has_started(self) -> bool:
        return self.starts_at <= utcnow()

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= utcnow()

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.accepted_count, 0)


class ParticipantStatus(enum.StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REMOVED = "removed"


class Participant(db.Model):
    """A mentee invited to a group session: their answer and attendance."""

    __tablename__ = "session_participants"
    __table_args__ = (UniqueConstraint("session_id", "mentee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("group_sessions.id", ondelete="CASCADE"), index=True
    )
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ParticipantStatus.INVITED)
    attended: Mapped[bool | None]
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    responded_at: Mapped[datetime | None]

    session: Mapped[GroupSession] = relationship(back_populates="participants")
    mentee: Mapped[User] = relationship()
