"""Notify people, in the same transaction as what happened; read and clear notifications.

`notify` adds rows to the current session and never commits: the caller's commit stores the
event, its notification and its email together, and a rolled-back event leaves neither.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask import current_app, g
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, select, update

from portal.clock import utcnow
from portal.extensions import db
from portal.notifications import mail
from portal.notifications.models import Notification, NotificationPreference, OutboxMessage

if TYPE_CHECKING:
    from portal.accounts.models import User

# Every kind of event, with the name its preference has on the profile.
KINDS: dict[str, str] = {
    "mentorship_requested": "Someone asks you to mentor them, or offers to",
    "mentorship_answered": "Your mentorship request is accepted or declined",
    "mentorship_ended": "A mentorship of yours is ended",
    "meeting_scheduled": "Your mentor or mentee schedules a meeting with you",
    "meeting_changed": "A meeting with your mentor or mentee is moved or cancelled",
    "action_item_assigned": "An action item from a meeting is noted for you",
    "lesson_assigned": "A mentor assigns you a lesson",
    "answer_submitted": "An answer is waiting for your feedback",
    "feedback_received": "You receive feedback on an answer",
    "observation_recorded": "A mentor records an observation about you",
    "feedback_acknowledged": "Someone thanks you for your feedback, or keeps a commitment",
    "session_invitation": "You are invited to a group session",
    "session_changed": "A session you are in is moved or cancelled",
    "program_invitation": "You are invited to a program",
    "match_confirmed": "You are matched in a program",
    "checkin_recorded": "A check-in of your pair is recorded",
    "kudos_received": "Someone thanks you with kudos",
    "comment_posted": "Someone writes in a conversation of yours",
    "support_requested": "A program participant asks you for support (coordinators)",
    "reminder": "Reminders: check-ins and sessions coming up, due dates, answers waiting",
}

# How each kind reaches a person: by email at once, in one email a day, or only in the portal.
CHANNELS = {"email": "Email now", "digest": "Daily digest", "portal": "Portal only"}
DEFAULT_CHANNEL = "email"
SHOWN = 50


def notify(
    user: User,
    kind: str,
    text: str,
    path: str,
    *,
    subject: str | None = None,
    calendar: str | None = None,
    calendar_method: str | None = None,
) -> Notification:
    """Tell `user` that something happened, in the portal and (if they want it) by email."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of notification: {kind}")
    notification = Notification(user_id=user.id, kind=kind, text=text[:400], link=path)
    with db.session.no_autoflush:  # the caller's own rows are flushed by the caller's commit
        channel = channel_for(user.id, kind)
    notification.in_digest = channel == "digest" and user.is_active_account
    db.session.add(notification)
    if user.is_active_account and channel == "email":
        unsubscribe = f"/notifications/unsubscribe/{unsubscribe_token(user.id, kind)}"
        db.session.add(
            mail.outbox_message(
                user,
                subject or text,
                text,
                absolute_url(path),
                unsubscribe_url=absolute_url(unsubscribe),
                kind_label=KINDS[kind],
                calendar=calendar,
                calendar_method=calendar_method,
            )
        )
    return notification


def absolute_url(path: str) -> str:
    """A portal address for an email: FLIPSIDE_BASE_URL (the site as people reach it) + path."""
    return current_app.config["FLIPSIDE_BASE_URL"].rstrip("/") + path


def recipient_time(user: User, moment: datetime) -> str:
    """A time as the person reads it: in their own time zone (else the site's), with its name."""
    zone = ZoneInfo(user.timezone or current_app.config["FLIPSIDE_TIMEZONE"])
    local = moment.replace(tzinfo=moment.tzinfo or ZoneInfo("UTC")).astimezone(zone)
    return f"{local:%A %-d %B %Y, %H:%M} ({local.tzname()})"


def forget_unsent(user: User) -> None:
    """A disabled account gets no more email: its unsent messages and digest go (in the
    caller's transaction)."""
    db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.to_address == user.email, OutboxMessage.sent_at.is_(None)
        )
    )
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.in_digest)
        .values(in_digest=False)
    )


# -- preferences and one-click unsubscribe ------------------------------------------------------


def channel_for(user_id: int, kind: str) -> str:
    chosen = db.session.scalar(
        select(NotificationPreference.channel).where(
            NotificationPreference.user_id == user_id, NotificationPreference.kind == kind
        )
    )
    return chosen or DEFAULT_CHANNEL


def preferences(user_id: int) -> dict[str, str]:
    """Every kind with the channel this person gets it on."""
    chosen = dict(
        db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.channel).where(
                NotificationPreference.user_id == user_id
            )
        ).all()
    )
    return {kind: chosen.get(kind, DEFAULT_CHANNEL) for kind in KINDS}


def set_preference(user_id: int, kind: str, channel: str) -> None:
    if kind not in KINDS or channel not in CHANNELS:
        raise ValueError("unknown kind or channel")
    row = db.session.get(NotificationPreference, (user_id, kind))
    if row is None:
        db.session.add(NotificationPreference(user_id=user_id, kind=kind, channel=channel))
    else:
        row.channel = channel


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="flipside-unsubscribe")


def unsubscribe_token(user_id: int, kind: str) -> str:
    return _serializer().dumps([user_id, kind])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        user_id, kind = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or kind not in KINDS:
        return None
    return user_id, kind


# -- reading ------------------------------------------------------------------------------------


# The header counts up to this many and then shows "99+": one person's thousands of unread
# notifications cost the page no more than a hundred index entries.
COUNT_CAP = 100


def unread_count(user_id: int, cap: int = COUNT_CAP) -> int:
    """One query on the index, reading at most `cap` entries: the header's count on every page."""
    unread = (
        select(Notification.id)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .limit(cap)
        .subquery()
    )
    with db.session.no_autoflush:  # a page's count never flushes a transaction under way
        return db.session.scalar(select(func.count()).select_from(unread))


def header_context() -> dict:
    """The unread count for the header, counted once per request and only when signed in."""
    if g.get("rendering_email") or not current_user or not current_user.is_authenticated:
        return {"unread_notifications": None}
    if "unread_notifications" not in g:
        g.unread_notifications = unread_count(current_user.id)
    return {"unread_notifications": g.unread_notifications}


def recent(user_id: int, shown: int = SHOWN) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.id.desc())
            .limit(shown)
        )
    )


def own_notification(user_id: int, notification_id: int) -> Notification | None:
    notification = db.session.get(Notification, notification_id)
    return notification if notification and notification.user_id == user_id else None


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()
    db.session.commit()


def mark_all_read(user_id: int) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount
