"""Programs: focus, SMART goal, members with roles, ranked preferences and matches."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.clock import utcnow
from portal.extensions import db


class Focus(enum.StrEnum):
    TECHNOLOGY = "technology"
    DIVERSITY = "diversity"
    LEADERSHIP = "leadership"
    OTHER = "other"


FOCUS_LABELS = {
    Focus.TECHNOLOGY: "Technology & social media",
    Focus.DIVERSITY: "Diversity, equity & inclusion",
    Focus.LEADERSHIP: "Leadership",
    Focus.OTHER: "Other",
}


class ProgramStatus(enum.StrEnum):
    PLANNING = "planning"
    ACTIVE = "active"
    CLOSED = "closed"


class Program(db.Model):
    __tablename__ = "programs"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("evaluation_coverage BETWEEN 1 AND 100", name="coverage_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    focus: Mapped[str] = mapped_column(String(20))
    goal_statement: Mapped[str] = mapped_column(Text)  # Specific
    goal_metric: Mapped[str] = mapped_column(String(200), default="")  # Measurable
    goal_baseline: Mapped[float | None]
    goal_target: Mapped[float | None]
    target_kind: Mapped[str] = mapped_column(String(10), default="absolute")  # or "relative" (%)
    goal_achievable: Mapped[str] = mapped_column(Text, default="")  # Achievable
    goal_relevant: Mapped[str] = mapped_column(Text, default="")  # Relevant
    starts_on: Mapped[date]  # Time-bound
    ends_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default=ProgramStatus.PLANNING)
    checkin_weeks: Mapped[int] = mapped_column(default=4)
    weekly_hours_limit: Mapped[float] = mapped_column(default=2.0)
    # The goal is judged once this share (%) of matched mentees has a baseline and a follow-up.
    evaluation_coverage: Mapped[int] = mapped_column(default=50, server_default="50")
    closing_reflection: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The cohort this one runs again ("evaluate and refine"), and what it brought along.
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("programs.id", ondelete="SET NULL"), index=True
    )
    baseline_from_previous: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Invitations of this cohort leave out the previous cohort's people.
    new_people_only: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Archived: hidden from everyone but coordinators; nothing is deleted; it can be restored.
    archived_at: Mapped[datetime | None]

    members: Mapped[list[Member]] = relationship(
        back_populates="program", cascade="all, delete-orphan", order_by="Member.id"
    )
    previous: Mapped[Program | None] = relationship(
        remote_side="Program.id", back_populates="next_cohorts"
    )
    next_cohorts: Mapped[list[Program]] = relationship(
        back_populates="previous", order_by="Program.starts_on"
    )

    @property
    def state(self) -> str:
        """The tab the programs list shows it under."""
        return "archived" if self.archived_at else self.status

    @property
    def focus_label(self) -> str:
        return FOCUS_LABELS[self.focus]

    @property
    def target_value(self) -> float | None:
        """The target as an absolute value (a relative target applies to the baseline)."""
        if self.goal_target is None:
            return None
        if self.target_kind == "relative" and self.goal_baseline is not None:
            return round(self.goal_baseline * (1 + self.goal_target / 100), 2)
        return self.goal_target


# The lessons a program recommends its matched mentees start with (the lessons area shows
# them on the dashboard; a next cohort copies the list).
program_lessons = Table(
    "program_lessons",
    db.metadata,
    Column("program_id", ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True),
    Column("lesson_id", ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True),
)


member_topics = Table(
    "program_member_topics",
    db.metadata,
    Column("member_id", ForeignKey("program_members.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
)


class MemberStatus(enum.StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Member(db.Model):
    """A person invited to a program as mentor or mentee."""

    __tablename__ = "program_members"
    __table_args__ = (
        UniqueConstraint("program_id", "user_id"),
        CheckConstraint("capacity BETWEEN 0 AND 20", name="capacity_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(10))  # "mentor" or "mentee"
    status: Mapped[str] = mapped_column(String(10), default=MemberStatus.INVITED)
    note: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int] = mapped_column(default=1)  # mentees a mentor can take
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    responded_at: Mapped[datetime | None]

    program: Mapped[Program] = relationship(back_populates="members")
    user: Mapped[User] = relationship()
    topics = relationship("Topic", secondary=member_topics, order_by="Topic.name")


class Preference(db.Model):
    """One of a participant's top three choices from the other side."""

    __tablename__ = "program_preferences"
    __table_args__ = (
        UniqueConstraint("program_id", "chooser_id", "rank", name="uq_preferences_rank"),
        UniqueConstraint("program_id", "chooser_id", "chosen_id", name="uq_preferences_chosen"),
        CheckConstraint("rank BETWEEN 1 AND 3", name="rank_range"),
        CheckConstraint("chooser_id <> chosen_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    chooser_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    chosen_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    rank: Mapped[int]

    chosen: Mapped[User] = relationship(foreign_keys=[chosen_id])


class Match(db.Model):
    """A pair proposed by the matcher (draft) or confirmed into a mentorship."""

    __tablename__ = "program_matches"
    __table_args__ = (UniqueConstraint("program_id", "mentee_id", name="uq_matches_mentee"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default="draft")  # or "confirmed"
    mentee_rank: Mapped[int | None]
    mentor_rank: Mapped[int | None]
    mentorship_id: Mapped[int | None] = mapped_column(ForeignKey("mentorships.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])


class CheckIn(db.Model):
    """A periodic conversation with a pair: what works, what doesn't, agreed actions."""

    __tablename__ = "program_checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    match_id: Mapped[int] = mapped_column(
        ForeignKey("program_matches.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    held_on: Mapped[date]
    what_works: Mapped[str] = mapped_column(Text)
    what_does_not: Mapped[str] = mapped_column(Text)
    actions: Mapped[str] = mapped_column(Text)
    private_notes: Mapped[str] = mapped_column(Text, default="")  # coordinators only
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()


class WorkLog(db.Model):
    """Hours a mentor spent on mentoring in one week (Monday to Sunday)."""

    __tablename__ = "program_worklogs"
    __table_args__ = (
        UniqueConstraint("program_id", "mentor_id", "week_start", name="uq_worklogs_week"),
        CheckConstraint("hours >= 0 AND hours <= 80", name="hours_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    week_start: Mapped[date]
    hours: Mapped[float]


class Survey(db.Model):
    """An anonymous team survey about one mentee, for the baseline or a follow-up."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(20))  # "baseline" or "follow-up"
    named: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # How many links the portal emailed: a count only, never to whom (the addresses are
    # forgotten once each message is sent).
    links_emailed: Mapped[int] = mapped_column(default=0, server_default="0")

    subject: Mapped[User] = relationship()
    questions: Mapped[list[SurveyQuestion]] = relationship(
        cascade="all, delete-orphan", order_by="SurveyQuestion.position"
    )


class SurveyQuestion(db.Model):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(String(300))


class SurveyToken(db.Model):
    """A single-use link. Only a hash of the token is kept, and only whether it was used:
    no time, and nothing that points to the response it allowed."""

    __tablename__ = "survey_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used: Mapped[bool] = mapped_column(default=False)


class SurveyBallot(db.Model):
    """An answer in the ballot box, waiting for a full batch before it counts. The box is
    rewritten whole, in an order that depends on the answers only, every time one arrives:
    no row id, physical position or transaction id tells the answers apart by arrival."""

    __tablename__ = "survey_ballots"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    respondent_name: Mapped[str | None] = mapped_column(String(120))
    answers: Mapped[str] = mapped_column(Text)  # JSON [[question_id, value], ...]


class SurveyResponse(db.Model):
    """One counted set of answers. No token, user or time: anonymity is in the schema, and
    responses arrive from the ballot box in batches (see `portal.programs.surveys`).
    `respondent_name` is filled only for surveys marked named before any answer came in."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    respondent_name: Mapped[str | None] = mapped_column(String(120))


class SurveyAnswer(db.Model):
    __tablename__ = "survey_answers"
    __table_args__ = (CheckConstraint("value BETWEEN 1 AND 5", name="value_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"))
    value: Mapped[int]


SUPPORT_REASONS = {
    "not_working": "This mentorship is not working",
    "conversation": "I need help preparing a conversation",
    "other": "Something else",
}


class SupportRequest(db.Model):
    """A participant's private note to their program's coordinators about their mentorship.
    What is said lives in the conversation core (the "support" subject); open until a
    coordinator marks it resolved, and open again when the person writes once more."""

    __tablename__ = "program_support_requests"
    # The coordinators' dashboard: the open requests of their programs.
    __table_args__ = (Index("ix_support_requests_program_open", "program_id", "closed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    mentorship_id: Mapped[int] = mapped_column(
        ForeignKey("mentorships.id", ondelete="CASCADE"), index=True
    )
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    program: Mapped[Program] = relationship()
    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    mentorship = relationship("Mentorship")

    @property
    def reason_label(self) -> str:
        return SUPPORT_REASONS.get(self.reason, SUPPORT_REASONS["other"])


class InviteLink(db.Model):
    """A link a coordinator shares: whoever opens it (optionally only addresses of one domain)
    joins the program as a mentor or mentee, until it expires, is used up or is revoked.
    The address carries a signature of the id and `nonce`; nothing guessable is in it."""

    __tablename__ = "program_invite_links"
    __table_args__ = (
        CheckConstraint("max_uses IS NULL OR max_uses >= 1", name="max_uses_positive"),
        CheckConstraint("max_uses IS NULL OR uses <= max_uses", name="uses_within_max"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(10))  # "mentor" or "mentee"
    nonce: Mapped[str] = mapped_column(String(64))
    email_domain: Mapped[str] = mapped_column(String(253), default="")  # "" = any address
    expires_at: Mapped[datetime]
    max_uses: Mapped[int | None]
    uses: Mapped[int] = mapped_column(default=0, server_default="0")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    program: Mapped[Program] = relationship()
    created_by: Mapped[User] = relationship()

    @property
    def last_moment(self) -> datetime:
        """The last moment the link works (it expires at the next midnight, in the zone its
        maker chose): shown as the date they entered."""
        return self.expires_at - timedelta(seconds=1)
