"""Rubrics, structured feedback with scores, ratings and self-assessments."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lessons.models import Attempt, Lesson, Submission
from lessons.sessions.models import GroupSession
from portal.accounts.models import User
from portal.clock import utcnow
from portal.extensions import db
from portal.topics import Topic

LEVELS = (1, 2, 3, 4)


class Rubric(db.Model):
    """One version of a topic's rubric. Editing makes a new version; old ones stay as given."""

    __tablename__ = "rubrics"
    __table_args__ = (UniqueConstraint("topic_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    topic: Mapped[Topic] = relationship()
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="rubric", order_by="Criterion.position", cascade="all, delete-orphan"
    )


class Criterion(db.Model):
    __tablename__ = "rubric_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(300), default="")

    rubric: Mapped[Rubric] = relationship(back_populates="criteria")
    levels: Mapped[list[Level]] = relationship(order_by="Level.level", cascade="all, delete-orphan")


class Level(db.Model):
    __tablename__ = "rubric_levels"
    __table_args__ = (
        UniqueConstraint("criterion_id", "level"),
        CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("rubric_criteria.id", ondelete="CASCADE"))
    level: Mapped[int]
    descriptor: Mapped[str] = mapped_column(String(300))


class Outcome(enum.StrEnum):
    ACCEPT = "accept"
    REVISE = "revise"


class Feedback(db.Model):
    """Structured, constructive feedback: scores, strengths, improvements, one next step.

    On a submission it answers one attempt (unique, so two reviewers cannot both decide it);
    without one it is an observation, e.g. on a senior mentee's leadership style.
    """

    __tablename__ = "feedback"
    __table_args__ = (Index("ix_feedback_mentee_created", "mentee_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"))
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id"))
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    attempt_id: Mapped[int | None] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), unique=True
    )
    strengths: Mapped[str] = mapped_column(Text)
    improvements: Mapped[str] = mapped_column(Text)
    next_step: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime | None]

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])
    topic: Mapped[Topic] = relationship()
    rubric: Mapped[Rubric] = relationship()
    submission: Mapped[Submission | None] = relationship()
    attempt: Mapped[Attempt | None] = relationship()
    scores: Mapped[list[Score]] = relationship(
        back_populates="feedback", cascade="all, delete-orphan"
    )
    acknowledgement: Mapped[Acknowledgement | None] = relationship(
        back_populates="feedback", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def mean_score(self) -> float | None:
        return sum(s.level for s in self.scores) / len(self.scores) if self.scores else None


class Acknowledgement(db.Model):
    """The mentee's "Thanks — I'll try this" on feedback or an observation they received, once
    per piece of feedback, with an optional commitment they can mark done later."""

    __tablename__ = "acknowledgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), unique=True
    )
    commitment: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]

    feedback: Mapped[Feedback] = relationship(back_populates="acknowledgement")


class Score(db.Model):
    __tablename__ = "feedback_scores"
    __table_args__ = (
        UniqueConstraint("feedback_id", "criterion_id"),
        CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("rubric_criteria.id"))
    level: Mapped[int]

    feedback: Mapped[Feedback] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


class Rating(db.Model):
    """Upward feedback: a mentee rates a lesson (and so its author) for helpfulness and clarity."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("rater_id", "lesson_id"),
        # Named: the convention names by the first column only, which the lesson one has too.
        UniqueConstraint("rater_id", "session_id", name="uq_ratings_rater_session"),
        CheckConstraint("helpfulness BETWEEN 1 AND 5", name="helpfulness_range"),
        CheckConstraint("clarity BETWEEN 1 AND 5", name="clarity_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rater_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("group_sessions.id", ondelete="CASCADE"), index=True
    )
    helpfulness: Mapped[int]
    clarity: Mapped[int]
    comment: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lesson: Mapped[Lesson | None] = relationship()
    session: Mapped[GroupSession | None] = relationship()
    rater: Mapped[User] = relationship(foreign_keys=[rater_id])


class SelfAssessment(db.Model):
    """How confident a person feels in a topic (1–5), recorded over time."""

    __tablename__ = "self_assessments"
    __table_args__ = (
        Index("ix_self_assessments_user_created", "user_id", "created_at"),
        CheckConstraint("confidence BETWEEN 1 AND 5", name="confidence_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"))
    confidence: Mapped[int]
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    topic: Mapped[Topic] = relationship()


class GroupFeedback(db.Model):
    """Feedback for a whole group session: shared with every participant.
    (Feedback on one person's work stays private to them and their mentors.)"""

    __tablename__ = "group_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("group_sessions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    went_well: Mapped[str] = mapped_column(Text)
    work_on: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[GroupSession] = relationship()
    author: Mapped[User] = relationship()


class ReviewClaim(db.Model):
    """Who is writing feedback on an answer right now, so a second reviewer is told so."""

    __tablename__ = "review_claims"

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    until: Mapped[datetime]

    reviewer: Mapped[User] = relationship()


class FeedbackTally(db.Model):
    """Feedback a program's report still counts after it was deleted with its recipient's
    account: the counts stay, the words and scores go."""

    __tablename__ = "program_feedback_tallies"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True
    )
    feedback_given: Mapped[int] = mapped_column(default=0, server_default="0")
    observations: Mapped[int] = mapped_column(default=0, server_default="0")
