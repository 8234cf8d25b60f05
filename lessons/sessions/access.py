"""Who may see and run a group session: the one place these rules live."""

from __future__ import annotations

from lessons.sessions.models import GroupSession, ParticipantStatus


def can_view(user, session: GroupSession) -> bool:
    """The mentor, invited people (not removed) and coordinators see a session."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.id == session.mentor_id or user.is_coordinator:
        return True
    return any(
        p.mentee_id == user.id and p.status != ParticipantStatus.REMOVED
        for p in session.participants
    )


def can_manage(user, session: GroupSession) -> bool:
    return getattr(user, "is_authenticated", False) and user.id == session.mentor_id
