"""The feedback area's sections on shared pages: dashboard, topic, lesson, session, profile."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from feedback import services
from feedback.forms import GroupFeedbackForm, RatingForm
from feedback.models import Feedback
from feedback.rubrics import current_rubric
from lessons.models import Lesson
from lessons.sessions.models import GroupSession, SessionStatus
from portal.clock import utcnow
from portal.extensions import db
from portal.panels import Panel, register_panel


def init_app(app: Flask) -> None:
    register_panel(app, Panel("feedback/_dashboard.html", _dashboard, order=20))
    register_panel(app, Panel("feedback/_topic_rubric.html", _topic_rubric, slot="topic"))
    register_panel(app, Panel("feedback/_lesson_rating.html", _lesson_rating, slot="lesson"))
    register_panel(app, Panel("feedback/_session.html", _session_panel, slot="session"))
    register_panel(app, Panel("feedback/_contribution.html", _contribution, slot="profile"))


def _dashboard(user) -> dict | None:
    queue = services.feedback_queue(user.id)
    to_revise = services.feedback_to_act_on(user.id)
    acting = {f.id for f in to_revise}
    context = {
        "queue": queue.oldest,
        "queue_size": queue.size,
        "claimed": services.claims_on([s.id for s in queue.oldest], user.id),
        # What needs the mentee's action comes first; then what is new to them.
        "to_revise": to_revise,
        "new": [f for f in services.new_feedback(user.id) if f.id not in acting],
        "ratings": services.ratings_for(user.id),
    }
    if not (context["queue"] or to_revise or context["new"] or context["ratings"].count):
        return None
    return context


def _topic_rubric(user, topic) -> dict:
    return {"rubric": current_rubric(topic.id), "topic": topic, "can_edit": user.is_coordinator}


def _lesson_rating(user, lesson, mine) -> dict | None:
    if mine.assignment is None or user.id == lesson.author_id:
        return None
    existing = services.my_rating(user.id, lesson.id)
    return {
        "form": RatingForm(prefix="rating", obj=existing),
        "lesson": lesson,
        "existing": existing,
    }


def _session_panel(user, session, manage: bool) -> dict:
    coming = any(p.mentee_id == user.id and p.status == "accepted" for p in session.participants)
    started = session.starts_at <= utcnow()
    return {
        "session": session,
        "manage": manage,
        "grid": services.feedback_grid(session) if manage else None,
        "group_feedback": services.group_feedback(session.id),
        "group_form": GroupFeedbackForm(prefix="group") if manage else None,
        "ratings": services.session_ratings(session.id) if manage else None,
        "rating_form": RatingForm(prefix="rating") if coming and started else None,
    }


def _contribution(person) -> dict | None:
    """What a mentor has given: lessons, sessions, feedback and how people rated it."""

    lessons = db.session.scalar(
        select(func.count(Lesson.id)).where(
            Lesson.author_id == person.id, Lesson.status == "published"
        )
    )
    sessions = db.session.scalar(
        select(func.count(GroupSession.id)).where(
            GroupSession.mentor_id == person.id, GroupSession.status == SessionStatus.SCHEDULED
        )
    )
    feedback = db.session.scalar(
        select(func.count(Feedback.id)).where(Feedback.author_id == person.id)
    )
    ratings = services.ratings_for(person.id)
    if not (lessons or sessions or feedback):
        return None
    return {"lessons": lessons, "sessions": sessions, "feedback": feedback, "ratings": ratings}
