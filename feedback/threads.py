"""The feedback area's conversations: under each answer (across its attempts) and under each
observation. Who takes part is `feedback.access`'s rule; the thread core does the rest."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import joinedload

from feedback import access
from feedback.models import Feedback
from lessons.models import Submission, Task
from portal.conversations.subjects import Found, Subject, register_subject
from portal.extensions import db


def init_app(app: Flask) -> None:
    register_subject(app, Subject("submission", submission))
    register_subject(app, Subject("observation", observation))


def submission(subject_id: int) -> Found | None:
    item = db.session.get(
        Submission,
        subject_id,
        options=[
            joinedload(Submission.task).joinedload(Task.lesson),
            joinedload(Submission.mentee),
        ],
    )
    if item is None:
        return None
    return Found(
        people=access.submission_conversation(item),
        path=f"/submissions/{item.id}",
        label=f"the answer to task {item.task.position} of “{item.task.lesson.title}”",
    )


def observation(subject_id: int) -> Found | None:
    item = db.session.get(
        Feedback,
        subject_id,
        options=[
            joinedload(Feedback.author),
            joinedload(Feedback.mentee),
            joinedload(Feedback.topic),
        ],
    )
    if item is None or item.submission_id is not None:
        return None
    return Found(
        people=access.observation_conversation(item),
        path=f"/observations/{item.id}",
        label=f"{item.author.name}’s observation of {item.mentee.name} in {item.topic.name}",
    )
