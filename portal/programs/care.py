"""Keeping a program healthy: check-ins with each pair, mentors' weekly hours, kudos."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.accounts.meetings.models import Meeting, MeetingStatus
from portal.accounts.models import User
from portal.clock import utcnow
from portal.errors import DomainError, NotAllowed
from portal.extensions import db
from portal.notifications.services import notify
from portal.programs.models import CheckIn, Match, Program, ProgramStatus, WorkLog
from portal.text import is_substantive

WORKLOAD_WEEKS = 4  # how far back "over the limit" looks


@dataclass
class PairCheckIn:
    match: Match
    last: date | None
    due: date
    held: int = 0  # check-ins between the program's start and its end (or today)
    expected: int = 0  # whole intervals since the pair was matched, up to the end (or today)
    meetings: int = 0  # of the held: meetings the pair logged themselves

    @property
    def overdue_days(self) -> int:
        return max((date.today() - self.due).days, 0)


def _base(program: Program, match: Match) -> date:
    return max(program.starts_on, match.created_at.date())


def expected_checkins(program: Program, match: Match, today: date | None = None) -> int:
    """How many check-ins a pair owes by now: one per whole interval since it was matched,
    counted up to the program's end (or today, if sooner)."""
    until = min(today or date.today(), program.ends_on)
    return max((until - _base(program, match)).days, 0) // (7 * program.checkin_weeks)


def checkin_status(program: Program, today: date | None = None) -> list[PairCheckIn]:
    """For each confirmed pair: the last check-in, when the next one is due, and how many
    were held and expected within the program's dates."""
    today = today or date.today()
    matches = db.session.scalars(
        select(Match)
        .where(Match.program_id == program.id, Match.status == "confirmed")
        .options(joinedload(Match.mentor), joinedload(Match.mentee))
        .order_by(Match.id)
    ).all()
    last: dict[int, date] = {}
    held: dict[int, int] = {}
    by_pair: dict[int, int] = {}
    for _program_id, match_id, held_on, logged_by_pair in held_checkins([program.id]):
        last[match_id] = max(held_on, last.get(match_id, held_on))
        if program.starts_on <= held_on <= min(today, program.ends_on):
            held[match_id] = held.get(match_id, 0) + 1
            by_pair[match_id] = by_pair.get(match_id, 0) + logged_by_pair
    interval = timedelta(weeks=program.checkin_weeks)
    return [
        PairCheckIn(
            m,
            last.get(m.id),
            (last.get(m.id) or _base(program, m)) + interval,
            held.get(m.id, 0),
            expected_checkins(program, m, today),
            by_pair.get(m.id, 0),
        )
        for m in matches
    ]


def held_checkins(program_ids: list[int]) -> list[tuple[int, int, date, bool]]:
    """(program, match, day, logged by the pair) for every check-in of these programs: the
    coordinators' check-ins, and the meetings the pairs held (their time has come and nobody
    cancelled them). Two queries, whatever the number of programs, pairs or meetings; only
    dates leave here, never a meeting's agenda or notes."""
    if not program_ids:
        return []
    rows = [
        (program_id, match_id, held_on, False)
        for program_id, match_id, held_on in db.session.execute(
            select(CheckIn.program_id, CheckIn.match_id, CheckIn.held_on).where(
                CheckIn.program_id.in_(program_ids)
            )
        )
    ]
    meetings = db.session.execute(
        select(Match.program_id, Match.id, Meeting.starts_at)
        .join(Meeting, Meeting.mentorship_id == Match.mentorship_id)
        .where(
            Match.program_id.in_(program_ids),
            Match.status == "confirmed",
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at <= utcnow(),
        )
    )
    rows += [
        (program_id, match_id, starts.date(), True) for program_id, match_id, starts in meetings
    ]
    return rows


def overdue(programs: list[Program]) -> list[tuple[Program, PairCheckIn]]:
    """Overdue check-ins across active programs, most overdue first."""
    today = date.today()
    late = [
        (p, c)
        for p in programs
        if p.status == ProgramStatus.ACTIVE
        for c in checkin_status(p)
        if c.due < today
    ]
    return sorted(late, key=lambda pc: pc[1].due)


@dataclass
class CheckInData:
    held_on: date
    what_works: str
    what_does_not: str
    actions: str
    private_notes: str = ""


def record_checkin(program: Program, match: Match, author: User, data: CheckInData) -> CheckIn:
    if not author.is_coordinator:
        raise NotAllowed("Coordinators record check-ins.")
    if match.program_id != program.id or match.status != "confirmed":
        raise DomainError("Check-ins are for confirmed pairs of this program.")
    if data.held_on > date.today():
        raise DomainError("A check-in cannot be in the future.", field="held_on")
    for name in ("what_works", "what_does_not", "actions"):
        if not is_substantive(getattr(data, name)):
            raise DomainError("Write at least a short sentence.", field=name)
    entry = CheckIn(program_id=program.id, match_id=match.id, author_id=author.id, **vars(data))
    db.session.add(entry)
    for person, other in ((match.mentor, match.mentee), (match.mentee, match.mentor)):
        if person.id == author.id:
            continue  # nobody is told what they did themself
        notify(
            person,
            "checkin_recorded",
            f"{author.name} recorded your check-in with {other.name} in “{program.name}” "
            f"({data.held_on:%-d %B}). Agreed next: {data.actions.strip()[:160]}",
            f"/programs/{program.id}",
        )
    db.session.commit()
    return entry


def checkins_of(match_id: int) -> list[CheckIn]:
    return list(
        db.session.scalars(
            select(CheckIn)
            .where(CheckIn.match_id == match_id)
            .options(joinedload(CheckIn.author))
            .order_by(CheckIn.held_on.desc(), CheckIn.id.desc())
        )
    )


# Workload -----------------------------------------------------------------------------------


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def log_hours(program: Program, mentor_id: int, day: date, hours: float) -> WorkLog:
    """Record (or correct) a mentor's hours for the week containing `day`."""
    if not 0 <= hours <= 80:
        raise DomainError("Enter between 0 and 80 hours.", field="hours")
    if day > date.today():
        raise DomainError("Log hours for this week or earlier weeks.", field="week")
    week = monday(day)
    entry = db.session.scalar(
        select(WorkLog).where(
            WorkLog.program_id == program.id,
            WorkLog.mentor_id == mentor_id,
            WorkLog.week_start == week,
        )
    ) or WorkLog(program_id=program.id, mentor_id=mentor_id, week_start=week)
    entry.hours = hours
    db.session.add(entry)
    db.session.commit()
    return entry


@dataclass
class Workload:
    mentor: User
    weeks: list[tuple[date, float]]  # recent weeks, newest first

    def over(self, limit: float) -> list[tuple[date, float]]:
        return [(w, h) for w, h in self.weeks if h > limit]


def workloads(program: Program, mentors: list[User]) -> list[Workload]:
    since = monday(date.today()) - timedelta(weeks=WORKLOAD_WEEKS - 1)
    logs: dict[int, list[tuple[date, float]]] = {}
    for log in db.session.scalars(
        select(WorkLog)
        .where(WorkLog.program_id == program.id, WorkLog.week_start >= since)
        .order_by(WorkLog.week_start.desc())
    ):
        logs.setdefault(log.mentor_id, []).append((log.week_start, log.hours))
    return [Workload(m, logs.get(m.id, [])) for m in mentors]


@dataclass(frozen=True)
class Overwork:
    program: Program
    mentor: User
    weeks: list[tuple[date, float]]  # the recent weeks over the program's limit, newest first


def overworked(programs: list[Program]) -> list[Overwork]:
    """Mentors of these programs over the weekly limit in recent weeks (one query)."""
    if not programs:
        return []
    since = monday(date.today()) - timedelta(weeks=WORKLOAD_WEEKS - 1)
    found: dict[tuple[int, int], Overwork] = {}
    rows = db.session.execute(
        select(WorkLog, Program, User)
        .join(Program, Program.id == WorkLog.program_id)
        .join(User, User.id == WorkLog.mentor_id)
        .where(
            WorkLog.program_id.in_([p.id for p in programs]),
            WorkLog.week_start >= since,
            WorkLog.hours > Program.weekly_hours_limit,
        )
        .order_by(Program.id, User.name, WorkLog.week_start.desc())
    )
    for log, program, mentor in rows:
        key = (program.id, mentor.id)
        found.setdefault(key, Overwork(program, mentor, [])).weeks.append(
            (log.week_start, log.hours)
        )
    return list(found.values())
