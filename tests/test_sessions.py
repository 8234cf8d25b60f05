"""Group sessions: scheduling, roster and seats, calendar files, attendance, notes, the
feedback grid, group feedback, ratings, rescheduling and cancelling."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from feedback.rubrics import current_rubric
from lessons.models import Assignment
from lessons.sessions import services as sessions
from lessons.sessions.models import GroupSession, Participant
from portal.clock import utcnow
from portal.errors import Conflict
from portal.extensions import db
from tests.conftest import PASSWORD, feedback_form_data, topic_id


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def local_in(days: int, hour: int = 14) -> str:
    day = datetime.now(UTC) + timedelta(days=days)
    return day.strftime(f"%Y-%m-%dT{hour:02d}:00")


def form(world, **overrides) -> dict:
    data = {
        "lesson": str(world.lesson.id),
        "title": "Alt text clinic",
        "starts_at": local_in(3),
        "duration": "60",
        "place": "Room 4",
        "capacity": "3",
        "invitees": [str(world.mentee.id), str(world.other_mentee.id)],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def group(world, make_user):
    """A session of the world's mentor with three invitees, starting in two days."""
    extra = make_user("Ines Invitee", seniority=6)
    data = sessions.SessionData(
        title="Alt text clinic",
        starts_at=utcnow() + timedelta(days=2),
        duration_minutes=60,
        place="Room 4",
        capacity=2,
        lesson_id=world.lesson.id,
    )
    session = sessions.create_session(
        world.mentor.id, data, [world.mentee.id, world.other_mentee.id, extra.id]
    )
    world.extra = extra
    return session


def test_schedule_a_session_in_the_local_time_zone(client, login, world):
    login(world.mentor)
    response = client.post("/sessions/new", data=form(world, starts_at="2031-03-10T14:00"))
    session = db.session.scalar(select(GroupSession))
    assert response.location == f"/sessions/{session.id}"
    assert session.starts_at == datetime(2031, 3, 10, 13, 0, tzinfo=UTC)  # Berlin is UTC+1 then
    assert [p.mentee_id for p in session.participants] == [world.mentee.id, world.other_mentee.id]
    assert "Mon 10 Mar 2031, 14:00</time>–15:00" in client.get(f"/sessions/{session.id}").get_data(
        True
    )
    login(world.mentee)
    dashboard = client.get("/").get_data(as_text=True)
    assert "Group sessions" in dashboard and "Invited — please answer" in dashboard


def test_invite_all_my_mentees_and_by_email(client, login, world):
    login(world.mentor)
    client.post(
        "/sessions/new",
        data=form(
            world, invitees=[], all_mentees="y", emails=f"{world.other_mentee.email.upper()}"
        ),
    )
    session = db.session.scalar(select(GroupSession))
    assert sorted(p.mentee_id for p in session.participants) == sorted(
        [world.mentee.id, world.other_mentee.id]
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"starts_at": "2020-01-01T10:00"}, "starts_at", "Choose a start time in the future."),
        ({"duration": "0"}, "duration", "Enter between 1 and 600 minutes."),
        ({"capacity": "0"}, "capacity", "Enter between 1 and 500 people."),
        ({"title": ""}, "title", "Give the session a title."),
        ({"emails": "nobody@example.org"}, "emails", "No account uses nobody@example.org."),
        ({"lesson": "999999"}, "lesson", "Not a valid choice"),
    ],
)
def test_bad_sessions_save_nothing(client, login, world, change, field, message):
    login(world.mentor)
    response = client.post("/sessions/new", data=form(world, **change))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="{field}-error"' in page and message in page
    assert count(GroupSession) == 0 and count(Participant) == 0


def test_inviting_someone_twice_is_refused(client, login, world, group):
    login(world.mentor)
    response = client.post(
        f"/sessions/{group.id}/invite", data={"invite-emails": world.mentee.email}
    )
    assert response.status_code == 422 and "Already invited: Margaret Mentee." in response.get_data(
        True
    )
    assert count(Participant) == 3


def test_accept_decline_capacity_and_assignment(client, login, world, group):
    login(world.mentee)
    client.post(f"/sessions/{group.id}/accept")
    client.post(f"/sessions/{group.id}/accept")  # a double click takes one seat
    db.session.refresh(group)
    assert group.accepted_count == 1
    assignment = db.session.scalar(select(Assignment))
    assert assignment.mentee_id == world.mentee.id and assignment.assigned_by_id == world.mentor.id

    login(world.other_mentee)
    client.post(f"/sessions/{group.id}/accept")
    login(world.extra)
    full = client.post(f"/sessions/{group.id}/accept", follow_redirects=True)
    assert "the session is full" in full.get_data(as_text=True)
    db.session.refresh(group)
    assert group.accepted_count == 2

    login(world.other_mentee)
    client.post(f"/sessions/{group.id}/decline")
    login(world.extra)
    client.post(f"/sessions/{group.id}/accept")
    db.session.refresh(group)
    statuses = {p.mentee_id: p.status for p in group.participants}
    assert statuses[world.extra.id] == "accepted" and statuses[world.other_mentee.id] == "declined"
    assert group.accepted_count == 2

    login(world.mentor)
    page = client.get(f"/sessions/{group.id}").get_data(as_text=True)
    assert "Who is coming (2 of 2)" in page
    client.post(f"/sessions/{group.id}/remove/{world.extra.id}", data={"confirm": "yes"})
    db.session.refresh(group)
    assert group.accepted_count == 1


def test_two_mentees_take_the_last_seat_at_once(app, world, group, make_user):
    group.capacity = 1
    people = [world.mentee, world.other_mentee, world.extra]
    more = [make_user() for _ in range(3)]
    group.participants += [Participant(mentee_id=p.id) for p in more]
    db.session.commit()
    emails, session_id = [p.email for p in people + more], group.id

    def accept(email):
        client = app.test_client()
        client.post("/auth/login", data={"email": email, "password": PASSWORD})
        return client.post(f"/sessions/{session_id}/accept", follow_redirects=True).get_data(True)

    with ThreadPoolExecutor(6) as pool:
        pages = list(pool.map(accept, emails))
    db.session.rollback()
    accepted = db.session.scalar(
        select(func.count()).select_from(Participant).where(Participant.status == "accepted")
    )
    assert accepted == 1 and db.session.get(GroupSession, session_id).accepted_count == 1
    assert sum("the session is full" in page for page in pages) == 5


def test_cancelled_sessions_take_no_answers(world, group):
    sessions.cancel(group)
    with pytest.raises(Conflict, match="cancelled"):
        sessions.respond(group, world.mentee.id, accept=True)
    with pytest.raises(Conflict, match="already cancelled"):
        sessions.cancel(group)


@pytest.mark.parametrize(("minutes", "accepted"), [(-1, False), (1, True)])
def test_invitations_are_answered_only_before_the_start(world, group, minutes, accepted):
    """A minute after the start the seat is refused; a minute before it is taken."""
    group.starts_at = utcnow() + timedelta(minutes=minutes)
    db.session.commit()
    if accepted:
        assert sessions.respond(group, world.mentee.id, accept=True).status == "accepted"
    else:
        with pytest.raises(Conflict, match="already started"):
            sessions.respond(group, world.mentee.id, accept=True)
    db.session.refresh(group)
    assert group.accepted_count == int(accepted)
    assert count(Assignment) == int(accepted)


def parse(body: bytes) -> list:
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


def test_ics_is_valid_stable_and_follows_changes(client, login, world, group):
    login(world.mentee)
    first = parse(client.get(f"/sessions/{group.id}.ics").data)
    second = parse(client.get(f"/sessions/{group.id}.ics").data)
    assert len(first) == 1 and str(first[0]["UID"]) == str(second[0]["UID"]) == group.uid
    assert first[0].decoded("DTSTART") == group.starts_at.replace(microsecond=0)
    assert first[0].decoded("DTEND") - first[0].decoded("DTSTART") == timedelta(minutes=60)
    assert int(first[0]["SEQUENCE"]) == 0 and str(first[0]["STATUS"]) == "CONFIRMED"
    assert str(first[0]["SUMMARY"]) == "Alt text clinic" and str(first[0]["LOCATION"]) == "Room 4"

    login(world.mentor)
    client.post(
        f"/sessions/{group.id}/edit",
        data={
            "edit-title": "Alt text clinic (moved)",
            "edit-starts_at": local_in(4, 10),
            "edit-duration": "90",
            "edit-place": "Room 5",
            "edit-capacity": "2",
        },
    )
    moved = parse(client.get(f"/sessions/{group.id}.ics").data)[0]
    assert int(moved["SEQUENCE"]) == 1 and str(moved["UID"]) == group.uid
    assert moved.decoded("DTEND") - moved.decoded("DTSTART") == timedelta(minutes=90)
    client.post(f"/sessions/{group.id}/cancel", data={"confirm": "yes"})
    cancelled = parse(client.get(f"/sessions/{group.id}.ics").data)[0]
    assert int(cancelled["SEQUENCE"]) == 2 and str(cancelled["STATUS"]) == "CANCELLED"
    login(world.mentee)
    assert "Cancelled" in client.get("/").get_data(as_text=True)


def test_personal_feed_lists_upcoming_sessions(client, login, world, group):
    login(world.mentee)
    sessions.respond(group, world.mentee.id, accept=True)
    page = client.get("/sessions/").get_data(as_text=True)
    feed_url = page.split('id="feed-url" readonly value="')[1].split('"')[0]
    client.post("/auth/logout")
    events = parse(client.get(feed_url.replace("http://localhost", "")).data)  # no sign-in needed
    assert [str(e["UID"]) for e in events] == [group.uid]
    assert client.get("/calendar/forged-token.ics").status_code == 404


def test_reschedule_cannot_drop_capacity_below_the_accepted(client, login, world, group):
    sessions.respond(group, world.mentee.id, accept=True)
    sessions.respond(group, world.other_mentee.id, accept=True)
    login(world.mentor)
    response = client.post(
        f"/sessions/{group.id}/edit",
        data={
            "edit-title": "x",
            "edit-starts_at": local_in(3),
            "edit-duration": "60",
            "edit-capacity": "1",
        },
    )
    assert response.status_code == 422
    assert "2 people have already accepted" in response.get_data(as_text=True)
    db.session.refresh(group)
    assert group.capacity == 2 and group.sequence == 0


def test_only_the_mentor_manages(client, login, world, group):
    login(world.mentee)
    for path in (
        "invite",
        "cancel",
        "attendance",
        "notes",
        "edit",
        f"remove/{world.other_mentee.id}",
    ):
        assert client.post(f"/sessions/{group.id}/{path}").status_code == 403, path
    login(world.other_mentor)  # not invited: the session is not theirs to see
    assert client.get(f"/sessions/{group.id}").status_code == 404
    assert client.get(f"/sessions/{group.id}.ics").status_code == 404
    db.session.refresh(group)
    assert group.status == "scheduled"


def test_attendance_notes_grid_and_group_feedback(client, login, world, group):
    for person in (world.mentee, world.other_mentee):
        sessions.respond(group, person.id, accept=True)
    login(world.mentee)
    client.post(f"/tasks/{world.task.id}", data={"body": "My alt text."})
    login(world.mentor)
    early = client.post(
        f"/sessions/{group.id}/attendance",
        data={"attendance-attended": [str(world.mentee.id)]},
        follow_redirects=True,
    )
    assert "once the session has started" in early.get_data(as_text=True)
    assert all(p.attended is None for p in db.session.scalars(select(Participant)))
    group.starts_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    client.post(
        f"/sessions/{group.id}/attendance", data={"attendance-attended": [str(world.mentee.id)]}
    )
    client.post(
        f"/sessions/{group.id}/notes", data={"notes-notes": "## Recap\n\n<script>x</script>Done"}
    )
    client.post(
        f"/sessions/{group.id}/group-feedback",
        data={
            "group-went_well": "Everyone rewrote a real chart description.",
            "group-work_on": "Decorative images should be marked as such.",
        },
    )
    db.session.refresh(group)
    assert {p.mentee_id: p.attended for p in group.participants if p.status == "accepted"} == {
        world.mentee.id: True,
        world.other_mentee.id: False,
    }
    assert "<h2" in group.notes_html and "<script>" not in group.notes_html
    page = client.get(f"/sessions/{group.id}").get_data(as_text=True)
    assert "Give feedback" in page and "Not submitted" in page and "(absent)" in page

    login(world.other_mentee)  # group feedback is for everyone, individual feedback is not
    page = client.get(f"/sessions/{group.id}").get_data(as_text=True)
    assert "Everyone rewrote a real chart description." in page and "Recap" in page
    from lessons.models import Submission

    submission_id = db.session.scalar(select(Submission.id))
    assert client.get(f"/submissions/{submission_id}").status_code == 404


def test_session_mentor_reviews_participants_work(
    client, login, world, group, make_lesson, make_user
):
    """The mentor of a session someone accepted counts as their mentor."""
    author = make_user()
    other_lesson = make_lesson(author, tasks=1)
    group.lesson_id = other_lesson.id
    db.session.commit()
    sessions.respond(group, world.extra.id, accept=True)
    login(world.extra)
    client.post(f"/tasks/{other_lesson.tasks[0].id}", data={"body": "Done."})
    login(world.mentor)
    assert "Awaiting your feedback (1)" in client.get("/").get_data(as_text=True)
    from lessons.models import Submission

    submission_id = db.session.scalar(select(Submission.id))
    rubric = current_rubric(topic_id("accessibility"))
    assert (
        client.post(f"/submissions/{submission_id}", data=feedback_form_data(rubric)).status_code
        == 302
    )


def test_participants_rate_a_session_once_it_started(client, login, world, group):
    sessions.respond(group, world.mentee.id, accept=True)
    login(world.mentee)
    early = client.post(
        f"/sessions/{group.id}/rate",
        data={"rating-helpfulness": "5", "rating-clarity": "5"},
        follow_redirects=True,
    )
    assert "once it has started" in early.get_data(as_text=True)
    group.starts_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    client.post(
        f"/sessions/{group.id}/rate", data={"rating-helpfulness": "4", "rating-clarity": "2"}
    )
    login(world.other_mentee)  # invited but never accepted
    assert (
        client.post(
            f"/sessions/{group.id}/rate", data={"rating-helpfulness": "1", "rating-clarity": "1"}
        ).status_code
        == 403
    )
    login(world.mentor)
    page = client.get(f"/sessions/{group.id}").get_data(as_text=True)
    assert "<strong>4.0</strong> helpfulness" in page and "<strong>2.0</strong> clarity" in page
    assert "Took place" in page


def test_feedback_grid_queries_do_not_grow_with_participants(
    client, login, world, group, make_user, count_queries
):
    login(world.mentor)

    def add(n):
        for _ in range(n):
            person = make_user()
            group.participants.append(Participant(mentee_id=person.id))
            db.session.commit()
            group.capacity += 1
            db.session.commit()
            sessions.respond(group, person.id, accept=True)
            sessions_submit(world, person)

    def measure():
        with count_queries() as statements:
            assert client.get(f"/sessions/{group.id}").status_code == 200
        return len(statements)

    add(2)
    small = measure()
    add(10)
    assert measure() == small


def sessions_submit(world, person):
    from lessons import practice

    for task in world.lesson.tasks:
        practice.submit(task, person.id, practice.Answer(body="An answer."))
