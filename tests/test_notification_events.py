"""Each event tells the people it concerns, and nobody else (in the portal and by email)."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import select

from feedback import services as feedback
from lessons import practice
from lessons.sessions import services as sessions
from portal.accounts import kudos
from portal.clock import utcnow
from portal.extensions import db
from portal.notifications import worker
from portal.notifications.models import Notification
from portal.programs import services as programs
from tests.conftest import feedback_data, topic_id
from tests.test_program_care import paired  # noqa: F401 (a fixture)
from tests.test_programs import make_program


def told(kind: str | None = None) -> list[tuple[int, str]]:
    """(recipient, text) of every notification so far, oldest first."""
    query = select(Notification).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return [(n.user_id, n.text) for n in db.session.scalars(query)]


def test_an_answer_tells_the_mentors_who_may_review_it_and_a_revision_again(world, submit):
    submission = submit()
    assert told("answer_submitted") == [
        (
            world.mentor.id,
            "Margaret Mentee answered a task in “Alt text”: it is waiting for your feedback.",
        )
    ]  # not the other mentor, who has no reach over Margaret
    feedback.give_feedback(world.mentor, submission, feedback_data("accessibility", 2, "revise"))
    assert told("feedback_received") == [
        (
            world.mentee.id,
            "Leo Mentor gave feedback on your answer in “Alt text” and asks for a revision.",
        )
    ]
    practice.submit(world.task, world.mentee.id, practice.Answer(body="Second try"))
    assert told("answer_submitted")[-1] == (
        world.mentor.id,
        "Margaret Mentee revised their answer in “Alt text”: it is waiting for your feedback.",
    )


def test_an_observation_tells_the_mentee(world):
    feedback.record_observation(
        world.mentor, world.mentee, topic_id("accessibility"), feedback_data("accessibility", 3)
    )
    assert told("observation_recorded") == [
        (world.mentee.id, "Leo Mentor recorded an observation about your Accessibility.")
    ]


def test_an_assigned_lesson_tells_the_mentee_with_its_due_date(world):
    due = utcnow().replace(microsecond=0) + timedelta(days=3)
    practice.assign_lesson(world.mentor.id, world.mentee.id, world.lesson, due)
    ((whom, text),) = told("lesson_assigned")
    assert whom == world.mentee.id
    assert text.startswith("Leo Mentor assigned you the lesson “Alt text”, due ")
    assert "(CET)" in text or "(CEST)" in text  # in the reader's time zone (the site's here)


def test_kudos_tell_the_mentor(world):
    kudos.give_kudos(world.coordinator, world.mentor, "Your alt-text clinic was superb.")
    assert told("kudos_received") == [
        (world.mentor.id, "Cora Coordinator sent you kudos: “Your alt-text clinic was superb.”")
    ]


@pytest.fixture
def session_mail(world, mailbox):
    """A session invitation to two of the world's people, delivered to a real SMTP server."""
    data = sessions.SessionData(
        title="Alt text clinic",
        starts_at=utcnow() + timedelta(days=2),
        duration_minutes=60,
        place="Room 4",
        capacity=5,
        lesson_id=world.lesson.id,
    )
    session = sessions.create_session(
        world.mentor.id, data, [world.mentee.id, world.other_mentee.id]
    )
    return session, mailbox


def about_the_session(mailbox, address: str) -> list:
    return [m for m in mailbox.to(address) if "Alt text clinic" in m["Subject"]]


def calendar_of(message) -> icalendar.Calendar:
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(part.get_content())


def test_session_invitations_changes_and_cancellations_carry_their_calendar(world, session_mail):
    session, mailbox = session_mail
    assert {whom for whom, _text in told("session_invitation")} == {
        world.mentee.id,
        world.other_mentee.id,
    }
    worker.deliver_pending()
    (invitation,) = about_the_session(mailbox, world.mentee.email)
    assert invitation["Subject"] == "Invitation: Alt text clinic"
    cal = calendar_of(invitation)
    (event,) = cal.walk("VEVENT")
    assert cal["METHOD"] == "REQUEST" and str(event["UID"]) == session.uid
    assert int(event["SEQUENCE"]) == session.sequence
    assert str(event["ORGANIZER"]) == f"mailto:{world.mentor.email}"

    moved = sessions.SessionData(
        title="Alt text clinic",
        starts_at=session.starts_at + timedelta(days=1),
        duration_minutes=60,
        place="Room 5",
        capacity=5,
        lesson_id=world.lesson.id,
    )
    sessions.reschedule(session, moved)
    sessions.cancel(session)
    worker.deliver_pending()
    change, cancellation = about_the_session(mailbox, world.mentee.email)[1:]
    assert change["Subject"] == "Changed: Alt text clinic"
    assert calendar_of(change)["METHOD"] == "REQUEST"
    assert int(calendar_of(change).walk("VEVENT")[0]["SEQUENCE"]) == int(event["SEQUENCE"]) + 1
    assert cancellation["Subject"] == "Cancelled: Alt text clinic"
    cancelled = calendar_of(cancellation)
    assert cancelled["METHOD"] == "CANCEL"
    assert cancelled.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert about_the_session(mailbox, world.mentor.email) == []


def test_program_invitations_and_confirmed_matches(make_user, login):
    coordinator = make_user("Cora Coordinator", coordinator=True)
    program = make_program(coordinator)
    leo, margaret = make_user("Leo"), make_user("Margaret")
    programs.invite(program, [leo.id], "mentor")
    programs.invite(program, [margaret.id], "mentee")
    invitations = told("program_invitation")
    assert [whom for whom, _ in invitations] == [leo.id, margaret.id]
    assert "as a mentee" in invitations[1][1]
    link = db.session.scalar(
        select(Notification.link).where(Notification.kind == "program_invitation")
    )
    assert link == f"/programs/{program.id}#answer-h"  # lands on the answer form
    for person in (leo, margaret):
        programs.respond(program, person, True, capacity=1, topic_ids=[topic_id("leadership")])
    programs.set_preferences(program, margaret, [leo.id])
    programs.run_matching(program)
    programs.confirm(program, coordinator)
    assert told("match_confirmed") == [
        (leo.id, "In “Leadership 2027” you mentor Margaret, in Leadership."),
        (margaret.id, "In “Leadership 2027” Leo mentors you, in Leadership."),
    ]


def test_a_recorded_checkin_tells_the_pair(paired):  # noqa: F811
    from datetime import date

    from portal.programs import care

    program, match, p = paired
    care.record_checkin(
        program,
        match,
        p["sam"],
        care.CheckInData(
            held_on=date.today(),
            what_works="They meet every week without fail.",
            what_does_not="Agendas arrive late.",
            actions="Send the agenda a day ahead.",
        ),
    )
    texts = told("checkin_recorded")
    assert [whom for whom, _ in texts] == [p["leo"].id, p["margaret"].id]
    assert texts[0][1].startswith(
        "Sam Coordinator recorded your check-in with Margaret in “Ops 2026”"
    )
    assert texts[0][1].endswith("Agreed next: Send the agenda a day ahead.")
