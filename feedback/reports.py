"""Progress and feedback history for one mentee: loaded in a fixed number of queries,
computed by `feedback.progress`, exported as CSV."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from feedback import charts, progress
from feedback.models import Criterion, Feedback, Score, SelfAssessment
from lessons.models import Assignment, Lesson, Submission, Task
from lessons.practice import status_counts
from portal.downloads import csv_text
from portal.extensions import db
from portal.topics import Topic


def progress_of(mentee_id: int) -> list[progress.TopicProgress]:
    """Per-topic progress for a mentee, derived afresh from what is stored."""
    topics = [
        progress.TopicRef(t.id, t.slug, t.name)
        for t in db.session.scalars(select(Topic).order_by(Topic.name))
    ]
    lessons = [
        progress.LessonRecord(group.topic_id, group.status)
        for group in status_counts(Assignment.mentee_id == mentee_id)
        for _ in range(group.assignments)
    ]
    submissions = [
        progress.SubmissionRecord(topic_id, status)
        for topic_id, status in db.session.execute(
            select(Lesson.topic_id, Submission.status)
            .join(Task, Task.lesson_id == Lesson.id)
            .join(Submission, Submission.task_id == Task.id)
            .where(Submission.mentee_id == mentee_id)
        )
    ]
    feedback = _feedback_records(mentee_id)
    selfs = [
        progress.SelfRecord(s.topic_id, s.created_at, s.confidence)
        for s in db.session.scalars(
            select(SelfAssessment).where(SelfAssessment.user_id == mentee_id)
        )
    ]
    return progress.compute(topics, lessons, submissions, feedback, selfs)


def _feedback_records(mentee_id: int) -> list[progress.FeedbackRecord]:
    """Each feedback's topic, time and scores, oldest first: plain rows, not objects, since a
    long history has hundreds of them and the charts need nothing else."""
    rows = db.session.execute(
        select(Feedback.id, Feedback.topic_id, Feedback.created_at, Criterion.name, Score.level)
        .outerjoin(Score, Score.feedback_id == Feedback.id)
        .outerjoin(Criterion, Criterion.id == Score.criterion_id)
        .where(Feedback.mentee_id == mentee_id)
        .order_by(Feedback.created_at, Feedback.id, Criterion.position)
    )
    return [
        progress.FeedbackRecord(
            topic_id,
            at,
            tuple((name, level) for *_key, name, level in scores if name is not None),
        )
        for (_id, topic_id, at), scores in groupby(rows, key=lambda row: tuple(row[:3]))
    ]


def _ordered(scores: list[Score]) -> list[Score]:
    return sorted(scores, key=lambda s: s.criterion.position)


def history(mentee_id: int) -> list[Feedback]:
    """All feedback a mentee received, oldest first, with what the export and charts need."""
    return list(
        db.session.scalars(
            select(Feedback)
            .where(Feedback.mentee_id == mentee_id)
            .options(
                joinedload(Feedback.author),
                joinedload(Feedback.topic),
                selectinload(Feedback.scores).joinedload(Score.criterion),
                joinedload(Feedback.submission).joinedload(Submission.task).joinedload(Task.lesson),
            )
            .order_by(Feedback.created_at, Feedback.id)
        )
    )


def _csv(header: list[str], rows: list[list]) -> str:
    return csv_text([header, *rows])


def feedback_csv(mentee_id: int) -> str:
    """Every piece of feedback, one row each, with the scores spelled out."""
    rows = []
    for f in history(mentee_id):
        lesson = f.submission.task.lesson.title if f.submission else ""
        scores = "; ".join(f"{s.criterion.name}={s.level}" for s in _ordered(f.scores))
        rows.append(
            [
                f.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                f.topic.name,
                "submission" if f.submission else "observation",
                lesson,
                f.author.name,
                f.outcome or "",
                scores,
                f"{f.mean_score:.2f}" if f.scores else "",
                f.strengths,
                f.improvements,
                f.next_step,
            ]
        )
    header = [
        "date",
        "topic",
        "kind",
        "lesson",
        "mentor",
        "outcome",
        "scores",
        "mean score",
        "strengths",
        "improvements",
        "next step",
    ]
    return _csv(header, rows)


def progress_csv(mentee_id: int) -> str:
    """One row per topic and criterion: the summary a program evaluation needs."""
    rows = []
    for p in progress_of(mentee_id):
        base = [
            p.topic.name,
            p.lessons_started,
            p.lessons_completed,
            p.tasks_submitted,
            p.tasks_accepted,
            p.confidence[-1][1] if p.confidence else "",
        ]
        for c in p.criteria or [None]:
            rows.append(base + ([c.name, c.latest, c.average, c.count] if c else ["", "", "", 0]))
    header = [
        "topic",
        "lessons started",
        "lessons completed",
        "tasks submitted",
        "tasks accepted",
        "latest self-assessment",
        "criterion",
        "latest score",
        "average score",
        "scores given",
    ]
    return _csv(header, rows)


@dataclass(frozen=True)
class ProgressCharts:
    """The two pictures beside a topic's progress: rubric scores and self-assessed confidence."""

    score: Markup
    confidence: Markup


def charted_progress(
    mentee_id: int, topic_ids: frozenset[int] | None = None
) -> list[tuple[progress.TopicProgress, ProgressCharts]]:
    """Per-topic progress with its charts, for the progress page (only `topic_ids`, if given)."""
    return [
        (p, _charts(p))
        for p in progress_of(mentee_id)
        if topic_ids is None or p.topic.id in topic_ids
    ]


def _charts(p: progress.TopicProgress) -> ProgressCharts:
    score = charts.line_chart(
        f"score-{p.topic.slug}",
        f"Average rubric score in {p.topic.name} over time",
        _trend_description(p),
        [charts.Series("Average rubric score", p.trend)],
        (1, 4),
    )
    confidence = charts.line_chart(
        f"confidence-{p.topic.slug}",
        f"Self-assessed confidence in {p.topic.name}",
        f"{len(p.confidence)} self-assessments from 1 to 5.",
        [charts.Series("Confidence", p.confidence)],
        (1, 5),
    )
    return ProgressCharts(score, confidence)


def _trend_description(p) -> str:
    if not p.trend:
        return "No scored feedback yet."
    return (
        f"{len(p.trend)} feedback scores from {p.first_score:.1f} to {p.latest_score:.1f} "
        "on a scale of 1 to 4."
    )
