"""What programs remind people of: check-ins coming due and overdue, invitations unanswered."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from portal.notifications.reminders import Reminder
from portal.programs.care import checkin_status
from portal.programs.models import Member, MemberStatus, Program, ProgramStatus

SOON_DAYS = 3
INVITATION_WAITS = timedelta(days=7)


def checkin_reminders(now: datetime):
    """A pair's check-in due within three days (the pair), and overdue (the pair and the
    coordinator): once per pair, due date and occasion."""
    today = now.date()
    for program in db.session.scalars(
        select(Program).where(Program.status == ProgramStatus.ACTIVE)
    ):
        coordinator = db.session.get(User, program.created_by_id)
        for pair in checkin_status(program, today):
            days = (pair.due - today).days
            path = f"/programs/{program.id}"
            names = f"{pair.match.mentor.name} and {pair.match.mentee.name}"
            if 0 <= days <= SOON_DAYS:
                when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
                for person in (pair.match.mentor, pair.match.mentee):
                    yield Reminder(
                        f"checkin-soon:{pair.match.id}:{pair.due.isoformat()}:{person.id}",
                        person,
                        f"Your check-in in “{program.name}” is due {when} ({pair.due:%-d %B}).",
                        path,
                    )
            elif days < 0:
                due = f"{pair.due:%-d %B}"
                for person, other in (
                    (pair.match.mentor, pair.match.mentee),
                    (pair.match.mentee, pair.match.mentor),
                ):
                    yield Reminder(
                        f"checkin-overdue:{pair.match.id}:{pair.due.isoformat()}:{person.id}",
                        person,
                        f"Your check-in with {other.name} in “{program.name}” was due on {due}.",
                        path,
                    )
                yield Reminder(
                    f"checkin-overdue:{pair.match.id}:{pair.due.isoformat()}:{coordinator.id}",
                    coordinator,
                    f"The check-in of {names} in “{program.name}” was due on {due} and is overdue.",
                    path,
                )


def invitation_reminders(now: datetime):
    """A program invitation still unanswered after a week: the invitee, once."""
    waiting = db.session.scalars(
        select(Member).where(
            Member.status == MemberStatus.INVITED, Member.invited_at < now - INVITATION_WAITS
        )
    ).all()
    for member in waiting:
        program = member.program
        if program.status == ProgramStatus.CLOSED:
            continue
        yield Reminder(
            f"program-invitation:{member.id}",
            member.user,
            f"You have not answered the invitation to “{program.name}” yet: will you take part?",
            f"/programs/{program.id}#answer-h",
        )
