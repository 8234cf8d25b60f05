"""Who may do what with accounts, mentorships and kudos: the one place these rules live."""

from __future__ import annotations

from portal.accounts.models import Mentorship


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_party(user, mentorship: Mentorship) -> bool:
    """The two people in a mentorship; to anyone else it does not exist."""
    return _signed_in(user) and user.id in (mentorship.mentor_id, mentorship.mentee_id)


def can_answer(user, mentorship: Mentorship) -> bool:
    """The person who was asked answers a request, not the one who asked."""
    return is_party(user, mentorship) and user.id != mentorship.requested_by_id


def can_send_kudos(user, recipient_id: int) -> bool:
    """Coordinators thank someone else."""
    return _signed_in(user) and user.is_coordinator and user.id != recipient_id


def can_set_active(user, person) -> bool:
    """Coordinators deactivate and reactivate other people's accounts (not deleted ones)."""
    return (
        _signed_in(user) and user.is_coordinator and user.id != person.id and not person.is_deleted
    )
