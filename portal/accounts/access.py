"""Who may do what with accounts, mentorships and kudos: the one place these rules live."""

from __future__ import annotations

from portal.accounts.models import OPEN_STATUSES, Mentorship, MentorshipStatus


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


def conversation_people(mentorship: Mentorship) -> list:
    """The pair's conversation: the two people, and nobody else (coordinators included)."""
    return [mentorship.mentor, mentorship.mentee]


def can_talk(mentorship: Mentorship) -> bool:
    """New messages while the mentorship is asked for or active; after, it is read only."""
    return mentorship.status in OPEN_STATUSES


# One-on-one meetings: the pair's own; coordinators see only that (and when) they took place,
# through the program's check-in figures, never a meeting itself.


def can_schedule_meeting(user, mentorship: Mentorship) -> bool:
    """Either person in an active mentorship."""
    return is_party(user, mentorship) and mentorship.status == MentorshipStatus.ACTIVE


def can_view_meeting(user, meeting) -> bool:
    return is_party(user, meeting.mentorship)


def can_change_meeting(user, meeting) -> bool:
    """Move, re-plan or cancel: either person, while the mentorship is active and the meeting
    is not cancelled."""
    return can_schedule_meeting(user, meeting.mentorship) and not meeting.is_cancelled


def can_write_notes(user, meeting) -> bool:
    """Shared notes and action items: either person, on a meeting that was not cancelled."""
    return is_party(user, meeting.mentorship) and not meeting.is_cancelled


def can_tick(user, item) -> bool:
    """Either person ticks an action item off (or back): they agreed on it together."""
    return is_party(user, item.meeting.mentorship)


def reads_private_note(user, note) -> bool:
    """A private note is its author's alone: not the other person, not a coordinator."""
    return _signed_in(user) and note.author_id == user.id


def can_import_people(user) -> bool:
    """Coordinators bring people in from a file."""
    return _signed_in(user) and user.is_coordinator


def can_browse_people(user) -> bool:
    """Everyone signed in finds colleagues by name, job title or topic."""
    return _signed_in(user)


def can_set_active(user, person) -> bool:
    """Coordinators deactivate and reactivate other people's accounts (not deleted ones)."""
    return (
        _signed_in(user) and user.is_coordinator and user.id != person.id and not person.is_deleted
    )
