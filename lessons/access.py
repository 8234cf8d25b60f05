"""Who may see and change lessons and tasks: the one place these rules live."""

from __future__ import annotations

from lessons.models import Lesson, LessonStatus, Submission, SubmissionStatus


def can_edit_lesson(user, lesson: Lesson) -> bool:
    """The author and coordinators edit a lesson and its tasks."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.id == lesson.author_id or user.is_coordinator


def can_view_lesson(user, lesson: Lesson) -> bool:
    """Published lessons are for everyone signed in; drafts and archived ones for editors."""
    if lesson.status == LessonStatus.PUBLISHED:
        return getattr(user, "is_authenticated", False)
    return can_edit_lesson(user, lesson)


def can_manage_topics(user) -> bool:
    """Coordinators add and edit topics."""
    return getattr(user, "is_authenticated", False) and user.is_coordinator


def may_answer(user, lesson: Lesson) -> bool:
    """Anyone signed in practises a lesson's tasks, except its author."""
    return getattr(user, "is_authenticated", False) and user.id != lesson.author_id


def can_submit(user, lesson: Lesson, submission: Submission | None) -> bool:
    """A published lesson's task takes a first answer, or a new one after "needs revision"."""
    return (
        lesson.is_published
        and may_answer(user, lesson)
        and (submission is None or submission.status == SubmissionStatus.NEEDS_REVISION)
    )
