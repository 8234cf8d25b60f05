"""Topics, lessons with their revisions, and practice tasks."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models import User, utcnow


class Topic(db.Model):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(500), default="")

    def __repr__(self) -> str:
        return f"<Topic {self.slug}>"


class LessonStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Lesson(db.Model):
    __tablename__ = "lessons"
    __table_args__ = (
        Index("ix_lessons_status_published", "status", "published_at"),
        Index("ix_lessons_topic_status", "topic_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
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
