"""A thread per subject, and its comments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.clock import utcnow
from portal.extensions import db


class Thread(db.Model):
    """The one conversation about one subject ("submission" 12, "mentorship" 3, ...)."""

    __tablename__ = "conversation_threads"
    __table_args__ = (UniqueConstraint("subject_kind", "subject_id", name="uq_threads_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Comment(db.Model):
    """One message: Markdown as written and its sanitized HTML (rendered once, on write).
    A deleted comment keeps its place in the thread and loses its text."""

    __tablename__ = "conversation_comments"
    # A page of a thread, oldest first, read from the index.
    __table_args__ = (Index("ix_comments_thread_id", "thread_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("conversation_threads.id", ondelete="CASCADE")
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    # The renderer that made body_html (`flask rerender` renders older ones again).
    html_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    thread: Mapped[Thread] = relationship()
    author: Mapped[User] = relationship()

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
