"""Structured constructive feedback, ratings and progress (built on `lessons` and `portal`)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the feedback area: views, panels on shared pages, and set-up steps."""
    from feedback import demo, rubrics, views
    from lessons.services import topic_created
    from portal.cli import register_setup
    from portal.dashboard import Panel, register_panel

    app.register_blueprint(views.bp)
    register_panel(app, Panel("feedback/_dashboard.html", _dashboard, order=20))
    register_panel(app, Panel("feedback/_topic_rubric.html", _topic_rubric, slot="topic"))
    register_panel(app, Panel("feedback/_lesson_rating.html", _lesson_rating, slot="lesson"))
    register_panel(app, Panel("feedback/_session.html", _session_panel, slot="session"))
    register_panel(app, Panel("feedback/_contribution.html", _contribution, slot="profile"))
    register_setup(app, "init", rubrics.ensure_default_rubrics, order=20)
    topic_created.connect(_give_default_rubric, weak=False)
    register_setup(app, "demo", demo.seed_practice, order=30)


def _give_default_rubric(topic) -> None:
    from feedback.rubrics import ensure_default_rubrics

    ensure_default_rubrics()


def _dashboard(user) -> dict | None:
    from feedback import services

    queue = services.feedback_queue(user.id)
    context = {
        "queue": queue.oldest,
        "queue_size": queue.size,
        "new": services.new_feedback(user.id),
        "ratings": services.ratings_for(user.id),
    }
    if not (context["queue"] or context["new"] or context["ratings"].count):
        return None
    return context


def _topic_rubric(user, topic) -> dict:
    from feedback.rubrics import current_rubric

    return {"rubric": current_rubric(topic.id), "topic": topic, "can_edit": user.is_coordinator}


def _lesson_rating(user, lesson, mine) -> dict | None:
    from feedback.forms import RatingForm
    from feedback.services import my_rating

    if mine.assignment is None or user.id == lesson.author_id:
        return None
    existing = my_rating(user.id, lesson.id)
    return {
        "form": RatingForm(prefix="rating", obj=existing),
        "lesson": lesson,
        "existing": existing,
    }


def _session_panel(user, session, manage: bool) -> dict:
    from feedback import services
    from feedback.forms import GroupFeedbackForm, RatingForm
    from portal.models import utcnow

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
    from sqlalchemy import func, select

    from feedback.models import Feedback
    from feedback.services import ratings_for
    from lessons.models import GroupSession, Lesson, SessionStatus
    from portal.extensions import db

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
    ratings = ratings_for(person.id)
    if not (lessons or sessions or feedback):
        return None
    return {"lessons": lessons, "sessions": sessions, "feedback": feedback, "ratings": ratings}
