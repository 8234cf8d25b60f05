"""Who may see and do what in a program: the one place these rules live.

Coordinators run programs; members (invited mentors and mentees) see the program's page and
their own part of it; nobody else learns that a program exists.
"""

from __future__ import annotations

from portal.accounts.models import User
from portal.extensions import db
from portal.programs.models import Member, MemberStatus, Program


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_run(user) -> bool:
    """Creating programs, inviting, matching, check-ins, surveys and reports."""
    return _signed_in(user) and user.is_coordinator


def member(program: Program, user_id: int) -> Member | None:
    """The person's membership of the program, if they were invited."""
    return next((m for m in program.members if m.user_id == user_id), None)


def can_view(user, program: Program) -> bool:
    """The program's page: coordinators, and the people invited to it unless it is archived."""
    if can_run(user):
        return True
    return program.archived_at is None and _signed_in(user) and member(program, user.id) is not None


def is_accepted_mentor(m: Member | None) -> bool:
    return m is not None and m.role == "mentor" and m.status == MemberStatus.ACCEPTED


def can_log_hours(user, program: Program) -> bool:
    """Accepted mentors log the hours they gave the program."""
    return _signed_in(user) and is_accepted_mentor(member(program, user.id))


def program_coordinators(program: Program) -> list:
    """Who coordinates a program: the coordinator who runs it (as for a mentee's record)."""
    person = db.session.get(User, program.created_by_id)
    return [person] if person is not None and person.is_coordinator else []


def support_people(request) -> list:
    """A support request's conversation: the person who asked and their program's
    coordinators. Never the other person of the pair."""
    return [request.requester, *program_coordinators(request.program)]


def can_resolve(user, request) -> bool:
    """Marking a request resolved: the program's coordinators."""
    return _signed_in(user) and user.id in {p.id for p in program_coordinators(request.program)}
