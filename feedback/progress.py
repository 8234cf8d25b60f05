"""Progress per mentee per topic, computed from plain records (no Flask, no database).

Nothing here is stored: every figure is derived from lessons, submissions, feedback scores
and self-assessments each time it is shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean


@dataclass(frozen=True)
class TopicRef:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class LessonRecord:
    topic_id: int
    status: str  # as computed by lessons.practice.lesson_status


@dataclass(frozen=True)
class SubmissionRecord:
    topic_id: int
    status: str


@dataclass(frozen=True)
class FeedbackRecord:
    topic_id: int
    at: datetime
    scores: tuple[tuple[str, int], ...]  # (criterion name, level 1..4)


@dataclass(frozen=True)
class SelfRecord:
    topic_id: int
    at: datetime
    confidence: int


@dataclass
class CriterionProgress:
    name: str
    latest: int
    average: float
    count: int


@dataclass
class TopicProgress:
    topic: TopicRef
    lessons_started: int = 0
    lessons_completed: int = 0
    tasks_submitted: int = 0
    tasks_accepted: int = 0
    criteria: list[CriterionProgress] = field(default_factory=list)
    trend: list[tuple[datetime, float]] = field(default_factory=list)  # mean score per feedback
    confidence: list[tuple[datetime, int]] = field(default_factory=list)

    @property
    def latest_score(self) -> float | None:
        return self.trend[-1][1] if self.trend else None

    @property
    def first_score(self) -> float | None:
        return self.trend[0][1] if self.trend else None


def _criteria(feedback: list[FeedbackRecord]) -> list[CriterionProgress]:
    levels: dict[str, list[int]] = defaultdict(list)  # in time order; names keep first-seen order
    for record in feedback:
        for name, level in record.scores:
            levels[name].append(level)
    return [
        CriterionProgress(name, values[-1], round(fmean(values), 2), len(values))
        for name, values in levels.items()
    ]


def compute(
    topics: list[TopicRef],
    lessons: list[LessonRecord],
    submissions: list[SubmissionRecord],
    feedback: list[FeedbackRecord],
    self_assessments: list[SelfRecord],
) -> list[TopicProgress]:
    """One TopicProgress per topic with any activity, in the order `topics` gives."""
    result = {t.id: TopicProgress(t) for t in topics}
    for lesson in lessons:
        progress = result[lesson.topic_id]
        progress.lessons_started += lesson.status != "not started"
        progress.lessons_completed += lesson.status == "completed"
    for submission in submissions:
        result[submission.topic_id].tasks_submitted += 1
        result[submission.topic_id].tasks_accepted += submission.status == "accepted"
    by_topic: dict[int, list[FeedbackRecord]] = defaultdict(list)
    for record in sorted(feedback, key=lambda r: r.at):
        by_topic[record.topic_id].append(record)
        if record.scores:
            mean = round(fmean(level for _name, level in record.scores), 2)
            result[record.topic_id].trend.append((record.at, mean))
    for topic_id, records in by_topic.items():
        result[topic_id].criteria = _criteria(records)
    for entry in sorted(self_assessments, key=lambda r: r.at):
        result[entry.topic_id].confidence.append((entry.at, entry.confidence))
    active = [lessons, submissions, feedback, self_assessments]
    touched = {r.topic_id for records in active for r in records}
    return [result[t.id] for t in topics if t.id in touched]
