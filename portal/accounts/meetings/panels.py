"""Meetings on shared pages: the dashboard (next meeting, open action items) and the
mentorship page (the pair's meetings). A fixed number of queries, whatever the number of
mentorships or meetings."""

from __future__ import annotations

from datetime import datetime

from portal.accounts import access
from portal.accounts.meetings import agendas
from portal.accounts.meetings import services as meetings
from portal.hooks import viewer_zone
from portal.panels import Panel, register_panel

MENTORSHIP_SLOT = "mentorship.meetings"


def init_app(app) -> None:
    register_panel(app, Panel("meetings/_dashboard.html", dashboard_panel, order=11))
    register_panel(app, Panel("meetings/_mentorship.html", mentorship_panel, slot=MENTORSHIP_SLOT))


def dashboard_panel(user) -> dict | None:
    """Two queries: the next meeting, and this person's open action items."""
    upcoming = meetings.next_meeting(user.id)
    items = meetings.open_items(user.id)
    if not upcoming and not items:
        return None
    today = datetime.now(viewer_zone()).date()
    return {"next": upcoming, "open_items": items, "user": user, "today": today}


def mentorship_panel(mentorship, user) -> dict:
    rows = meetings.meetings_of(mentorship.id)
    return {
        "m": mentorship,
        "upcoming": sorted((r for r in rows if r.is_upcoming), key=lambda r: r.starts_at),
        "past": [r for r in rows if not r.is_upcoming],
        "can_schedule": access.can_schedule_meeting(user, mentorship),
        "agendas": agendas.AGENDAS,
    }
