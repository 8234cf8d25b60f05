"""Reminders and the daily digest, sent by the worker, each once per person and occasion.

Each area registers a source (`register`): a function that, given the time, lists the
reminders due then. The worker claims each reminder's key in `notification_occasions` in the
transaction that notifies (an INSERT that does nothing when the key is taken), so however
often it runs, and however many workers run, a reminder goes out once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from portal.extensions import db
from portal.notifications import mail
from portal.notifications.models import Notification, Occasion
from portal.notifications.services import absolute_url, notify

if TYPE_CHECKING:
    from portal.accounts.models import User

SOURCES_KEY = "flipside_reminder_sources"
log = logging.getLogger("flipside.worker")


@dataclass(frozen=True)
class Reminder:
    key: str  # names the person and the occasion: the same reminder has the same key
    user: User
    text: str
    path: str


Source = Callable[[datetime], Iterable[Reminder]]


def register(app: Flask, source: Source) -> None:
    """Let an area add a source of reminders to the worker's schedule."""
    app.extensions.setdefault(SOURCES_KEY, []).append(source)


def claim(key: str) -> bool:
    """Take an occasion's key in the current transaction; False if it was taken before."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    claimed = db.session.execute(
        dialect.insert(Occasion)
        .values(key=key)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(Occasion.key)  # psycopg reports no rowcount for this INSERT: ask for the row
    ).first()
    return claimed is not None


def send_due(now: datetime) -> int:
    """Every registered reminder that is due and not sent yet; returns how many went out.

    The keys already taken are looked up in one query per source, so an occasion that went
    out long ago (an overdue check-in) costs no write on every pass; a broken source is
    logged and the others go on."""
    sent = 0
    for source in current_app.extensions.get(SOURCES_KEY, []):
        try:
            due = list(source(now))
            taken = (
                set(
                    db.session.scalars(
                        select(Occasion.key).where(Occasion.key.in_([r.key for r in due]))
                    )
                )
                if due
                else set()
            )
            for reminder in due:
                if reminder.key in taken or not reminder.user.is_active_account:
                    continue
                if claim(reminder.key):
                    notify(reminder.user, "reminder", reminder.text, reminder.path)
                    sent += 1
                db.session.commit()
        except Exception:  # noqa: BLE001
            db.session.rollback()
            log.exception("A reminder source failed: %s", getattr(source, "__name__", source))
    return sent


def _local(moment: datetime, user: User) -> datetime:
    return moment.astimezone(ZoneInfo(user.timezone or current_app.config["FLIPSIDE_TIMEZONE"]))


def send_digests(now: datetime) -> int:
    """One email per person with notifications waiting for their digest, once a local day,
    from FLIPSIDE_DIGEST_HOUR on; returns how many digests went out."""
    from portal.accounts.models import User

    hour = current_app.config["FLIPSIDE_DIGEST_HOUR"]
    waiting = db.session.scalars(
        select(User).where(
            User.id.in_(select(Notification.user_id).where(Notification.in_digest)),
            User.is_active_account,
        )
    ).all()
    sent = 0
    for user in waiting:
        local = _local(now, user)
        if local.hour < hour or not claim(f"digest:{user.id}:{local.date().isoformat()}"):
            db.session.rollback()
            continue
        items = db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id, Notification.in_digest)
            .order_by(Notification.id)
        ).all()
        db.session.add(
            mail.account_message(
                user,
                f"Flipside: {len(items)} thing{'s' if len(items) != 1 else ''} since yesterday",
                "digest",
                items=[(n.text, absolute_url(f"/notifications/{n.id}")) for n in items],
                preferences_url=absolute_url("/notifications/preferences"),
            )
        )
        db.session.execute(
            update(Notification)
            .where(Notification.id.in_([n.id for n in items]))
            .values(in_digest=False)
        )
        db.session.commit()
        sent += 1
    return sent
