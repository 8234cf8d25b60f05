"""Support: a participant asks their program's coordinators for help with their mentorship,
privately (the other person of the pair sees none of it), and the conversation follows in
the thread core as the "support" subject. No Flask request in here.

A pair belongs to the program whose matching confirmed it (`Match.mentorship_id`). A pair
outside every program has no coordinator to ask: the page says so and offers nothing, since
coordinators see only the people of the programs they run.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import contains_eager, joinedload

from portal.accounts import access as accounts_access
from portal.accounts.models import Mentorship, User
from portal.clock import utcnow
from portal.conversations import services as conversations
from portal.conversations.subjects import Found, Subject, register_subject
from portal.errors import DomainError, NotAllowed, NotFound
from portal.extensions import db
from portal.programs import access
from portal.programs.models import SUPPORT_REASONS, Match, Program, SupportRequest


def init_app(app: Flask) -> None:
    register_subject(app, Subject("support", subject, posted=_reopen))


def subject(subject_id: int) -> Found | None:
    request = db.session.get(
        SupportRequest,
        subject_id,
        options=[joinedload(SupportRequest.requester), joinedload(SupportRequest.program)],
    )
    if request is None:
        return None
    return Found(
        people=access.support_people(request),
        path=f"/support/{request.id}",
        label=f"{request.requester.name}’s support request in {request.program.name}",
    )


def program_of(mentorship: Mentorship) -> Program | None:
    """The program the pair belongs to: the latest that confirmed it (not archived)."""
    return db.session.scalar(
        select(Program)
        .join(Match, Match.program_id == Program.id)
        .where(
            Match.mentorship_id == mentorship.id,
            Match.status == "confirmed",
            Program.archived_at.is_(None),
        )
        .order_by(Match.id.desc())
        .limit(1)
    )


def ask(person: User, mentorship: Mentorship, reason: str, note: str) -> SupportRequest:
    """Send a private note to the coordinators of the pair's program; they are told."""
    if not accounts_access.is_party(person, mentorship):
        raise NotFound("There is no such mentorship.")
    if reason not in SUPPORT_REASONS:
        raise DomainError("Choose what you need help with.", field="reason")
    program = program_of(mentorship)
    if program is None or not access.program_coordinators(program):
        raise NotAllowed("This mentorship is not part of a program with a coordinator.")
    conversations.rendered(note)  # checked before anything is added
    request = SupportRequest(
        program_id=program.id,
        mentorship_id=mentorship.id,
        requester_id=person.id,
        reason=reason,
    )
    db.session.add(request)
    db.session.flush()
    conversations.post(
        person,
        "support",
        request.id,
        note,
        notice=(
            "support_requested",
            f"{person.name} asks for support in {program.name}: {request.reason_label}.",
        ),
    )
    return request


def _reopen(request_id: int, author: User) -> None:
    """A new message from the person who asked opens a resolved request again."""
    db.session.execute(
        update(SupportRequest)
        .where(
            SupportRequest.id == request_id,
            SupportRequest.requester_id == author.id,
            SupportRequest.closed_at.is_not(None),
        )
        .values(closed_at=None, closed_by_id=None)
        .execution_options(synchronize_session=False)
    )


def resolve(coordinator: User, request: SupportRequest) -> None:
    """A coordinator marks the request resolved (it leaves their dashboard)."""
    if not access.can_resolve(coordinator, request):
        raise NotAllowed("Only the program's coordinators can mark a request resolved.")
    db.session.execute(
        update(SupportRequest)
        .where(SupportRequest.id == request.id, SupportRequest.closed_at.is_(None))
        .values(closed_at=utcnow(), closed_by_id=coordinator.id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(request)


def request_page(request_id: int) -> SupportRequest | None:
    return db.session.scalar(
        select(SupportRequest)
        .where(SupportRequest.id == request_id)
        .options(
            joinedload(SupportRequest.requester),
            joinedload(SupportRequest.program),
            joinedload(SupportRequest.mentorship).joinedload(Mentorship.mentor),
            joinedload(SupportRequest.mentorship).joinedload(Mentorship.mentee),
        )
    )


def requests_of(person_id: int, mentorship_id: int) -> list[SupportRequest]:
    """One person's requests about one mentorship, newest first (the other person's are not
    theirs to see)."""
    return list(
        db.session.scalars(
            select(SupportRequest)
            .where(
                SupportRequest.requester_id == person_id,
                SupportRequest.mentorship_id == mentorship_id,
            )
            .order_by(SupportRequest.id.desc())
        )
    )


def open_for(coordinator_id: int) -> list[SupportRequest]:
    """The open requests of the programs a coordinator runs, oldest first, in one query."""
    return list(
        db.session.scalars(
            select(SupportRequest)
            .join(SupportRequest.program)
            .join(SupportRequest.requester)
            .where(Program.created_by_id == coordinator_id, SupportRequest.closed_at.is_(None))
            .options(
                contains_eager(SupportRequest.program),
                contains_eager(SupportRequest.requester),
                joinedload(SupportRequest.mentorship).joinedload(Mentorship.mentor),
                joinedload(SupportRequest.mentorship).joinedload(Mentorship.mentee),
            )
            .order_by(SupportRequest.created_at, SupportRequest.id)
        ).unique()
    )
