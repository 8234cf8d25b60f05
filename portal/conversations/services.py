"""Post, edit and delete comments; read a page of a thread. No Flask request in here.

A comment's Markdown goes through the one pipeline when it is written and its HTML is kept;
pages show the kept HTML. Each new comment tells the other participants (`notify`) in the
same transaction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.clock import utcnow
from portal.conversations import access
from portal.conversations.models import Comment, Thread
from portal.conversations.subjects import Found, lookup, render, renderer, subject
from portal.errors import Conflict, DomainError, NotAllowed, NotFound
from portal.extensions import db
from portal.notifications.services import notify

COMMENT_LIMIT = 5_000  # a message, not an essay: about 800 words
PER_PAGE = 20


def too_long(length: int) -> str:
    return (
        f"A message can be up to {COMMENT_LIMIT:,} characters; this one has {length:,}. "
        "Shorten it, or send it in two parts."
    )


def rendered(body: str) -> str:
    """The checked body's HTML: empty, over the limit or too dense -> DomainError('body')."""
    if not body.strip():
        raise DomainError("Write your message first.", field="body")
    if len(body) > COMMENT_LIMIT:
        raise DomainError(too_long(len(body)), field="body")
    try:
        return render(body)
    except ValueError as exc:  # the pipeline's work budget (MarkupTooDense)
        raise DomainError(str(exc), field="body") from None


# -- reading ------------------------------------------------------------------------------------


@dataclass
class ThreadPage:
    """One page of a thread, oldest first; the last page (the newest) unless asked."""

    kind: str
    subject_id: int
    comments: list[Comment]
    page: int
    pages: int
    total: int
    editable: set[int] = field(default_factory=set)
    deletable: set[int] = field(default_factory=set)


def _of_subject(kind: str, subject_id: int):
    return (Thread.subject_kind == kind) & (Thread.subject_id == subject_id)


def thread_page(
    kind: str, subject_id: int, page: int | None = None, viewer=None, per_page: int = PER_PAGE
) -> ThreadPage:
    """A page of the thread in two queries (its size, and the page with the authors),
    however long the thread is."""
    total = db.session.scalar(
        select(func.count(Comment.id))
        .join(Thread, Thread.id == Comment.thread_id)
        .where(_of_subject(kind, subject_id))
    )
    pages = max(1, math.ceil(total / per_page))
    page = pages if page is None or not 1 <= page <= pages else page
    comments = list(
        db.session.scalars(
            select(Comment)
            .join(Thread, Thread.id == Comment.thread_id)
            .where(_of_subject(kind, subject_id))
            .options(joinedload(Comment.author))
            .order_by(Comment.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    now = utcnow()
    return ThreadPage(
        kind,
        subject_id,
        comments,
        page,
        pages,
        total,
        editable={c.id for c in comments if access.can_edit(viewer, c, now)},
        deletable={c.id for c in comments if access.can_delete(viewer, c)},
    )


def latest(kind: str, subject_ids: list[int]) -> dict[int, Comment]:
    """The newest comment of each subject's thread (with its author), in one query."""
    if not subject_ids:
        return {}
    newest = (
        select(func.max(Comment.id))
        .join(Thread, Thread.id == Comment.thread_id)
        .where(Thread.subject_kind == kind, Thread.subject_id.in_(subject_ids))
        .group_by(Comment.thread_id)
    )
    rows = db.session.execute(
        select(Thread.subject_id, Comment)
        .join(Thread, Thread.id == Comment.thread_id)
        .where(Comment.id.in_(newest))
        .options(joinedload(Comment.author))
    ).all()
    return {subject_id: comment for subject_id, comment in rows}


def counts(kind: str, subject_ids: list[int]) -> dict[int, int]:
    """How many comments (deleted ones aside) each subject's thread has, in one query."""
    if not subject_ids:
        return {}
    return dict(
        db.session.execute(
            select(Thread.subject_id, func.count(Comment.id))
            .join(Comment, Comment.thread_id == Thread.id)
            .where(
                Thread.subject_kind == kind,
                Thread.subject_id.in_(subject_ids),
                Comment.deleted_at.is_(None),
            )
            .group_by(Thread.subject_id)
        ).all()
    )


def comment_and_subject(comment_id: int) -> tuple[Comment, Found | None]:
    """A comment and its subject as seen now (NotFound when there is no such comment)."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound("There is no such comment.")
    return comment, lookup(comment.thread.subject_kind, comment.thread.subject_id)


# -- writing ------------------------------------------------------------------------------------


def _thread(kind: str, subject_id: int) -> Thread:
    """The subject's thread, made on its first comment (a race makes one, not two)."""
    existing = select(Thread).where(_of_subject(kind, subject_id))
    thread = db.session.scalar(existing)
    if thread is not None:
        return thread
    thread = Thread(subject_kind=kind, subject_id=subject_id)
    try:
        with db.session.begin_nested():  # a savepoint: a clash undoes this insert alone
            db.session.add(thread)
    except IntegrityError:  # the other participant's first comment made it a moment ago
        return db.session.scalar(existing)
    return thread


def post(
    author: User, kind: str, subject_id: int, body: str, notice: tuple[str, str] | None = None
) -> Comment:
    """Add a comment to the subject's thread and tell the other participants (with
    `notice`'s kind and text instead of the usual ones, when given)."""
    found = lookup(kind, subject_id)
    if not access.can_read(author, found):
        raise NotFound("There is no such conversation.")
    if not found.writable:
        raise NotAllowed(found.why or "This conversation is closed.")
    html = rendered(body)
    comment = Comment(
        thread=_thread(kind, subject_id),
        author_id=author.id,
        body=body,
        body_html=html,
        html_version=renderer().version,
    )
    db.session.add(comment)
    db.session.flush()  # its id, for the notifications' links
    hook = subject(kind).posted
    if hook is not None:
        hook(subject_id, author)
    kind_of_notice, text = notice or (
        "comment_posted",
        f"{author.name} wrote in your conversation about {found.label}.",
    )
    for person in found.people:
        if person.id != author.id:
            notify(person, kind_of_notice, text, f"{found.path}#comment-{comment.id}")
    db.session.commit()
    return comment


def edit(user: User, comment: Comment, body: str) -> Comment:
    """The author changes their comment, within ten minutes of sending it."""
    if not access.can_delete(user, comment):
        raise NotAllowed("Only the person who wrote a comment can change it.")
    html = rendered(body)
    now = utcnow()
    # Atomic: the window is checked by the database at the moment of writing.
    changed = db.session.execute(
        update(Comment)
        .where(
            Comment.id == comment.id,
            Comment.author_id == user.id,
            Comment.deleted_at.is_(None),
            Comment.created_at >= now - access.EDIT_WINDOW,
        )
        .values(body=body, body_html=html, html_version=renderer().version, edited_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if changed != 1:
        raise Conflict(
            f"A comment can be edited for {access.EDIT_WINDOW.seconds // 60} minutes after it "
            "is sent, and that time has passed. Copy your new text and send it as a new "
            "message instead."
        )
    db.session.refresh(comment)
    return comment


def delete(user: User, comment: Comment) -> None:
    """The author deletes their comment: it shows as deleted and its text is gone."""
    if not access.can_delete(user, comment):
        raise NotAllowed("Only the person who wrote a comment can delete it.")
    # AUDIT: comment-deleted
    db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id, Comment.deleted_at.is_(None))
        .values(body="", body_html="", deleted_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(comment)


def rerender_stale(batch: int = 500) -> int:
    """Render again the comments an older renderer made (`flask rerender`); returns how many."""
    current = renderer()
    done = 0
    while True:
        stale = db.session.scalars(
            select(Comment)
            .where(Comment.html_version != current.version, Comment.deleted_at.is_(None))
            .order_by(Comment.id)
            .limit(batch)
        ).all()
        if not stale:
            return done
        for comment in stale:
            comment.body_html, comment.html_version = current.stored(comment.body), current.version
        db.session.commit()
        done += len(stale)
