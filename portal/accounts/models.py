"""Accounts: people and the topics they can teach or want to learn."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, Index, LargeBinary, String, Table, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from portal.clock import utcnow
from portal.database import only_on
from portal.extensions import db

if TYPE_CHECKING:
    from portal.topics import Topic


DIRECTORY_COLUMNS = ("name", "job_title")  # searched by the people directory

# The directory filters people by topic: the index on topic_id serves that direction.
user_expertise = Table(
    "user_expertise",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_user_expertise_topic_id", "topic_id"),
)
user_interest = Table(
    "user_interest",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_user_interest_topic_id", "topic_id"),
)


# Deleted accounts get an address here (RFC 2606: .invalid never resolves, and sign-up
# refuses it), so that the unique email column stays unique and no mail can reach it.
DELETED_DOMAIN = "deleted.invalid"


class User(UserMixin, db.Model):
    """A person with an account. Mentor and mentee are roles in relationships, not here."""

    __tablename__ = "users"
    # The directory and the pickers list people by name, a page at a time, and search names
    # and job titles by substring: on PostgreSQL trigram indexes serve that (see lessons).
    __table_args__ = (
        Index("ix_users_name", "name"),
        *(
            only_on(
                "postgresql",
                Index(
                    f"ix_users_{column}_trigrams",
                    column,
                    postgresql_using="gin",
                    postgresql_ops={column: "gin_trgm_ops"},
                ),
            )
            for column in DIRECTORY_COLUMNS
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique index makes addresses case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # Empty for an account without a password yet (imported: its person sets one by link).
    password_hash: Mapped[str] = mapped_column(String(255))
    job_title: Mapped[str] = mapped_column(String(120), default="")
    seniority: Mapped[int] = mapped_column(default=1)
    is_coordinator: Mapped[bool] = mapped_column(default=False)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Made on the server with `flask create-user`: keeps password sign-in under FLIPSIDE_SSO_ONLY
    # (the break-glass way in when the identity provider is down or misconfigured).
    is_local_account: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Part of every session's id: raising it ends all of this person's sessions at once.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Part of the calendar feed's address: raising it makes the old address answer 404.
    calendar_version: Mapped[int] = mapped_column(default=1, server_default="1")
    timezone: Mapped[str | None] = mapped_column(String(64))
    bio: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    expertise: Mapped[list[Topic]] = relationship(
        "Topic", secondary=user_expertise, order_by="Topic.name"
    )
    interests: Mapped[list[Topic]] = relationship(
        "Topic", secondary=user_interest, order_by="Topic.name"
    )

    @property
    def is_deleted(self) -> bool:
        """The person deleted their account: the row stays, as "Former member"."""
        return self.email.endswith("@" + DELETED_DOMAIN)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.is_active_account

    def get_id(self) -> str:
        """The session (and remember-me cookie) carries the id and the session version."""
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str, method: str = "scrypt") -> None:
        """Store a salted hash of the password, never the password."""
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash (never for an account without one)."""
        return self.has_password and check_password_hash(self.password_hash, password)

    @property
    def has_password(self) -> bool:
        """Accounts made by single sign-on (or an import) have none until the person sets one."""
        return bool(self.password_hash)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class Identity(db.Model):
    """A sign-in at an OpenID provider linked to an account: the provider's `sub` at `issuer`."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_identities_issuer_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    # The verified address the provider gave when the link was made (for people reading it).
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class PeopleImport(db.Model):
    """An uploaded people file, kept so the import applies exactly the file that was previewed.

    Pruned a day after upload; `applied_at` says when (and whether) it was imported."""

    __tablename__ = "people_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    uploaded_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    applied_at: Mapped[datetime | None]


def normalize_email(email: str) -> str:
    """Emails are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


mentorship_topics = Table(
    "mentorship_topics",
    db.metadata,
    Column("mentorship_id", ForeignKey("mentorships.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
)


class MentorshipStatus(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    DECLINED = "declined"
    ENDED = "ended"


OPEN_STATUSES = (MentorshipStatus.PENDING, MentorshipStatus.ACTIVE)


def pairing_kind(mentor_seniority: int, mentee_seniority: int) -> str:
    """'reverse' when the mentor is less senior than the mentee, else 'peer' or 'traditional'."""
    if mentor_seniority < mentee_seniority:
        return "reverse"
    return "peer" if mentor_seniority == mentee_seniority else "traditional"


class Mentorship(db.Model):
    """One person mentoring another in some topics: asked for, answered, ended."""

    __tablename__ = "mentorships"
    __table_args__ = (
        Index("ix_mentorships_mentee_status", "mentee_id", "status"),
        Index("ix_mentorships_mentor_status", "mentor_id", "status"),
        # At most one pending or active mentorship per pair, also under concurrent requests.
        Index(
            "uq_mentorships_open_pair",
            "mentor_id",
            "mentee_id",
            unique=True,
            sqlite_where=text("status IN ('pending', 'active')"),
            postgresql_where=text("status IN ('pending', 'active')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default=MentorshipStatus.PENDING)
    message: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    responded_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Optional, written by whoever ended it; both people see it on their mentorships page.
    end_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")

    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])
    topics: Mapped[list[Topic]] = relationship(
        "Topic", secondary=mentorship_topics, order_by="Topic.name"
    )

    @property
    def kind(self) -> str:
        return pairing_kind(self.mentor.seniority, self.mentee.seniority)

    def other(self, user_id: int) -> User:
        """The person on the other side from `user_id`."""
        return self.mentee if user_id == self.mentor_id else self.mentor

    def awaits_answer_from(self, user_id: int) -> bool:
        return (
            self.status == MentorshipStatus.PENDING
            and user_id
            in (
                self.mentor_id,
                self.mentee_id,
            )
            and user_id != self.requested_by_id
        )
