"""The evaluation of a program: participation, completion, feedback, progress, ratings,
check-in adherence and the goal — derived from what is stored, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from statistics import fmean

from flask import current_app
from markupsafe import Markup
from sqlalchemy import Float, cast, func, select

from feedback import charts
from feedback.models import Feedback, Rating, Score
from lessons.models import Assignment
from lessons.practice import status_counts
from lessons.sessions.models import GroupSession
from portal import caching
from portal.downloads import csv_text
from portal.extensions import db
from portal.programs import care as program_care
from portal.programs import surveys
from portal.programs.models import CheckIn, Match, MemberStatus, Program
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


@dataclass
class Goal:
    baseline: float | None
    latest: float | None
    target: float | None

    @property
    def verdict(self) -> str:
        if self.baseline is None or self.latest is None or self.target is None:
            return "not enough data"
        rising = self.target >= self.baseline
        reached = self.latest >= self.target if rising else self.latest <= self.target
        return "reached" if reached else "not reached"


@dataclass
class Report:
    participation: dict[str, dict[str, int]]
    topics: list[TopicRow]
    feedback_given: int
    observations: int
    session_rating: tuple[float | None, float | None, int]
    checkins_done: int
    checkins_expected: int
    pairs_on_time: int
    pairs: int
    goal: Goal
    # (phase, title, overall mean, links issued, links answered, answers counted)
    survey_points: list[tuple[str, str, float, int, int, int]]


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


def _topics(mentee_ids: list[int]) -> list[TopicRow]:
    names = dict(db.session.execute(select(Topic.id, Topic.name)).all())
    rows: dict[int, TopicRow] = {}

    def row(topic_id: int) -> TopicRow:
        return rows.setdefault(topic_id, TopicRow(names[topic_id]))

    for group in status_counts(Assignment.mentee_id.in_(mentee_ids)):
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
        .where(Feedback.mentee_id.in_(mentee_ids))
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


def _goal(program: Program) -> tuple[Goal, list[tuple[str, str, float, int, int, int]]]:
    points = []
    for survey in surveys.surveys_of(program.id):
        r = surveys.results(survey)
        if r.overall is not None:  # the link counts show whether links were topped up
            points.append(
                (survey.phase, survey.title, r.overall, r.links_issued, r.links_used, r.responses)
            )
    baselines = [p[2] for p in points if p[0] == "baseline"]
    follow_ups = [p[2] for p in points if p[0] == "follow-up"]
    baseline = (
        program.goal_baseline
        if program.goal_baseline is not None
        else (round(fmean(baselines), 2) if baselines else None)
    )
    latest = round(fmean(follow_ups), 2) if follow_ups else None
    return Goal(baseline, latest, program.target_value), points


def build(program: Program) -> Report:
    accepted = [m for m in program.members if m.status == MemberStatus.ACCEPTED]
    mentee_ids = [m.user_id for m in accepted if m.role == "mentee"] or [-1]
    mentor_ids = [m.user_id for m in accepted if m.role == "mentor"] or [-1]
    given, observations = db.session.execute(
        select(
            func.count(Feedback.id),
            func.count(Feedback.id).filter(Feedback.submission_id.is_(None)),
        ).where(Feedback.mentee_id.in_(mentee_ids), Feedback.author_id.in_(mentor_ids))
    ).one()
    helpful, clear, ratings = db.session.execute(
        select(func.avg(Rating.helpfulness), func.avg(Rating.clarity), func.count(Rating.id))
        .join(GroupSession, GroupSession.id == Rating.session_id)
        .where(GroupSession.mentor_id.in_(mentor_ids))
    ).one()
    pairs = program_care.checkin_status(program)
    done = db.session.scalar(select(func.count(CheckIn.id)).where(CheckIn.program_id == program.id))
    end = min(date.today(), program.ends_on)
    weeks = max((end - program.starts_on).days // 7, 0)
    expected = len(pairs) * (weeks // program.checkin_weeks)
    goal, points = _goal(program)
    return Report(
        participation=_participation(program),
        topics=_topics(mentee_ids),
        feedback_given=given,
        observations=observations,
        session_rating=(_round(helpful), _round(clear), ratings),
        checkins_done=done,
        checkins_expected=expected,
        pairs_on_time=sum(1 for p in pairs if p.due >= date.today()),
        pairs=len(pairs),
        goal=goal,
        survey_points=points,
    )


def cached_report(program: Program) -> tuple[datetime, Report]:
    """The report and when it was computed: at most FLIPSIDE_REPORT_SECONDS old (one minute),
    so that coordinators opening it together do not each aggregate the program's history."""
    seconds = current_app.config["FLIPSIDE_REPORT_SECONDS"]
    return caching.computed(f"program-report:{program.id}", seconds, lambda: build(program))


def _round(value) -> float | None:
    return None if value is None else round(float(value), 2)


def csv_for(program: Program, kind: str) -> str:
    """Matches, participation or goal data as CSV."""
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
        goal, points = _goal(program)
        rows = [
            ["metric", "baseline", "latest", "target", "verdict"],
            [program.goal_metric, goal.baseline, goal.latest, goal.target, goal.verdict],
            [],
            [
                "survey phase",
                "survey",
                "overall mean",
                "links issued",
                "links answered",
                "answers counted",
            ],
            *points,
        ]
    return csv_text(rows)


def report_charts(program: Program, report) -> tuple[Markup, Markup]:
    """The goal's bar chart and the rubric progress chart of a program's report."""
    goal_bars = [
        (label, value)
        for label, value in (("Baseline", report.goal.baseline), ("Latest", report.goal.latest))
        if value is not None
    ]
    goal_chart = charts.bar_chart(
        "goal",
        f"Goal: {program.goal_metric or 'no metric'}",
        f"Baseline {report.goal.baseline}, latest {report.goal.latest}, "
        f"target {report.goal.target}: {report.goal.verdict}.",
        goal_bars,
        maximum=max([v for _l, v in goal_bars] + [report.goal.target or 0, 1]),
        marker=report.goal.target,
        marker_label=f"target {report.goal.target}" if report.goal.target else "",
    )
    progress_bars = [(f"{t.topic}: first", t.first) for t in report.topics if t.first is not None]
    progress_bars += [
        (f"{t.topic}: latest", t.latest) for t in report.topics if t.latest is not None
    ]
    progress_chart = charts.bar_chart(
        "rubric",
        "Average rubric score per topic, first and latest feedback",
        "Scores from 1 to 4 across the program's mentees.",
        sorted(progress_bars),
        maximum=4,
    )
    return goal_chart, progress_chart
