"""The accounts area's sections on shared pages."""

from __future__ import annotations

from portal.accounts import mentorships
from portal.accounts.models import MentorshipStatus
from portal.panels import Panel, register_panel


def init_app(app) -> None:
    register_panel(app, Panel("accounts/_dashboard.html", mentorships_panel, order=10))


def mentorships_panel(user) -> dict | None:
    mine = mentorships.mentorships_of(user.id)
    waiting = [m for m in mine if m.awaits_answer_from(user.id)]
    active = [m for m in mine if m.status == MentorshipStatus.ACTIVE]
    return {"waiting": waiting, "active": active, "user": user} if waiting or active else None
