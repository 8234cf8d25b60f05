"""Who may see and do what with practice and feedback: the one place these rules live.

A mentee's mentors are: anyone in an active mentorship with them, the mentor of a group
session they accepted, and the author of any lesson they submitted work to. Mentors
review the mentee's submissions and see their progress; coordinators see everything;
nobody else sees anything.
"""

from __future__ import annotations

from sqlalchemy import select, union

from lessons.models import Lesson, Submission, Task
from lessons.sessions.models import GroupSession, Participant, ParticipantStatus
from portal.accounts.models import Mentorship, MentorshipStatus
from portal.extensions import db


def mentor_ids(mentee_id: int) -> set[int]:
    """Everyone who counts as this person's mentor."""
    active = select(Mentorship.mentor_id).where(
        Mentorship.mentee_id == mentee_id, Mentorship.status == MentorshipStatus.ACTIVE
    )
    authors = (
        select(Lesson.author_id)
        .join(Task, Task.lesson_id == Lesson.id)
        .join(Submission, Submission.task_id == Task.id)
        .where(Submission.mentee_id == mentee_id)
    )
    session_mentors = (
        select(GroupSession.mentor_id)
        .join(Participant, Participant.session_id == GroupSession.id)
        .where(Participant.mentee_id == mentee_id, Participant.status == ParticipantStatus.ACCEPTED)
    )
    return set(db.session.scalars(union(active, authors, session_mentors))) - {mentee_id}


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_mentor_of(user, mentee_id: int) -> bool:
    return _signed_in(user) and user.id in mentor_ids(mentee_id)


def can_view_progress(user, mentee_id: int) -> bool:
    """Progress, feedback history and exports: the person, their mentors, coordinators."""
    if not _signed_in(user):
        return False
    return user.id == mentee_id or user.is_coordinator or is_mentor_of(user, mentee_id)


def can_view_submission(user, submission: Submission) -> bool:
    return can_view_progress(user, submission.mentee_id)


def can_review(user, submission: Submission) -> bool:
    """Giving feedback on a submission: one of the mentee's mentors, never the mentee."""
    return user.id != submission.mentee_id and is_mentor_of(user, submission.mentee_id)


def can_observe(user, mentee_id: int) -> bool:
    """Recording an observation without a submission: an active mentor of the person."""
    from portal.accounts.mentorships import is_active_mentor

    return _signed_in(user) and is_active_mentor(user.id, mentee_id)
