"""Lesson, task and topic services: plain values in, domain errors out."""

from __future__ import annotations

from dataclasses import dataclass

from blinker import Namespace
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer, joinedload, selectinload

from lessons import markdown
from lessons.models import (
    SEARCHED_COLUMNS,
    Lesson,
    LessonRevision,
    LessonStatus,
    Submission,
    Task,
)
from portal.clock import utcnow
from portal.errors import Conflict, DomainError, NotFound
from portal.extensions import db
from portal.topics import Topic

CORE_TOPICS = (
    (
        "social-media",
        "Social media",
        "Using today's platforms well: posting, listening, networking and staying safe.",
    ),
    (
        "accessibility",
        "Accessibility",
        "Making documents, websites and meetings work for everyone, including disabled people.",
    ),
    (
        "leadership",
        "Leadership",
        "Feedback from the people you lead: motivating, communicating, assessing fairly.",
    ),
)


signals = Namespace()
# Sent with the new Topic after it is saved; `feedback` gives it a default rubric.
topic_created = signals.signal("topic-created")


@dataclass
class LessonData:
    title: str
    topic_id: int
    summary: str
    body: str
    minutes: int


@dataclass
class TaskData:
    prompt: str
    done_when: str = ""


# Topics -----------------------------------------------------------------------------------


def ensure_core_topics() -> None:
    """Create the three seeded topics where missing (idempotent)."""
    existing = set(db.session.scalars(select(Topic.slug)))
    for slug, name, description in CORE_TOPICS:
        if slug not in existing:
            db.session.add(Topic(slug=slug, name=name, description=description))
    db.session.commit()


def topic_by_slug(slug: str) -> Topic:
    topic = db.session.scalar(select(Topic).where(Topic.slug == slug))
    if topic is None:
        raise NotFound("No such topic.")
    return topic


def save_topic(topic: Topic | None, slug: str, name: str, description: str) -> Topic:
    """Create or update a topic; slugs are unique."""
    is_new = topic is None
    topic = topic or Topic()
    topic.slug, topic.name, topic.description = slug.strip().lower(), name.strip(), description
    db.session.add(topic)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict("Another topic already uses this address.", field="slug") from exc
    if is_new:
        topic_created.send(topic)
    return topic


# Lessons ----------------------------------------------------------------------------------


def _check_topic(topic_id: int) -> None:
    if db.session.get(Topic, topic_id) is None:
        raise DomainError("Choose a topic from the list.", field="topic_id")


def _apply(lesson: Lesson, data: LessonData) -> None:
    lesson.title = data.title.strip()
    lesson.topic_id = data.topic_id
    lesson.summary = data.summary.strip()
    lesson.body = data.body
    lesson.minutes = data.minutes
    lesson.body_html = markdown.render(data.body)
    lesson.html_version = markdown.RENDERER_VERSION
    lesson.updated_at = utcnow()


def _add_revision(lesson: Lesson, editor_id: int) -> None:
    lesson.revision_count += 1
    lesson.revisions.append(
        LessonRevision(
            number=lesson.revision_count,
            author_id=editor_id,
            title=lesson.title,
            summary=lesson.summary,
            body=lesson.body,
        )
    )


def create_lesson(author_id: int, data: LessonData, publish: bool = False) -> Lesson:
    """Save a new lesson (draft unless `publish`) with its first revision."""
    _check_topic(data.topic_id)
    lesson = Lesson(author_id=author_id, revision_count=0)
    _apply(lesson, data)
    _set_status(lesson, LessonStatus.PUBLISHED if publish else LessonStatus.DRAFT)
    _add_revision(lesson, author_id)
    db.session.add(lesson)
    db.session.commit()
    return lesson


def _locked(lesson_id: int) -> Lesson:
    """The lesson row, locked for update where the database supports it."""
    lesson = db.session.scalar(
        select(Lesson)
        .where(Lesson.id == lesson_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if lesson is None:
        raise NotFound("No such lesson.")
    return lesson


def update_lesson(
    lesson_id: int, editor_id: int, data: LessonData, publish: bool = False
) -> Lesson:
    """Save changes as a new revision; `publish` also publishes a draft."""
    _check_topic(data.topic_id)
    lesson = _locked(lesson_id)
    _apply(lesson, data)
    if publish:
        _set_status(lesson, LessonStatus.PUBLISHED)
    _add_revision(lesson, editor_id)
    db.session.commit()
    return lesson


def _set_status(lesson: Lesson, status: LessonStatus) -> None:
    lesson.status = status
    if status == LessonStatus.PUBLISHED and lesson.published_at is None:
        lesson.published_at = utcnow()


def change_status(lesson_id: int, status: LessonStatus) -> Lesson:
    """Publish, archive or move a lesson back to draft."""
    lesson = _locked(lesson_id)
    _set_status(lesson, status)
    db.session.commit()
    return lesson


def ensure_rendered(lesson: Lesson) -> None:
    """Re-render stored HTML made by an older renderer (once, then it is cached again).

    A text an older renderer accepted may be over today's work budget: it is shown as plain
    paragraphs until its author edits it, rather than not at all.
    """
    stale = lesson.html_version != markdown.RENDERER_VERSION
    tasks = [t for t in lesson.tasks if t.html_version != markdown.RENDERER_VERSION]
    if not stale and not tasks:
        return
    if stale:
        lesson.body_html = markdown.render_stored(lesson.body)
        lesson.html_version = markdown.RENDERER_VERSION
    for task in tasks:
        _render_task(task, markdown.render_stored)
    db.session.commit()


def rerender_all() -> int:
    """Re-render every stale lesson and task; returns how many lessons were touched."""
    stale = db.session.scalars(
        select(Lesson)
        .outerjoin(Task)
        .where(
            or_(
                Lesson.html_version != markdown.RENDERER_VERSION,
                Task.html_version != markdown.RENDERER_VERSION,
            )
        )
        .options(selectinload(Lesson.tasks))
        .distinct()
    ).all()
    for lesson in stale:
        ensure_rendered(lesson)
    return len(stale)


# List pages show titles and summaries: the Markdown body and its HTML stay in the database.
LIST_COLUMNS = (defer(Lesson.body), defer(Lesson.body_html))


def _published():
    """Published lessons, newest first, with what a list of them shows."""
    return (
        select(Lesson)
        .where(Lesson.status == LessonStatus.PUBLISHED)
        .options(joinedload(Lesson.topic), joinedload(Lesson.author), *LIST_COLUMNS)
        .order_by(Lesson.published_at.desc(), Lesson.id.desc())
    )


def library(topic_slug: str | None, query: str | None, page: int, per_page: int):
    """Published lessons, newest first, filtered by topic and text; a Flask-SQLAlchemy page."""
    statement = _published()
    if topic_slug:
        statement = statement.join(Lesson.topic).where(Topic.slug == topic_slug)
    searched = [getattr(Lesson, column) for column in SEARCHED_COLUMNS]  # trigram-indexed
    for word in (query or "").split()[:8]:
        statement = statement.where(or_(*(_contains(column, word) for column in searched)))
    return db.paginate(statement, page=page, per_page=per_page)  # 404 beyond the last page


def newest(limit: int) -> list[Lesson]:
    """The most recently published lessons (one query: no count of the whole library)."""
    return list(db.session.scalars(_published().limit(limit)))


def _contains(column, word: str):
    """Case-insensitive substring match, `%` and `_` taken literally. SQLite's LIKE already
    ignores case (as far as its lower() does: ASCII), so it is not made to lower every body
    first (4x faster on 6,500 lessons); PostgreSQL uses ILIKE."""
    if db.engine.dialect.name == "sqlite":
        return column.contains(word, autoescape=True)
    return column.icontains(word, autoescape=True)


def lesson_for_page(lesson_id: int) -> Lesson:
    """A lesson with everything its page shows, in a fixed number of queries."""
    lesson = db.session.scalar(
        select(Lesson)
        .where(Lesson.id == lesson_id)
        .options(joinedload(Lesson.topic), joinedload(Lesson.author), selectinload(Lesson.tasks))
    )
    if lesson is None:
        raise NotFound("No such lesson.")
    return lesson


def topic_lessons(topic: Topic) -> list[Lesson]:
    return list(
        db.session.scalars(
            select(Lesson)
            .where(Lesson.topic_id == topic.id, Lesson.status == LessonStatus.PUBLISHED)
            .options(joinedload(Lesson.author), *LIST_COLUMNS)
            .order_by(Lesson.published_at.desc(), Lesson.id.desc())
        )
    )


def authored_by(user_id: int, limit: int | None = None) -> list[Lesson]:
    """A person's own lessons, every status, most recently changed first."""
    return list(
        db.session.scalars(
            select(Lesson)
            .where(Lesson.author_id == user_id)
            .options(joinedload(Lesson.topic), *LIST_COLUMNS)
            .order_by(Lesson.updated_at.desc(), Lesson.id.desc())
            .limit(limit)
        )
    )


def revisions_of(lesson_id: int) -> list[LessonRevision]:
    return list(
        db.session.scalars(
            select(LessonRevision)
            .where(LessonRevision.lesson_id == lesson_id)
            .options(joinedload(LessonRevision.author))
            .order_by(LessonRevision.number)
        )
    )


# Tasks ------------------------------------------------------------------------------------


def _render_task(task: Task, render=markdown.render) -> None:
    task.prompt_html = render(task.prompt)
    task.done_when_html = render(task.done_when)
    task.html_version = markdown.RENDERER_VERSION


def add_task(lesson_id: int, data: TaskData) -> Task:
    """Append a practice task at the end of the lesson's list."""
    _locked(lesson_id)
    last = db.session.scalar(select(func.max(Task.position)).where(Task.lesson_id == lesson_id))
    task = Task(
        lesson_id=lesson_id, position=(last or 0) + 1, prompt=data.prompt, done_when=data.done_when
    )
    _render_task(task)
    db.session.add(task)
    db.session.commit()
    return task


def update_task(task: Task, data: TaskData) -> Task:
    task.prompt, task.done_when = data.prompt, data.done_when
    _render_task(task)
    db.session.commit()
    return task


def move_task(task: Task, direction: int) -> None:
    """Swap a task with its neighbour above (-1) or below (+1)."""
    _locked(task.lesson_id)
    siblings = list(
        db.session.scalars(
            select(Task).where(Task.lesson_id == task.lesson_id).order_by(Task.position, Task.id)
        )
    )
    index = siblings.index(task)
    other = index + direction
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            sibling.position = position
    db.session.commit()


def next_task(task: Task) -> Task | None:
    """The task after this one in its lesson, if any."""
    return db.session.scalar(
        select(Task)
        .where(Task.lesson_id == task.lesson_id, Task.position > task.position)
        .order_by(Task.position)
        .limit(1)
    )


def answers_to(task_id: int) -> int:
    """How many mentees answered a task (what removing it would take away)."""
    return db.session.scalar(
        select(func.count()).select_from(Submission).where(Submission.task_id == task_id)
    )


def delete_task(task: Task) -> None:
    db.session.delete(task)
    db.session.commit()
