"""The programs area's sections on shared pages."""

from __future__ import annotations

from portal.extensions import db
from portal.panels import Panel, register_panel
from portal.programs.care import overdue
from portal.programs.models import Program, ProgramStatus


def init_app(app) -> None:
    register_panel(app, Panel("programs/_overdue.html", overdue_checkins, order=5))


def overdue_checkins(user) -> dict | None:
    """Coordinators see overdue check-ins of active programs first thing."""
    if not user.is_coordinator:
        return None
    active = db.session.scalars(
        db.select(Program).where(Program.status == ProgramStatus.ACTIVE)
    ).all()
    late = overdue(list(active))
    return {"late": late} if late else None
