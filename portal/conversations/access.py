"""Who may read and write a thread, and change a comment: the one place these rules live.

The participants of a subject (as its area registered them) read and write its thread;
nobody else learns that it exists — coordinators included, unless the subject names them
(support requests do). Comments are changed only by their author: edited within
`EDIT_WINDOW` of being sent, deleted at any time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal.clock import utcnow
from portal.conversations.models import Comment
from portal.conversations.subjects import Found

EDIT_WINDOW = timedelta(minutes=10)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def can_read(user, found: Found | None) -> bool:
    return found is not None and _signed_in(user) and user.id in found.ids


def can_write(user, found: Found | None) -> bool:
    return can_read(user, found) and found.writable


def edit_deadline(comment: Comment) -> datetime:
    return aware(comment.created_at) + EDIT_WINDOW


def can_edit(user, comment: Comment, now: datetime | None = None) -> bool:
    """The author, for ten minutes after sending, while it is not deleted."""
    return can_delete(user, comment) and (now or utcnow()) <= edit_deadline(comment)


def can_delete(user, comment: Comment) -> bool:
    return _signed_in(user) and comment.author_id == user.id and comment.deleted_at is None
