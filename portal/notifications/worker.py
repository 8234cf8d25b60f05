"""The worker: delivers the outbox, with retries, until stopped (`flask --app wsgi worker`).

Several workers may run at once: each pass claims a batch of due messages with one UPDATE
(on PostgreSQL its subquery takes the rows `FOR UPDATE SKIP LOCKED`, so two workers never
claim the same row; on SQLite the UPDATE takes the database's write lock). A claim is a lease:
if the worker dies mid-send the message becomes due again when the lease ends and is sent
with the same Message-ID. Chosen over a job library because the outbox must be written in the
event's own transaction, which a queue in Redis cannot share, and because the same code must
run on SQLite for `make run`.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import time
from datetime import UTC, datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import delete, select, update

from portal.clock import utcnow
from portal.database import writes_from_here
from portal.extensions import db
from portal.notifications import mail, reminders
from portal.notifications.models import OutboxMessage

log = logging.getLogger("flipside.worker")

BATCH = 20
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 12  # about three days of retries with the backoff below
KEEP_SENT = timedelta(days=30)
NEVER = datetime(9999, 1, 1, tzinfo=UTC)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failed try, at most six hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def _clock(now: datetime) -> datetime:
    """The time for a lease or a retry: the pass's own clock (tests move it ahead), or the real
    one once a long pass has gone past it, so that a lease always runs from when it is taken."""
    return max(now, utcnow())


def claim_due(now: datetime, batch: int = BATCH) -> list[OutboxMessage]:
    """Claim up to `batch` messages that are due, for this pass only."""
    token = secrets.token_hex(16)
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(batch)
    )
    if db.engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()))
        .values(claim=token, next_attempt_at=_clock(now) + LEASE)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.claim == token).order_by(OutboxMessage.id)
        )
    )


def _permanent(exc: Exception) -> bool:
    """A refusal no retry will change: the address (5xx), or a message that cannot be built."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return isinstance(exc, ValueError)


def deliver_pending(now: datetime | None = None) -> tuple[int, int]:
    """One pass over the outbox: (sent, failed)."""
    now = now or utcnow()
    writes_from_here(db.session)  # every transaction of the pass writes (SQLite: wait for it)
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    sent = failed = 0
    while messages := claim_due(now):
        for message in messages:
            try:
                where = mail.deliver(mail.build(message, sender))
            except Exception as exc:  # one message's trouble never stops the others
                failed += 1
                _failed(message, exc, now)
            else:
                sent += 1
                log.info("Sent %s (%s)", message.message_id, where)
                _done(message)
        if len(messages) < BATCH:
            break
    return sent, failed


def _done(message: OutboxMessage) -> None:
    """Recorded as sent, only if this pass still holds the claim (a lease that ran out may
    have passed the message to another worker, which records it instead)."""
    claimed = (OutboxMessage.id == message.id) & (OutboxMessage.claim == message.claim)
    if message.forget_when_sent:  # nothing is kept of whom it went to
        db.session.execute(delete(OutboxMessage).where(claimed))
    else:
        db.session.execute(
            update(OutboxMessage)
            .where(claimed)
            .values(sent_at=utcnow(), claim=None, attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def _described(exc: Exception) -> str:
    """The error without the addresses smtplib puts in some of them."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _text in exc.recipients.values()})
        return f"SMTPRecipientsRefused: the recipient was refused ({', '.join(map(str, codes))})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__}: {exc.smtp_code}"
    return f"{type(exc).__name__}: {exc}"


def _failed(message: OutboxMessage, exc: Exception, now: datetime) -> None:
    message.attempts += 1
    permanent = _permanent(exc) or message.attempts >= MAX_ATTEMPTS
    if message.attempts == 1 or permanent:  # once per message, not once per try
        log.warning(
            "Could not send %s: %s (%s)",
            message.message_id,  # never the address: a survey link's must not be kept anywhere
            _described(exc),
            "giving up" if permanent else "retrying with backoff",
        )
    if permanent and message.forget_when_sent:
        db.session.delete(message)
    elif permanent:
        message.last_error = f"Gave up: {_described(exc)}"[:500]
        message.next_attempt_at, message.claim = NEVER, None
    else:
        message.last_error = _described(exc)[:500]
        message.next_attempt_at = _clock(now) + backoff(message.attempts)
        message.claim = None
    db.session.commit()


def purge_sent(now: datetime) -> int:
    """Sent messages older than KEEP_SENT are deleted: their bodies hold personal data."""
    result = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.sent_at.is_not(None), OutboxMessage.sent_at < now - KEEP_SENT
        )
    )
    db.session.commit()
    return result.rowcount


def run_once(now: datetime | None = None) -> tuple[int, int]:
    """Everything one pass of the worker does: reminders and digests due, then delivery."""
    now = now or utcnow()
    writes_from_here(db.session)
    for step in (reminders.send_due, reminders.send_digests, purge_sent):
        try:
            step(now)
        except Exception:  # noqa: BLE001 - a broken step must not stop delivery
            db.session.rollback()
            log.exception("The worker's %s failed; delivery goes on", step.__name__)
    return deliver_pending(now)


@click.command("worker")
@click.option("--once", is_flag=True, help="Do one pass and exit.")
@click.option("--every", default=15.0, show_default=True, help="Seconds between passes.")
@with_appcontext
def worker_command(once: bool, every: float) -> None:
    """Send reminders and digests when due, and deliver the outbox, until stopped."""
    if not current_app.config.get("MAIL_SERVER"):
        click.echo(
            "No MAIL_SERVER: email is written as .eml files to "
            f"{current_app.config['FLIPSIDE_OUTBOX_DIR']}"
        )
    while True:
        sent, failed = run_once()
        if sent or failed or once:
            click.echo(f"Sent {sent} email(s); {failed} to be retried.")
        db.session.remove()
        if once:
            return
        time.sleep(every)
