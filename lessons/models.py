"""Topics, lessons with their revisions, and practice tasks."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    DDL,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.clock import utcnow
from portal.database import only_on
from portal.extensions import db
from portal.topics import Topic


class LessonStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


SEARCHED_COLUMNS = ("title", "summary", "body")
# The trigram operator classes come from PostgreSQL's pg_trgm extension (part of every
# PostgreSQL distribution; a database owner may create it, as the migration does). In public,
# which every connection searches, not in whatever schema happens to come first.
event.listen(
    db.metadata,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public").execute_if(dialect="postgresql"),
)


class Lesson(db.Model):
    __tablename__ = "lessons"
    __table_args__ = (
        Index("ix_lessons_status_published", "status", "published_at"),
        Index("ix_lessons_topic_status", "topic_id", "status"),
        # An author's lessons, most recently edited first (dashboards show the latest few).
        Index("ix_lessons_author_updated", "author_id", "updated_at"),
        # The library's search is a substring match (ILIKE '%word%'), which no B-tree index
        # serves; on PostgreSQL, trigram indexes do (9.5 ms -> 0.5 ms for 6,500 lessons).
        *(
            only_on(
                "postgresql",
                Index(
                    f"ix_lessons_{column}_trigrams",
                    column,
                    postgresql_using="gin",
                    postgresql_ops={column: "gin_trgm_ops"},
                ),
            )
            for column in SEARCHED_COLUMNS
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    html_version: Mapped[int] = mapped_column(default=0)
    minutes: Mapped[int] = mapped_column(default=10)
    status: Mapped[str] = mapped_column(String(20), default=LessonStatus.DRAFT)
    revision_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    topic: Mapped[Topic] = relationship()
    author: Mapped[User] = relationship()
    tasks: Mapped[list[Task]] = relationship(
        back_populates="lesson",
        order_by="(Task.position, Task.id)",
        cascade="all, delete-orphan",
    )
    revisions: Mapped[list[LessonRevision]] = relationship(
        back_populates="lesson",
        order_by="LessonRevision.number",
        cascade="all, delete-orphan",
    )

    @property
    def is_published(self) -> bool:
        return self.status == LessonStatus.PUBLISHED

    def __repr__(self) -> str:
        return f"<Lesson {self.id} {self.title!r} {self.status}>"


class LessonRevision(db.Model):
    """The Markdown as it was at one save: who, when, what."""

    __tablename__ = "lesson_revisions"
    __table_args__ = (UniqueConstraint("lesson_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    number: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)

    lesson: Mapped[Lesson] = relationship(back_populates="revisions")
    author: Mapped[User] = relationship()


class Task(db.Model):
    """A practice task of a lesson."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    prompt: Mapped[str] = mapped_column(Text)
    prompt_html: Mapped[str] = mapped_column(Text, default="")
    done_when: Mapped[str] = mapped_column(Text, default="")
    done_when_html: Mapped[str] = mapped_column(Text, default="")
    html_version: Mapped[int] = mapped_column(default=0)

    lesson: Mapped[Lesson] = relationship(back_populates="tasks")

    def __repr__(self) -> str:
        return f"<Task {self.id} of lesson {self.lesson_id}>"


class Assignment(db.Model):
    """A lesson on a mentee's list: given by a mentor, or started by the mentee."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("lesson_id", "mentee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]  # for lessons without tasks: marked as done

    lesson: Mapped[Lesson] = relationship()
    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])


class SubmissionStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    NEEDS_REVISION = "needs_revision"
    ACCEPTED = "accepted"


class Submission(db.Model):
    """A mentee's work on one task: one row per task and mentee, with every attempt kept."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("task_id", "mentee_id"),
        Index("ix_submissions_status_updated", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=SubmissionStatus.SUBMITTED)
    attempt_count: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    task: Mapped[Task] = relationship()
    mentee: Mapped[User] = relationship()
    attempts: Mapped[list[Attempt]] = relationship(
        back_populates="submission", order_by="Attempt.number", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


STATUS_LABELS = {
    SubmissionStatus.SUBMITTED: "Awaiting feedback",
    SubmissionStatus.NEEDS_REVISION: "Needs revision",
    SubmissionStatus.ACCEPTED: "Accepted",
}


class Attempt(db.Model):
    """One try at a task: a Markdown answer and/or a link."""

    __tablename__ = "attempts"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    number: Mapped[int]
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="attempts")
