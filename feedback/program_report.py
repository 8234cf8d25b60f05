"""The evaluation of a program: participation, completion, feedback, progress, ratings,
check-in adherence and the goal — derived from what is stored, in a fixed number of queries
(plus one `surveys.results` per survey). Every figure counts only the program's confirmed
pairs, from the program's start to its end (or today); the goal is judged in `evaluation`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from markupsafe import Markup
from sqlalchemy import Float, cast, exists, func, or_, select

from feedback import charts, evaluation
from feedback.models import Feedback, FeedbackTally, Rating, Score
from lessons.models import Assignment, Lesson, Submission
from lessons.practice import status_counts
from portal import caching
from portal.downloads import csv_text
from portal.extensions import db
from portal.programs import care as program_care
from portal.programs import surveys
from portal.programs.models import Match, MemberStatus, Program
from portal.topics import Topic


@dataclass
class TopicRow:
    topic: str
    lessons_started: int = 0
    lessons_completed: int = 0
    tasks_submitted: int = 0
    tasks_accepted: int = 0
    first_mean: float | None = None  # over mentees: each one's first mean score in the topic
    latest_mean: float | None = None  # … and each one's latest

    @property
    def first(self) -> float | None:
        return _round(self.first_mean)

    @property
    def latest(self) -> float | None:
        return _round(self.latest_mean)


@dataclass(frozen=True)
class PairRow:
    """A confirmed pair's check-ins: held and expected within the program's dates."""

    mentor: str
    mentee: str
    held: int
    expected: int
    due: date
    up_to_date: bool


@dataclass
class Report:
    participation: dict[str, dict[str, int]]
    topics: list[TopicRow]
    feedback_given: int
    observations: int
    rating: tuple[float | None, float | None, int]  # helpfulness, clarity, how many
    pairs: list[PairRow]
    goal: evaluation.Goal
    waiting_surveys: int  # surveys about matched mentees without results yet
    # (phase, title, overall mean, links issued, links answered, answers counted): the link
    # counts show whether someone topped a survey up with spare links of their own
    survey_points: list[tuple[str, str, float, int, int, int, int]]
    since: date  # the figures count what happened from here …
    until: date  # … to here (the end, or today)

    @property
    def checkins_held(self) -> int:
        return sum(p.held for p in self.pairs)

    @property
    def checkins_expected(self) -> int:
        return sum(p.expected for p in self.pairs)

    @property
    def pairs_on_time(self) -> int:
        return sum(p.up_to_date for p in self.pairs)


def _participation(program: Program) -> dict[str, dict[str, int]]:
    matched = set(
        db.session.scalars(
            select(Match.mentee_id).where(
                Match.program_id == program.id, Match.status == "confirmed"
            )
        )
    )
    mentors = set(
        db.session.scalars(
            select(Match.mentor_id).where(
                Match.program_id == program.id, Match.status == "confirmed"
            )
        )
    )
    table = {}
    for role, paired in (("mentor", mentors), ("mentee", matched)):
        people = [m for m in program.members if m.role == role]
        table[role] = {
            "invited": len(people),
            "accepted": sum(m.status == MemberStatus.ACCEPTED for m in people),
            "matched": sum(m.user_id in paired for m in people),
        }
    return table


@dataclass(frozen=True)
class Scope:
    """What the report counts: the program's confirmed pairs, from its start to its end
    (or today), as half-open UTC times."""

    program_id: int
    since: datetime
    until: datetime

    @classmethod
    def of(cls, program: Program, today: date) -> Scope:
        last = min(today, program.ends_on)
        return cls(program.id, _midnight(program.starts_on), _midnight(last + timedelta(days=1)))

    def pair(self, mentor, mentee):
        """A confirmed match of the program between these two columns."""
        return (
            (Match.program_id == self.program_id)
            & (Match.status == "confirmed")
            & (Match.mentor_id == mentor)
            & (Match.mentee_id == mentee)
        )

    def during(self, column):
        return (column >= self.since) & (column < self.until)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _topics(scope: Scope) -> list[TopicRow]:
    names = dict(db.session.execute(select(Topic.id, Topic.name)).all())
    rows: dict[int, TopicRow] = {}

    def row(topic_id: int) -> TopicRow:
        return rows.setdefault(topic_id, TopicRow(names[topic_id]))

    # Lessons a mentee started during the program, written or given by their program mentor.
    pair_lesson = exists().where(
        scope.pair(Match.mentor_id, Assignment.mentee_id),
        or_(Match.mentor_id == Lesson.author_id, Match.mentor_id == Assignment.assigned_by_id),
    )
    for group in status_counts(
        pair_lesson,
        scope.during(Assignment.created_at),
        answers=scope.during(Submission.created_at),
    ):
        r = row(group.topic_id)
        r.lessons_started += group.assignments * (group.status != "not started")
        r.lessons_completed += group.assignments * (group.status == "completed")
        r.tasks_submitted += group.assignments * group.answered
        r.tasks_accepted += group.assignments * group.accepted
    # Each mentee's first and latest mean score per topic, averaged per topic by the database.
    means = (
        select(
            Feedback.mentee_id,
            Feedback.topic_id,
            func.avg(cast(Score.level, Float)).label("mean"),
            func.row_number()
            .over(
                partition_by=(Feedback.mentee_id, Feedback.topic_id),
                order_by=(Feedback.created_at, Feedback.id),
            )
            .label("from_first"),
            func.row_number()
            .over(
                partition_by=(Feedback.mentee_id, Feedback.topic_id),
                order_by=(Feedback.created_at.desc(), Feedback.id.desc()),
            )
            .label("from_latest"),
        )
        .join(Score, Score.feedback_id == Feedback.id)
        .join(Match, scope.pair(Feedback.author_id, Feedback.mentee_id))
        .where(scope.during(Feedback.created_at))
        .group_by(Feedback.id, Feedback.mentee_id, Feedback.topic_id, Feedback.created_at)
        .subquery()
    )
    for topic_id, first, latest in db.session.execute(
        select(
            means.c.topic_id,
            func.avg(means.c.mean).filter(means.c.from_first == 1),
            func.avg(means.c.mean).filter(means.c.from_latest == 1),
        ).group_by(means.c.topic_id)
    ):
        row(topic_id).first_mean, row(topic_id).latest_mean = first, latest
    return sorted(rows.values(), key=lambda r: r.topic)


def _goal(
    program: Program, pairs: list[program_care.PairCheckIn], today: date
) -> tuple[evaluation.Goal, int, list[tuple[str, str, float, int, int, int]]]:
    """The goal judged from each matched mentee's own surveys, and how many surveys about
    them still wait for enough answers. Figures come from `surveys.results`, which decides
    what may be shown without revealing anyone's answers."""
    mentees = {
        p.match.mentee_id: evaluation.MenteeResult(p.match.mentee_id, p.match.mentee.name)
        for p in sorted(pairs, key=lambda p: p.match.mentee.name)
    }
    waiting = 0
    points = []
    for survey in surveys.surveys_of(program.id):  # oldest first
        results = surveys.results(survey)
        if results.overall is not None:
            points.append(
                (
                    survey.phase,
                    survey.title,
                    results.overall,
                    results.links_issued,
                    survey.links_emailed,
                    results.links_used,
                    results.responses,
                )
            )
        if survey.subject_id in mentees and survey.phase in surveys.PHASES:
            waiting += results.overall is None
            record(mentees, survey, results)
    return judge(program, mentees, today), waiting, points


def record(mentees: dict[int, evaluation.MenteeResult], survey, results: surveys.Results) -> None:
    """A survey with results counts for its matched mentee, as a baseline or a follow-up."""
    mentee = mentees.get(survey.subject_id)
    if mentee is None or survey.phase not in surveys.PHASES or results.overall is None:
        return
    measure = evaluation.Measure(results.overall, results.responses, survey.title)
    (mentee.baselines if survey.phase == "baseline" else mentee.follow_ups).append(measure)


def judge(
    program: Program, mentees: dict[int, evaluation.MenteeResult], today: date
) -> evaluation.Goal:
    """The program's goal, judged from its matched mentees' surveys against its own settings
    (the report and the programs overview judge it the same way)."""
    return evaluation.evaluate(
        list(mentees.values()),
        typed_baseline=program.goal_baseline,
        target=program.goal_target,
        target_kind=program.target_kind,
        coverage=program.evaluation_coverage,
        starts_on=program.starts_on,
        ends_on=program.ends_on,
        today=today,
    )


def build(program: Program, today: date | None = None) -> Report:
    """Every figure of the evaluation, counted within `Scope`."""
    today = today or date.today()
    scope = Scope.of(program, today)
    given, observations = db.session.execute(
        select(
            func.count(Feedback.id),
            func.count(Feedback.id).filter(Feedback.submission_id.is_(None)),
        )
        .join(Match, scope.pair(Feedback.author_id, Feedback.mentee_id))
        .where(scope.during(Feedback.created_at))
    ).one()
    kept = db.session.get(FeedbackTally, program.id)  # counted before accounts were deleted
    if kept is not None:
        given, observations = given + kept.feedback_given, observations + kept.observations
    helpful, clear, ratings = db.session.execute(
        select(func.avg(Rating.helpfulness), func.avg(Rating.clarity), func.count(Rating.id))
        .join(Match, scope.pair(Rating.mentor_id, Rating.rater_id))
        .where(scope.during(Rating.created_at))
    ).one()
    pairs = program_care.checkin_status(program, today)
    goal, waiting, points = _goal(program, pairs, today)
    return Report(
        participation=_participation(program),
        topics=_topics(scope),
        feedback_given=given,
        observations=observations,
        rating=(_round(helpful), _round(clear), ratings),
        pairs=[
            PairRow(
                p.match.mentor.name, p.match.mentee.name, p.held, p.expected, p.due, p.due >= today
            )
            for p in pairs
        ],
        goal=goal,
        waiting_surveys=waiting,
        survey_points=points,
        since=program.starts_on,
        until=min(today, program.ends_on),
    )


def cached_report(program: Program) -> tuple[datetime, Report]:
    """The report and when it was computed: at most FLIPSIDE_REPORT_SECONDS old (one minute),
    so that coordinators opening it together do not each aggregate the program's history.
    The key names the day and the program's settings, so a new day or an edited goal, date
    or coverage is never answered from an older report."""
    seconds = current_app.config["FLIPSIDE_REPORT_SECONDS"]
    today = date.today()
    return caching.computed(_cache_key(program, today), seconds, lambda: build(program, today))


def _cache_key(program: Program, today: date) -> str:
    settings = (
        program.starts_on,
        program.ends_on,
        program.goal_baseline,
        program.goal_target,
        program.target_kind,
        program.checkin_weeks,
        program.evaluation_coverage,
        today,
    )
    digest = hashlib.sha256(repr(settings).encode()).hexdigest()[:16]
    return f"program-report:{program.id}:{digest}"


def _round(value) -> float | None:
    return None if value is None else round(float(value), 2)


def csv_for(program: Program, kind: str) -> str:
    """Matches, participation or goal data as CSV (through the one neutralising writer)."""
    if kind == "matches":
        rows = [["mentor", "mentee", "status", "mentee's rank", "mentor's rank"]]
        rows += [
            [m.mentor.name, m.mentee.name, m.status, m.mentee_rank or "", m.mentor_rank or ""]
            for m in db.session.scalars(select(Match).where(Match.program_id == program.id))
        ]
    elif kind == "participation":
        rows = [["role", "invited", "accepted", "matched"]]
        rows += [
            [role, numbers["invited"], numbers["accepted"], numbers["matched"]]
            for role, numbers in _participation(program).items()
        ]
    else:
        rows = _goal_rows(program)
    return csv_text(rows)


GOAL_COLUMNS = "metric,baseline,baseline from,latest,target,paired,matched,needed,verdict"
MENTEE_COLUMNS = "mentee,baseline,baseline answers,follow-up,follow-up answers,change,counted"
SURVEY_COLUMNS = (
    "survey phase,survey,overall mean,links issued,of them sent by email,links answered,"
    "answers counted"
)


def _goal_rows(program: Program) -> list[list]:
    today = date.today()
    goal, _waiting, points = _goal(program, program_care.checkin_status(program, today), today)
    source = goal.baseline_source or ""
    figures = (goal.baseline, source, goal.latest, goal.target, goal.paired, goal.matched)
    rows = [
        GOAL_COLUMNS.split(","),
        [program.goal_metric, *map(_blank, figures), goal.needed, goal.verdict],
        [],
        MENTEE_COLUMNS.split(","),
    ]
    for r in goal.rows:
        typed = "typed" if r.baseline is not None and r.baseline_responses is None else ""
        rows.append(
            [
                r.name,
                _blank(r.baseline),
                _blank(r.baseline_responses, typed),
                *map(_blank, (r.follow_up, r.follow_up_responses, r.change)),
                "yes" if r.counted else "no",
            ]
        )
    return [*rows, [], SURVEY_COLUMNS.split(","), *map(list, points)]


def _blank(value, instead: str = ""):
    return instead if value is None else value


def report_charts(program: Program, report: Report) -> tuple[Markup, Markup]:
    """The goal's bar chart and the rubric progress chart of a program's report."""
    goal = report.goal
    goal_bars = [
        (label, value)
        for label, value in (("Baseline", goal.baseline), ("Latest", goal.latest))
        if value is not None
    ]
    goal_chart = charts.bar_chart(
        "goal",
        f"Goal: {program.goal_metric or 'no metric'}",
        f"Baseline {_dash(goal.baseline)} ({goal.baseline_source or 'none'}), latest "
        f"{_dash(goal.latest)} from {goal.paired} of {goal.matched} matched mentees, "
        f"target {_dash(goal.target)}: {goal.verdict}.",
        goal_bars,
        maximum=max([v for _l, v in goal_bars] + [goal.target or 0, 1]),
        marker=goal.target,
        marker_label=f"target {goal.target}" if goal.target else "",
    )
    progress_bars = [(f"{t.topic}: first", t.first) for t in report.topics if t.first is not None]
    progress_bars += [
        (f"{t.topic}: latest", t.latest) for t in report.topics if t.latest is not None
    ]
    progress_chart = charts.bar_chart(
        "rubric",
        "Average rubric score per topic, first and latest feedback",
        "Scores from 1 to 4 given within each pair during the program.",
        sorted(progress_bars),
        maximum=4,
    )
    return goal_chart, progress_chart


def _dash(value) -> str:
    return "—" if value is None else str(value)
