"""The programs area's sections on shared pages."""

from __future__ import annotations

from sqlalchemy.orm import contains_eager

from portal.conversations import services as conversations
from portal.extensions import db
from portal.panels import Panel, register_panel
from portal.programs import access, support
from portal.programs.care import overdue, overworked
from portal.programs.models import Member, MemberStatus, Program, ProgramStatus


def init_app(app) -> None:
    register_panel(app, Panel("programs/_overdue.html", overdue_checkins, order=5))
    register_panel(app, Panel("programs/_invitations.html", invitations, order=8))
    register_panel(app, Panel("programs/_overworked.html", overworked_mentors, order=6))
    register_panel(app, Panel("programs/_support_requests.html", support_requests, order=4))
    register_panel(
        app, Panel("programs/_mentorship_support.html", mentorship_support, slot="mentorship")
    )


def invitations(user) -> dict | None:
    """Programs this person is invited to and has not answered, to answer right here."""
    pending = db.session.scalars(
        db.select(Member)
        .join(Member.program)
        .where(
            Member.user_id == user.id,
            Member.status == MemberStatus.INVITED,
            Program.status != ProgramStatus.CLOSED,
        )
        .options(contains_eager(Member.program))
        .order_by(Program.starts_on, Program.id)
    ).all()
    if not pending:
        return None
    return {"pending": pending, "topics": {"mentor": user.expertise, "mentee": user.interests}}


def overdue_checkins(user) -> dict | None:
    """Coordinators see overdue check-ins of active programs first thing."""
    if not user.is_coordinator:
        return None
    active = db.session.scalars(
        db.select(Program).where(Program.status == ProgramStatus.ACTIVE)
    ).all()
    late = overdue(list(active))
    return {"late": late} if late else None


def overworked_mentors(user) -> dict | None:
    """Coordinators see mentors over their program's weekly hours limit, not only per program."""
    if not user.is_coordinator:
        return None
    active = db.session.scalars(
        db.select(Program).where(Program.status == ProgramStatus.ACTIVE)
    ).all()
    over = overworked(list(active))
    return {"over": over} if over else None


def support_requests(user) -> dict | None:
    """Coordinators see the open support requests of their programs: two queries however
    many there are (the requests with people and programs, and each one's latest message)."""
    if not user.is_coordinator:
        return None
    requests = support.open_for(user.id)
    if not requests:
        return None
    latest = conversations.latest("support", [r.id for r in requests])
    return {"requests": requests, "latest": latest}


def mentorship_support(user, mentorship) -> dict:
    """On the pair's page: ask the program's coordinators, and one's own earlier requests."""
    program = support.program_of(mentorship)
    return {
        "m": mentorship,
        "program": program,
        "coordinators": access.program_coordinators(program) if program else [],
        "requests": support.requests_of(user.id, mentorship.id),
    }
