"""What the feedback area tells people: answers to review, feedback and observations received.

Each function adds notifications to the current transaction (portal.notifications); the
caller's commit stores them with the event.
"""

from __future__ import annotations

from feedback import access
from feedback.models import Feedback
from lessons.models import Submission
from portal.accounts.models import User
from portal.extensions import db
from portal.notifications.services import notify


def tell_reviewers(submission: Submission, revised: bool = False) -> None:
    """An answer (or a revised one) waits for feedback: every mentor who may review it."""
    mentee = db.session.get(User, submission.mentee_id)
    lesson = submission.task.lesson
    what = "revised their answer" if revised else "answered a task"
    for reviewer in access.reviewers(submission):
        notify(
            reviewer,
            "answer_submitted",
            f"{mentee.name} {what} in “{lesson.title}”: it is waiting for your feedback.",
            f"/submissions/{submission.id}",
        )


def tell_mentee_about_feedback(feedback: Feedback, submission: Submission, accepted: bool) -> None:
    author = db.session.get(User, feedback.author_id)
    outcome = "accepts it" if accepted else "asks for a revision"
    notify(
        db.session.get(User, feedback.mentee_id),
        "feedback_received",
        f"{author.name} gave feedback on your answer in “{submission.task.lesson.title}” "
        f"and {outcome}.",
        f"/submissions/{submission.id}",
    )


def tell_mentee_about_observation(feedback: Feedback, topic_name: str) -> None:
    author = db.session.get(User, feedback.author_id)
    notify(
        db.session.get(User, feedback.mentee_id),
        "observation_recorded",
        f"{author.name} recorded an observation about your {topic_name}.",
        "/progress/",
    )


def _about(feedback: Feedback) -> tuple[str, str]:
    """What a piece of feedback was on, in words, and where it is shown to its giver."""
    if feedback.submission_id:
        title = feedback.submission.task.lesson.title
        return f"your feedback in “{title}”", f"/submissions/{feedback.submission_id}"
    return f"your observation on {feedback.topic.name}", f"/progress/{feedback.mentee_id}"


def tell_author_about_acknowledgement(feedback: Feedback, commitment: str) -> None:
    """The mentee says "Thanks — I'll try this" (with what they will try, if they said)."""
    mentee = db.session.get(User, feedback.mentee_id)
    what, path = _about(feedback)
    text = f"{mentee.name} thanked you for {what}"
    text += f" and will try this: “{commitment}”" if commitment else "."
    notify(db.session.get(User, feedback.author_id), "feedback_acknowledged", text, path)


def tell_author_commitment_done(feedback: Feedback, commitment: str) -> None:
    mentee = db.session.get(User, feedback.mentee_id)
    what, path = _about(feedback)
    notify(
        db.session.get(User, feedback.author_id),
        "feedback_acknowledged",
        f"{mentee.name} has done what they committed to after {what}: “{commitment}”",
        path,
    )


def waiting_reminders(now):
    """Answers waiting longer than FLIPSIDE_FEEDBACK_REMINDER_DAYS for feedback: each mentor who
    may review one, once per attempt."""
    from datetime import timedelta

    from flask import current_app
    from sqlalchemy import select

    from lessons.models import SubmissionStatus
    from portal.notifications.reminders import Reminder

    days = current_app.config["FLIPSIDE_FEEDBACK_REMINDER_DAYS"]
    waiting = db.session.scalars(
        select(Submission).where(
            Submission.status == SubmissionStatus.SUBMITTED,
            Submission.updated_at < now - timedelta(days=days),
        )
    ).all()
    for submission in waiting:
        mentee = db.session.get(User, submission.mentee_id)
        waited = (now - submission.updated_at).days
        for reviewer in access.reviewers(submission):
            yield Reminder(
                f"feedback-waiting:{submission.id}:{submission.attempt_count}:{reviewer.id}",
                reviewer,
                f"{mentee.name}'s answer in “{submission.task.lesson.title}” has waited "
                f"{waited} days for feedback.",
                f"/submissions/{submission.id}",
            )
