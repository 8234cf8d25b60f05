"""The lessons area's sections on shared pages."""

from __future__ import annotations

from flask import Flask

from lessons import practice, recommended, services
from portal.panels import Panel, register_panel

OWN_LESSONS_SHOWN = 8


def init_app(app: Flask) -> None:
    register_panel(app, Panel("lessons/_dashboard.html", learning_panel, order=40))
    register_panel(app, Panel("tasks/_next.html", next_task_panel, slot="submission"))


def next_task_panel(user, submission) -> dict | None:
    """Under the mentee's own answer: the lesson's next task, or the way back to the lesson."""
    if submission.mentee_id != user.id:
        return None
    lesson = submission.task.lesson
    return {"lesson": lesson, "next": services.next_task(submission.task)}


def learning_panel(user) -> dict:
    """What the person is learning, what they wrote, and what is new in the library."""
    return {
        "learning": practice.learning(user.id),
        "own_lessons": services.authored_by(user.id, limit=OWN_LESSONS_SHOWN),
        "latest": services.newest(5),
        "recommended": (shown := recommended.for_pair_member(user.id)),
        "mentors_in": recommended.mentors_in(user.id, [p.id for p, _ in shown]) if shown else set(),
    }
