"""Importing people: keep the uploaded file, preview its plan, apply exactly that plan.

The parsing and the rules are in `people_import` (pure); this module reads the accounts the
file names, in a fixed number of queries whatever its size, and writes them in bulk, in one
transaction: new accounts (without a password, each with a welcome email holding a link to
choose one), changed profiles and topic lists, and the upload marked as applied.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import delete, insert, select, update

from portal.accounts import people_import as parser
from portal.accounts import reset
from portal.accounts.models import PeopleImport, User, user_expertise, user_interest
from portal.clock import utcnow
from portal.errors import Conflict, DomainError, NotFound
from portal.extensions import db
from portal.notifications import mail
from portal.notifications.models import OutboxMessage
from portal.notifications.services import absolute_url
from portal.topics import Topic

KEPT_FOR = timedelta(days=1)  # an upload not imported within a day is deleted
CHANGED_SINCE = (
    "The accounts changed since this preview (someone edited a profile or imported a file). "
    "Here is the preview again, as things are now: check it and import once more."
)


def topics() -> dict[str, int]:
    """Every topic by slug and by name, for reading a file."""
    return parser.topic_lookup(db.session.execute(select(Topic.id, Topic.slug, Topic.name)))


def upload(coordinator: User, filename: str, data: bytes) -> tuple[PeopleImport, parser.Plan]:
    """Keep an uploaded file and return its plan; DomainError(field="file") if unreadable."""
    try:
        plan = plan_for(data)
    except parser.FileRefused as exc:
        raise DomainError(exc.message, field="file") from None
    _prune()
    kept = PeopleImport(
        uploaded_by_id=coordinator.id,
        filename=(filename or "people.csv")[-255:],
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
    )
    db.session.add(kept)
    db.session.commit()
    return kept, plan


def _prune() -> None:
    db.session.execute(
        delete(PeopleImport).where(
            PeopleImport.created_at < utcnow() - KEPT_FOR, PeopleImport.applied_at.is_(None)
        )
    )


def uploaded(coordinator: User, import_id: int) -> PeopleImport:
    """The coordinator's own upload, not yet imported; NotFound for anyone else's."""
    kept = db.session.get(PeopleImport, import_id)
    if kept is None or kept.uploaded_by_id != coordinator.id:
        raise NotFound("No such upload.")
    return kept


def plan_for(data: bytes) -> parser.Plan:
    """What importing these bytes would do now."""
    rows = parser.read(data, topics())
    return parser.plan(rows, existing([r.email for r in rows if r.email]))


def existing(emails: list[str]) -> dict[str, parser.Person]:
    """The accounts with these emails and their topics: three queries for any number."""
    if not emails:
        return {}
    people = db.session.execute(
        select(User.id, User.email, User.name, User.job_title, User.seniority).where(
            User.email.in_(emails)
        )
    ).all()
    ids = [p.id for p in people]
    teaches, learns = _topic_sets(user_expertise, ids), _topic_sets(user_interest, ids)
    return {
        p.email: parser.Person(
            name=p.name,
            job_title=p.job_title,
            seniority=p.seniority,
            teaches=frozenset(teaches.get(p.id, ())),
            learns=frozenset(learns.get(p.id, ())),
        )
        for p in people
    }


def _topic_sets(table, ids: list[int]) -> dict[int, set[int]]:
    sets: dict[int, set[int]] = {}
    if ids:
        for user_id, topic_id in db.session.execute(
            select(table.c.user_id, table.c.topic_id).where(table.c.user_id.in_(ids))
        ):
            sets.setdefault(user_id, set()).add(topic_id)
    return sets


def apply(coordinator: User, import_id: int, previewed: str) -> parser.Plan:
    """Import the upload if its plan is still the one previewed (digest); all or nothing."""
    kept = uploaded(coordinator, import_id)
    if kept.applied_at is not None:
        raise Conflict("This file was already imported.")
    plan = plan_for(kept.content)
    if parser.digest(plan) != previewed:
        raise Conflict(CHANGED_SINCE)
    if plan.blocked:
        raise Conflict("Fix the rows with errors in the file, then upload it again.")
    try:
        _write(plan)
        kept.applied_at = utcnow()
        # AUDIT: people-import
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return plan


def _write(plan: parser.Plan) -> None:
    new = [o.row for o in plan.outcomes if o.kind == parser.NEW]
    changed = [o for o in plan.outcomes if o.kind == parser.UPDATED]
    ids = _create(new)
    ids.update(_update(changed))
    touched = new + [o.row for o in changed]
    _replace_topics(user_expertise, {ids[r.email]: r.teaches for r in touched if r.teaches})
    _replace_topics(user_interest, {ids[r.email]: r.learns for r in touched if r.learns})
    _welcome(new, ids)


def _create(rows: list[parser.Row]) -> dict[str, int]:
    if not rows:
        return {}
    now = utcnow()
    created = db.session.execute(
        insert(User).returning(User.id, User.email),
        [
            {
                "email": r.email,
                "name": r.name,
                "password_hash": "",  # no password: the welcome link chooses one
                "job_title": r.job_title or "",
                "seniority": r.seniority or 1,
                "is_coordinator": False,
                "is_active_account": True,
                "session_version": 1,
                "calendar_version": 1,
                "bio": "",
                "created_at": now,
            }
            for r in rows
        ],
    )
    return {email: user_id for user_id, email in created}


def _update(outcomes: list[parser.Outcome]) -> dict[str, int]:
    ids = dict(
        db.session.execute(
            select(User.email, User.id).where(User.email.in_([o.row.email for o in outcomes]))
        ).all()
    )
    profile = [o for o in outcomes if {"name", "job_title", "seniority"} & set(o.changes)]
    if profile:
        db.session.execute(
            update(User),
            [
                {"id": ids[o.row.email], "name": o.row.name}
                | ({} if o.row.job_title is None else {"job_title": o.row.job_title})
                | ({} if o.row.seniority is None else {"seniority": o.row.seniority})
                for o in profile
            ],
        )
    return ids


def _replace_topics(table, wanted: dict[int, frozenset[int]]) -> None:
    if not wanted:
        return
    db.session.execute(delete(table).where(table.c.user_id.in_(list(wanted))))
    pairs = [{"user_id": u, "topic_id": t} for u, topic_ids in wanted.items() for t in topic_ids]
    if pairs:
        db.session.execute(insert(table), pairs)


def _welcome(rows: list[parser.Row], ids: dict[str, int]) -> None:
    """Each new person's email with a link to choose a password (the outbox sends it),
    written in one bulk insert rather than a flush of one INSERT per message."""
    messages = []
    for row in rows:
        person = SimpleNamespace(id=ids[row.email], email=row.email, name=row.name)
        message = mail.account_message(
            person,
            "Your Flipside account is ready: choose a password",
            "welcome",
            link=absolute_url(f"/auth/reset/{reset.welcome_token(ids[row.email])}"),
            days=reset.WELCOME_VALID_FOR_S // 86400,
        )
        messages.append({c: getattr(message, c) for c in _OUTBOX_FIELDS})
    if messages:
        db.session.execute(insert(OutboxMessage), messages)


_OUTBOX_FIELDS = (
    "message_id",
    "to_address",
    "subject",
    "text_body",
    "html_body",
    "forget_when_sent",
)
