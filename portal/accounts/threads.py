"""The pair's own conversation, on the mentorship's page (a subject of the thread core)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import joinedload

from portal.accounts import access
from portal.accounts.models import Mentorship
from portal.conversations.subjects import Found, Subject, register_subject
from portal.extensions import db


def init_app(app: Flask) -> None:
    register_subject(app, Subject("mentorship", mentorship))


def mentorship(subject_id: int) -> Found | None:
    pair = db.session.get(
        Mentorship,
        subject_id,
        options=[joinedload(Mentorship.mentor), joinedload(Mentorship.mentee)],
    )
    if pair is None:
        return None
    return Found(
        people=access.conversation_people(pair),
        path=f"/mentorships/{pair.id}",
        label=f"the mentorship of {pair.mentor.name} and {pair.mentee.name}",
        writable=access.can_talk(pair),
        why="This mentorship is no longer open: its conversation stays here for you both to read.",
    )
