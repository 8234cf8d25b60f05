"""Reminders and the daily digest: each sent once per person and occasion, however often the
worker runs (a controllable clock: `run_once(now)`, never sleeps)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from feedback import services as feedback
from lessons import practice
from lessons.sessions import services as sessions
from portal.accounts import kudos
from portal.clock import utcnow
from portal.extensions import db
from portal.notifications import reminders, services, worker
from portal.notifications.models import Notification, OutboxMessage
from portal.programs import services as programs
from portal.programs.care import checkin_status
from tests.conftest import feedback_data
from tests.test_programs import coordinator, running  # noqa: F401 (fixtures)


def reminded() -> list[tuple[int, str]]:
    query = select(Notification).where(Notification.kind == "reminder").order_by(Notification.id)
    return [(n.user_id, n.text) for n in db.session.scalars(query)]


def passes(*moments: datetime) -> None:
    for moment in moments:
        worker.run_once(moment)
        worker.run_once(moment)  # a second worker pass at the same time adds nothing


def test_a_session_reminds_a_day_and_an_hour_before_once_each(world):
    starts = utcnow().replace(microsecond=0) + timedelta(days=3)
    data = sessions.SessionData(
        title="Alt text clinic",
        starts_at=starts,
        duration_minutes=60,
        place="Room 4",
        capacity=3,
        lesson_id=world.lesson.id,
    )
    session = sessions.create_session(
        world.mentor.id, data, [world.mentee.id, world.other_mentee.id]
    )
    sessions.respond(session, world.mentee.id, accept=True)  # Olga does not answer
    passes(starts - timedelta(days=2))  # too early
    assert reminded() == []
    passes(starts - timedelta(hours=20), starts - timedelta(hours=19))
    day_before = reminded()
    assert [whom for whom, _ in day_before] == [world.mentor.id, world.mentee.id]
    assert day_before[0][1].startswith("“Alt text clinic” is coming up: ")
    passes(starts - timedelta(minutes=50), starts - timedelta(minutes=10))
    hour_before = reminded()[2:]
    assert [whom for whom, _ in hour_before] == [world.mentor.id, world.mentee.id]
    assert "starts within the hour" in hour_before[0][1] and "Place: Room 4." in hour_before[0][1]
    passes(starts + timedelta(minutes=5))
    assert len(reminded()) == 4


def test_an_assignment_due_tomorrow_reminds_the_mentee_once(world):
    due = utcnow().replace(microsecond=0) + timedelta(days=2)
    practice.assign_lesson(world.mentor.id, world.mentee.id, world.lesson, due)
    passes(due - timedelta(days=1, hours=1))
    assert reminded() == []
    passes(due - timedelta(hours=20), due - timedelta(hours=2))
    ((whom, text),) = reminded()
    assert whom == world.mentee.id and text.startswith("“Alt text” is due ")


def test_an_answer_waiting_too_long_reminds_its_mentors_once_per_attempt(app, world, submit):
    submission = submit()
    now = utcnow()
    passes(now + timedelta(days=2))
    assert reminded() == []
    passes(now + timedelta(days=3, hours=1), now + timedelta(days=5))
    ((whom, text),) = reminded()
    assert whom == world.mentor.id  # not the other mentor: no reach over Margaret
    assert text == "Margaret Mentee's answer in “Alt text” has waited 3 days for feedback."
    feedback.give_feedback(world.mentor, submission, feedback_data("accessibility", 2, "revise"))
    practice.submit(world.task, world.mentee.id, practice.Answer(body="Second try"))
    passes(utcnow() + timedelta(days=4))
    assert len(reminded()) == 2  # the new attempt waits too: reminded again, once


def test_checkins_remind_the_pair_when_due_and_the_coordinator_too_when_overdue(
    running,  # noqa: F811
    coordinator,  # noqa: F811
):
    program, p = running
    programs.set_preferences(program, p["margaret"], [p["leo"].id])
    programs.run_matching(program)
    for match in programs.matches_of(program.id):
        if match.mentee_id != p["margaret"].id:
            programs.remove_pair(program, match.id)  # one pair: Leo and Margaret
    programs.confirm(program, coordinator)
    programs.advance(program)  # active
    (pair,) = [c for c in checkin_status(program) if c.match.mentee_id == p["margaret"].id]
    due = datetime.combine(pair.due, datetime.min.time(), UTC) + timedelta(hours=9)
    passes(due - timedelta(days=5))
    assert [t for _, t in reminded() if "Margaret" in t or "check-in" in t] == []
    passes(due - timedelta(days=2), due - timedelta(days=1))
    soon = [(w, t) for w, t in reminded() if "is due in" in t]
    assert {w for w, _ in soon} == {p["leo"].id, p["margaret"].id} and len(soon) == 2
    passes(due + timedelta(days=1), due + timedelta(days=3))
    late = dict((w, t) for w, t in reminded() if "was due on" in t)
    assert set(late) == {p["leo"].id, p["margaret"].id, coordinator.id} and len(late) == 3
    assert late[p["leo"].id].startswith("Your check-in with Margaret in “Leadership 2027”")
    assert late[p["margaret"].id].startswith("Your check-in with Leo in")
    assert late[coordinator.id].startswith("The check-in of Leo and Margaret in")


def test_an_unanswered_program_invitation_reminds_after_a_week_once(make_user):
    boss = make_user("Cora", coordinator=True)
    from tests.test_programs import make_program

    program = make_program(boss)
    helen = make_user("Helen")
    programs.invite(program, [helen.id], "mentee")
    passes(utcnow() + timedelta(days=6))
    assert reminded() == []
    passes(utcnow() + timedelta(days=8), utcnow() + timedelta(days=20))
    assert reminded() == [
        (
            helen.id,
            "You have not answered the invitation to “Leadership 2027” yet: will you take part?",
        )
    ]


def test_the_digest_gathers_a_days_events_into_one_email(world, mailbox):
    mentor = world.mentor
    services.set_preference(mentor.id, "kudos_received", "digest")
    db.session.commit()
    db.session.execute(update(OutboxMessage).values(sent_at=utcnow()))  # the world's own mail
    db.session.commit()
    for thanks in ("First thanks to you.", "Second thanks to you.", "Third thanks to you."):
        kudos.give_kudos(world.coordinator, mentor, thanks)
    assert services.unread_count(mentor.id) >= 3  # in the portal at once
    berlin_morning = datetime(2031, 5, 6, 6, 30, tzinfo=UTC)  # 08:30 in Berlin
    passes(berlin_morning - timedelta(hours=1))  # 07:30 local: before the digest hour
    assert mailbox.to(mentor.email) == []
    passes(berlin_morning, berlin_morning + timedelta(hours=5))
    (digest,) = mailbox.to(mentor.email)
    assert digest["Subject"] == "Flipside: 3 things since yesterday"
    text = digest.get_body(("plain",)).get_content()
    assert text.index("First thanks") < text.index("Second thanks") < text.index("Third thanks")
    kudos.give_kudos(world.coordinator, mentor, "Fourth thanks to you.")
    passes(berlin_morning + timedelta(hours=6))  # the same day: no second digest
    assert len(mailbox.to(mentor.email)) == 1
    passes(berlin_morning + timedelta(days=1))
    assert mailbox.to(mentor.email)[1]["Subject"] == "Flipside: 1 thing since yesterday"


def test_an_occasion_is_claimed_once(app):
    assert reminders.claim("test:one") is True
    db.session.commit()
    assert reminders.claim("test:one") is False
    db.session.rollback()
