"""Programs side by side (/programs/overview): each program's dates, participation,
completion, check-in adherence, rubric progress per topic, goal verdict and coverage, and
each cohort beside the one it runs again.

A fixed number of queries whatever the number of programs: every figure is gathered for all
the shown programs at once and split in Python. The goal is judged by the same
`evaluation.evaluate` as each program's report, from the same survey figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from feedback import evaluation, program_report
from feedback.models import Feedback, Score
from lessons.models import Submission, SubmissionStatus
from portal.extensions import db
from portal.programs import care as program_care
from portal.programs import surveys
from portal.programs.models import Match, Member, MemberStatus, Program
from portal.topics import Topic


@dataclass
class ProgramRow:
    program: Program
    invited: int = 0
    accepted: int = 0
    matched: int = 0  # confirmed pairs
    answers: int = 0
    accepted_answers: int = 0
    held: int = 0
    expected: int = 0
    progress: dict[str, float] = field(default_factory=dict)  # topic -> latest - first mean
    goal: evaluation.Goal | None = None

    @property
    def completion(self) -> int | None:
        """Accepted answers of all answers the matched mentees gave, in %."""
        return round(100 * self.accepted_answers / self.answers) if self.answers else None

    @property
    def adherence(self) -> int | None:
        """Check-ins held of those expected, in % (at most 100)."""
        return min(round(100 * self.held / self.expected), 100) if self.expected else None


@dataclass(frozen=True)
class Change:
    """A cohort against the one it runs again."""

    previous: Program
    matched: int
    completion: int | None
    adherence: int | None
    goal: float | None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, UTC)


def overview(focus: str | None = None, year: int | None = None, today: date | None = None):
    """Rows for the programs matching the filters, newest first, and the change of each
    cohort from its predecessor (when both are shown)."""
    today = today or date.today()
    query = select(Program).order_by(Program.starts_on.desc(), Program.id.desc())
    if focus:
        query = query.where(Program.focus == focus)
    shown = db.session.scalars(query).all()
    if year:
        shown = [p for p in shown if p.starts_on.year == year]
    rows = {p.id: ProgramRow(p) for p in shown}
    ids = list(rows)
    if not ids:
        return [], {}
    for program_id, status, count in db.session.execute(
        select(Member.program_id, Member.status, func.count())
        .where(Member.program_id.in_(ids))
        .group_by(Member.program_id, Member.status)
    ):
        rows[program_id].invited += count
        if status == MemberStatus.ACCEPTED:
            rows[program_id].accepted += count
    matches = db.session.scalars(
        select(Match)
        .where(Match.program_id.in_(ids), Match.status == "confirmed")
        .options(joinedload(Match.mentee))
    ).all()
    pairs = defaultdict(list)
    for match in matches:
        pairs[match.program_id].append(match)
        rows[match.program_id].matched += 1
    _checkins(rows, pairs, today)
    _answers(rows, today)
    _progress(rows, today)
    _goals(rows, pairs, today)
    ordered = [rows[i] for i in ids]
    changes = {
        row.program.id: _change(row, rows[row.program.previous_id])
        for row in ordered
        if row.program.previous_id in rows
    }
    return ordered, changes


def _checkins(rows: dict[int, ProgramRow], pairs, today: date) -> None:
    held = defaultdict(int)
    for program_id, match_id, held_on, _by_pair in program_care.held_checkins(list(rows)):
        program = rows[program_id].program
        if program.starts_on <= held_on <= min(today, program.ends_on):
            held[match_id] += 1
    for program_id, matches in pairs.items():
        row = rows[program_id]
        for match in matches:
            row.expected += program_care.expected_checkins(row.program, match, today)
            row.held += held[match.id]


def _in_program(program: Program, moment: datetime, today: date) -> bool:
    until = min(today, program.ends_on)
    return _midnight(program.starts_on) <= moment < _midnight(until) + timedelta(days=1)


def _answers(rows: dict[int, ProgramRow], today: date) -> None:
    """Answers of each program's matched mentees within its dates (one query)."""
    for program_id, status, updated_at in db.session.execute(
        select(Match.program_id, Submission.status, Submission.created_at)
        .join(Submission, Submission.mentee_id == Match.mentee_id)
        .where(Match.program_id.in_(list(rows)), Match.status == "confirmed")
    ):
        row = rows[program_id]
        if _in_program(row.program, updated_at, today):
            row.answers += 1
            row.accepted_answers += status == SubmissionStatus.ACCEPTED


def _progress(rows: dict[int, ProgramRow], today: date) -> None:
    """Per topic: the matched mentees' latest mean rubric score minus their first (one query
    of one row per feedback)."""
    scores = db.session.execute(
        select(
            Match.program_id,
            Topic.name,
            Feedback.mentee_id,
            Feedback.created_at,
            Feedback.id,
            func.avg(Score.level),
        )
        .join(Feedback, Feedback.mentee_id == Match.mentee_id)
        .join(Score, Score.feedback_id == Feedback.id)
        .join(Topic, Topic.id == Feedback.topic_id)
        .where(Match.program_id.in_(list(rows)), Match.status == "confirmed")
        .group_by(
            Match.program_id, Topic.name, Feedback.mentee_id, Feedback.created_at, Feedback.id
        )
    ).all()
    series = defaultdict(list)  # (program, topic, mentee) -> [(when, id, mean)]
    for program_id, topic, mentee_id, created_at, feedback_id, mean in scores:
        if _in_program(rows[program_id].program, created_at, today):
            series[(program_id, topic, mentee_id)].append((created_at, feedback_id, float(mean)))
    changes = defaultdict(list)
    for (program_id, topic, _mentee), points in series.items():
        if len(points) >= 2:
            points.sort()
            changes[(program_id, topic)].append(points[-1][2] - points[0][2])
    for (program_id, topic), values in changes.items():
        rows[program_id].progress[topic] = round(sum(values) / len(values), 2)


def _goals(rows: dict[int, ProgramRow], pairs, today: date) -> None:
    """Each program's goal, judged as its report judges it, from batched survey figures."""
    survey_results = surveys.results_of_programs(list(rows))
    for program_id, row in rows.items():
        mentees = {
            m.mentee_id: evaluation.MenteeResult(m.mentee_id, m.mentee.name)
            for m in pairs.get(program_id, [])
        }
        for survey, results in survey_results.get(program_id, []):
            program_report.record(mentees, survey, results)
        row.goal = program_report.judge(row.program, mentees, today)


def _delta(new, old):
    return None if new is None or old is None else round(new - old, 2)


def _latest(row: ProgramRow) -> float | None:
    return row.goal.latest if row.goal else None


def _change(row: ProgramRow, previous: ProgramRow) -> Change:
    return Change(
        previous=previous.program,
        matched=row.matched - previous.matched,
        completion=_delta(row.completion, previous.completion),
        adherence=_delta(row.adherence, previous.adherence),
        goal=_delta(
            row.goal.latest if row.goal else None, previous.goal.latest if previous.goal else None
        ),
    )


CSV_HEADER = [
    "program",
    "focus",
    "starts on",
    "ends on",
    "state",
    "invited",
    "accepted",
    "matched pairs",
    "completion %",
    "check-ins held",
    "check-ins expected",
    "adherence %",
    "rubric progress per topic",
    "goal verdict",
    "goal latest",
    "mentees counted",
    "mentees needed",
    "previous cohort",
]


def csv_rows(rows: list[ProgramRow]) -> list[list]:
    out = [CSV_HEADER]
    for r in rows:
        p, goal = r.program, r.goal
        out.append(
            [
                p.name,
                p.focus_label,
                p.starts_on.isoformat(),
                p.ends_on.isoformat(),
                p.state,
                r.invited,
                r.accepted,
                r.matched,
                "" if r.completion is None else r.completion,
                r.held,
                r.expected,
                "" if r.adherence is None else r.adherence,
                "; ".join(f"{t} {v:+.2f}" for t, v in sorted(r.progress.items())),
                goal.verdict if goal else "",
                "" if not goal or goal.latest is None else goal.latest,
                goal.paired if goal else "",
                goal.needed if goal else "",
                p.previous.name if p.previous else "",
            ]
        )
    return out
