"""Notifications in the portal, and the outbox of email waiting to be delivered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.clock import utcnow
from portal.extensions import db


class Notification(db.Model):
    """Something that happened that one person should know about."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(String(400))
    # A path inside the portal ("/submissions/7"): where opening the notification leads.
    link: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # Waiting for this person's daily digest email (their preference for this kind).
    in_digest: Mapped[bool] = mapped_column(default=False)

    # The header's unread count on every page, and the list newest first, read from the index.
    __table_args__ = (
        Index("ix_notifications_user_unread", "user_id", "read_at", "id"),
        Index("ix_notifications_digest", "in_digest", "user_id"),
    )


class OutboxMessage(db.Model):
    """One email, written in the transaction of the event that caused it; the worker sends it.

    The rendered parts are stored, so delivery needs nothing but this row, and a message says
    what was true when it happened. `message_id` is the Message-ID header: stable across
    retries, so a message sent twice after a crash is recognisable as one.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    # An iCalendar attachment (invitations, changes, cancellations) and its METHOD.
    calendar: Mapped[str | None] = mapped_column(Text)
    calendar_method: Mapped[str | None] = mapped_column(String(10))
    # The one-click unsubscribe address for this message's kind (RFC 8058), when it has one.
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Due for (another) try from this time; a worker that claims the message moves it ahead
    # by a lease, so a worker that dies mid-send leaves it to be tried again later.
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claim: Mapped[str | None] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(String(500), default="")
    # Deleted once sent (survey links: which address got which link is never kept).
    forget_when_sent: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (Index("ix_outbox_due", "sent_at", "next_attempt_at"),)


class NotificationPreference(db.Model):
    """How one person wants one kind of event: by email at once, or only in the portal.

    No row means the default (email at once)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))


class Occasion(db.Model):
    """One reminder (or digest) that has gone out: its key names the person and the occasion
    ("checkin-due:12:2027-03-01:34"), so however often the worker runs, it goes out once."""

    __tablename__ = "notification_occasions"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
