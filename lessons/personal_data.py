"""The lessons area's part of a person's data: lessons written, lessons given to them, their
answers, and the group sessions they led or joined; and what deleting an account does to
lessons (kept under "Former member" unless the person chooses to delete them)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import selectinload

from lessons.models import Assignment, Attempt, Lesson, LessonStatus, Submission, Task
from lessons.sessions.models import GroupSession, Participant
from portal.accounts.models import User
from portal.accounts.personal_data import (
    Deletion,
    Erasure,
    Rows,
    Section,
    register_erasure,
    register_section,
)
from portal.extensions import db


def init_app(app: Flask) -> None:
    register_section(app, Section("lessons", "Lessons you wrote", lesson_rows, 30))
    register_section(app, Section("assignments", "Lessons given to you", assignment_rows, 31))
    register_section(app, Section("answers", "Your answers to practice tasks", answer_rows, 32))
    register_section(app, Section("sessions", "Group sessions", session_rows, 33))
    register_erasure(app, Erasure("lessons", erase, describe, order=20))


def lesson_rows(user: User) -> Rows:
    found = db.session.scalars(
        select(Lesson)
        .where(Lesson.author_id == user.id)
        .options(selectinload(Lesson.topic), selectinload(Lesson.tasks))
        .order_by(Lesson.created_at)
    )
    return [
        {
            "id": lesson.id,
            "title": lesson.title,
            "topic": lesson.topic.name,
            "status": lesson.status,
            "summary": lesson.summary,
            "body_markdown": lesson.body,
            "minutes": lesson.minutes,
            "tasks": "\n\n".join(t.prompt for t in lesson.tasks),
            "created_at": lesson.created_at,
            "published_at": lesson.published_at,
        }
        for lesson in found
    ]


def assignment_rows(user: User) -> Rows:
    found = db.session.scalars(
        select(Assignment)
        .where(Assignment.mentee_id == user.id)
        .options(selectinload(Assignment.lesson), selectinload(Assignment.assigned_by))
        .order_by(Assignment.created_at)
    )
    return [
        {
            "lesson": a.lesson.title,
            "given_by": a.assigned_by.name if a.assigned_by else "",
            "due_at": a.due_at,
            "started_at": a.created_at,
            "completed_at": a.completed_at,
        }
        for a in found
    ]


def answer_rows(user: User) -> Rows:
    found = db.session.execute(
        select(Attempt, Submission.status, Task.prompt, Lesson.title)
        .join(Submission, Attempt.submission_id == Submission.id)
        .join(Task, Submission.task_id == Task.id)
        .join(Lesson, Task.lesson_id == Lesson.id)
        .where(Submission.mentee_id == user.id)
        .order_by(Attempt.created_at, Attempt.id)
    )
    return [
        {
            "lesson": title,
            "task": prompt,
            "attempt": attempt.number,
            "answer": attempt.body,
            "link": attempt.link,
            "status_now": status,
            "sent_at": attempt.created_at,
        }
        for attempt, status, prompt, title in found
    ]


def session_rows(user: User) -> Rows:
    joined = dict(
        db.session.execute(
            select(Participant.session_id, Participant.status).where(
                Participant.mentee_id == user.id
            )
        ).all()
    )
    found = db.session.scalars(
        select(GroupSession)
        .where(or_(GroupSession.mentor_id == user.id, GroupSession.id.in_(list(joined))))
        .order_by(GroupSession.starts_at)
    )
    return [
        {
            "title": s.title,
            "your_part": "led it" if s.mentor_id == user.id else f"participant ({joined[s.id]})",
            "starts_at": s.starts_at,
            "minutes": s.duration_minutes,
            "place": s.place,
            "status": s.status,
        }
        for s in found
    ]


def _used_by_others(user: User):
    """Lessons someone else was given, answered or learns in a session: deleting them would
    take away other people's record, so they are withdrawn (archived) instead."""
    return or_(
        exists().where(Assignment.lesson_id == Lesson.id, Assignment.mentee_id != user.id),
        exists().where(
            Task.lesson_id == Lesson.id,
            Submission.task_id == Task.id,
            Submission.mentee_id != user.id,
        ),
        exists().where(GroupSession.lesson_id == Lesson.id),
    )


def _counts(user: User) -> tuple[int, int]:
    mine = select(Lesson.id).where(Lesson.author_id == user.id)
    total = len(db.session.scalars(mine).all())
    used = len(db.session.scalars(mine.where(_used_by_others(user))).all())
    return total, used


def describe(user: User) -> tuple[list[str], list[str]]:
    total, used = _counts(user)
    kept = ["Your answers to practice tasks, under “Former member”, so lessons' progress stays."]
    if not total:
        return [], kept
    kept.insert(
        0,
        f"Your {total} lesson{'s' if total != 1 else ''} stay, under “Former member”, unless "
        "you choose below to delete them"
        + (
            f" ({used} that others are learning from would be withdrawn from the library "
            "instead, so that their record stays)."
            if used
            else "."
        ),
    )
    return [], kept


def erase(user: User, deletion: Deletion) -> None:
    if not deletion.delete_lessons:
        return
    mine = Lesson.author_id == user.id
    db.session.execute(
        update(Lesson)
        .where(mine, _used_by_others(user))
        .values(status=LessonStatus.ARCHIVED)
        .execution_options(synchronize_session=False)
    )
    doomed = select(Lesson.id).where(mine, ~_used_by_others(user))
    for lesson in db.session.scalars(select(Lesson).where(Lesson.id.in_(doomed))).all():
        db.session.delete(lesson)  # tasks, revisions and the author's own answers go with it
