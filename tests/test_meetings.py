"""One-on-one meetings of a mentorship: who may see and do what, scheduling in the person's
time zone, the calendar file (stable UID, SEQUENCE), moving and cancelling with notices,
shared notes, action items, private notes, check-ins counted for the program, the dashboard,
reminders and query counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from feedback import overview, program_report
from portal.accounts import mentorships
from portal.accounts.meetings import agendas, places
from portal.accounts.meetings import reminders as meeting_reminders
from portal.accounts.meetings import services as meetings
from portal.accounts.meetings.models import ActionItem, Meeting, PrivateNote
from portal.accounts.models import Mentorship
from portal.clock import utcnow
from portal.extensions import db
from portal.notifications.models import Notification, OutboxMessage
from portal.programs import care
from tests.conftest import topic_id
from tests.test_program_care import paired  # noqa: F401

PRIVATE = "Only-for-me: I felt defensive about the slides."
SHARED = "We agreed to start with the charts."


def later(days: int = 3, hour: int = 14) -> str:
    """A time as typed into the form (in the viewer's zone)."""
    return (datetime.now(UTC) + timedelta(days=days)).strftime(f"%Y-%m-%dT{hour:02d}:00")


def form(**overrides) -> dict:
    data = {
        "starts_at": later(),
        "duration_minutes": "45",
        "place": "https://meet.example.com/abc",
        "agenda": "1. Goals",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def mentorship_of(world):
    return mentorships.open_between(world.mentor.id, world.mentee.id)


def schedule(world, days=3, by=None, **kw) -> Meeting:
    data = meetings.MeetingData(
        starts_at=kw.pop("starts_at", utcnow() + timedelta(days=days)),
        duration_minutes=kw.pop("duration", 45),
        place=kw.pop("place", "Room 4"),
        agenda=kw.pop("agenda", "1. Goals"),
    )
    return meetings.schedule(by or world.mentee, mentorship_of(world), data)


def held(world, days_ago=2, **values) -> Meeting:
    """A meeting that took place: scheduled, then its time came."""
    meeting = schedule(world)
    meeting.starts_at = utcnow() - timedelta(days=days_ago)
    for name, value in values.items():
        setattr(meeting, name, value)
    db.session.commit()
    return meeting


def outbox_for(user) -> list[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == user.email)
    ).all()


def parse(body) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


@pytest.fixture
def pair(world):
    """The world, with a meeting of its pair that took place (shared notes, an action item,
    a private note by the mentee) and a second pair with a meeting of its own."""
    meeting = held(world, notes=SHARED)
    world.item = meetings.add_action_item(
        world.mentor, meeting, world.mentee.id, "Rewrite the chart alt texts", date.today()
    )
    meetings.save_private_note(world.mentee, meeting, PRIVATE)
    other = mentorships.request_mentorship(
        world.other_mentee, world.other_mentor, "mentee", [topic_id("accessibility")]
    )
    mentorships.respond(other, world.other_mentor, accept=True)
    world.other_meeting = meetings.schedule(
        world.other_mentee,
        other,
        meetings.MeetingData(utcnow() + timedelta(days=2), 30, "Room 9", "Theirs"),
    )
    world.meeting = meeting
    return world


# -- the access matrix ---------------------------------------------------------------------

ROLES = ("mentee", "mentor", "other_mentee", "coordinator", "outsider", "anonymous")
OK, DO, NO, IN = 200, 302, 404, "login"
MATRIX = {
    ("GET", "/mentorships/{m}/meetings/new"): (OK, OK, NO, NO, NO, IN),
    ("POST", "/mentorships/{m}/meetings/new"): (DO, DO, NO, NO, NO, IN),
    ("GET", "/meetings/{meeting}"): (OK, OK, NO, NO, NO, IN),
    ("GET", "/meetings/{meeting}.ics"): (OK, OK, NO, NO, NO, IN),
    ("GET", "/meetings/{upcoming}/edit"): (OK, OK, NO, NO, NO, IN),
    ("POST", "/meetings/{upcoming}/edit"): (DO, DO, NO, NO, NO, IN),
    ("GET", "/meetings/{upcoming}/cancel"): (OK, OK, NO, NO, NO, IN),
    ("POST", "/meetings/{meeting}/notes"): (DO, DO, NO, NO, NO, IN),
    ("POST", "/meetings/{meeting}/private"): (DO, DO, NO, NO, NO, IN),
    ("POST", "/meetings/{meeting}/actions"): (DO, DO, NO, NO, NO, IN),
    ("POST", "/meetings/{meeting}/actions/{item}/done"): (DO, DO, NO, NO, NO, IN),
    ("GET", "/mentorships/{m}"): (OK, OK, NO, NO, NO, IN),
}  # fmt: skip


def _payload(path: str, world) -> dict:
    if path.endswith(("/new", "/edit")):
        return form()
    if path.endswith("/actions"):
        return {
            "action-text": "Try it",
            "action-owner": str(world.mentee.id),
            "action-due_on": (date.today() + timedelta(days=5)).isoformat(),
        }
    if path.endswith("/notes"):
        return {"notes-notes": "Ours"}
    if path.endswith("/private"):
        return {"private-body": "Mine"}
    return {}


@pytest.mark.parametrize(("method", "path"), list(MATRIX))
def test_access_matrix(app, client, login, pair, make_user, method, path):
    app.config["WTF_CSRF_ENABLED"] = False
    upcoming = schedule(pair, days=5)
    people = {
        "mentee": pair.mentee,
        "mentor": pair.mentor,
        "other_mentee": pair.other_mentee,
        "coordinator": pair.coordinator,
        "outsider": make_user("Otto Outsider"),
        "anonymous": None,
    }
    url = path.format(
        m=mentorship_of(pair).id, meeting=pair.meeting.id, upcoming=upcoming.id, item=pair.item.id
    )
    got = []
    for role in ROLES:
        login(people[role]) if people[role] else client.post("/auth/logout")
        response = client.open(url, method=method, data=_payload(path, pair))
        at_login = response.status_code == 302 and "/auth/login" in response.location
        got.append(IN if at_login else response.status_code)
    assert tuple(got) == MATRIX[(method, path)], dict(zip(ROLES, got, strict=True))


def test_an_ended_mentorship_takes_no_new_meetings_and_its_meetings_cannot_move(
    client, login, pair
):
    upcoming = schedule(pair, days=4)
    mentorships.end(mentorship_of(pair), pair.mentor)
    login(pair.mentee)
    m_id = pair.meeting.mentorship_id
    response = client.get(f"/mentorships/{m_id}/meetings/new")
    assert response.status_code == 302 and response.location == f"/mentorships/{m_id}"
    assert client.get(f"/meetings/{upcoming.id}/edit").status_code == 403
    assert client.get(f"/meetings/{upcoming.id}/cancel").status_code == 403
    assert client.get(f"/meetings/{pair.meeting.id}").status_code == 200  # still readable


# -- scheduling ----------------------------------------------------------------------------


def test_the_mentee_schedules_in_their_time_zone_and_the_mentor_is_invited(client, login, world):
    login(world.mentee)
    m = mentorship_of(world)
    page = client.get(f"/mentorships/{m.id}/meetings/new").get_data(as_text=True)
    assert "Introductions: our roles" in page  # a first meeting starts from expectations
    response = client.post(
        f"/mentorships/{m.id}/meetings/new", data=form(starts_at="2031-03-10T14:00")
    )
    meeting = db.session.scalar(select(Meeting))
    assert response.location == f"/meetings/{meeting.id}"
    assert meeting.starts_at == datetime(2031, 3, 10, 13, 0, tzinfo=UTC)  # Berlin is UTC+1
    assert meeting.scheduled_by_id == world.mentee.id and meeting.sequence == 0
    note = db.session.scalar(
        select(Notification).where(
            Notification.user_id == world.mentor.id, Notification.kind == "meeting_scheduled"
        )
    )
    assert "Margaret Mentee invited you" in note.text
    assert "Monday 10 March 2031, 14:00 (CET)" in note.text
    (mail,) = [m for m in outbox_for(world.mentor) if m.calendar]
    assert mail.calendar_method == "REQUEST"
    (event,) = parse(mail.calendar)
    assert str(event["UID"]) == meeting.uid and int(event["SEQUENCE"]) == 0
    assert "METHOD:REQUEST" in mail.calendar
    assert [m for m in outbox_for(world.mentee) if m.calendar] == []  # not told what they did


def test_agenda_templates_are_plain_data_and_chosen_by_link(client, login, world):
    assert {a.key for a in agendas.AGENDAS} == {"first", "regular", "difficult", "wrap-up"}
    assert agendas.agenda_text(None, meetings_so_far=2) == agendas.BY_KEY["regular"].text
    login(world.mentor)
    m = mentorship_of(world)
    page = client.get(f"/mentorships/{m.id}/meetings/new?agenda=difficult").get_data(True)
    assert "The facts: the situation, the behaviour, its impact" in page
    schedule(world)
    page = client.get(f"/mentorships/{m.id}/meetings/new").get_data(True)
    assert "Since last time: how did the agreed actions go?" in page  # the next is regular


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"starts_at": later(-1)}, "starts_at", "Choose a start time in the future."),
        ({"starts_at": ""}, "starts_at", "Choose a date and time"),
        ({"duration_minutes": "481"}, "duration_minutes", "Enter between 1 and 480 minutes."),
        ({"duration_minutes": "0"}, "duration_minutes", "Enter between 1 and 480 minutes."),
        ({"place": "x" * 301}, "place", "Field cannot be longer than 300 characters."),
        ({"place": "htps://meet.example.com/a"}, "place", "Use a link starting with https://"),
        ({"place": "javascript://alert(1)"}, "place", "Use a link starting with https://"),
        ({"place": "https://"}, "place", "This link has no site in it"),
        ({"place": "Room 4\nBuilding B"}, "place", "Use one line"),
        ({"agenda": "x" * 10_001}, "agenda", "longer than 10000 characters"),
    ],
)
def test_bad_meetings_save_nothing(client, login, world, change, field, message):
    login(world.mentee)
    m = mentorship_of(world)
    response = client.post(f"/mentorships/{m.id}/meetings/new", data=form(**change))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert db.session.scalar(select(func.count(Meeting.id))) == 0
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.kind == "meeting_scheduled")) == 0  # fmt: skip


def test_places_tell_a_room_from_a_link():
    assert places.link_of("meet.example.com") is None  # a room name, as far as we know
    assert places.link_of("www.example.com/x") == "https://www.example.com/x"
    assert places.link_of("https://meet.example.com/abc") == "https://meet.example.com/abc"
    assert places.link_of("Room 4, or https://meet.example.com/abc") is None
    assert places.link_problem("ftp://files.example.com") is not None


def test_a_link_place_is_a_link_and_text_is_escaped(client, login, world):
    meeting = schedule(world, place="https://meet.example.com/abc", agenda="<b>1</b>\n2. Next")
    login(world.mentor)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert '<a href="https://meet.example.com/abc" rel="noopener noreferrer">' in page
    assert "&lt;b&gt;1&lt;/b&gt;<br>\n2. Next" in page


# -- calendar, moving and cancelling -------------------------------------------------------


def test_ics_has_a_stable_uid_and_follows_moves_and_the_cancel(client, login, world):
    meeting = schedule(world, days=3)
    login(world.mentor)
    response = client.get(f"/meetings/{meeting.id}.ics")
    assert response.mimetype == "text/calendar"
    assert f'filename="meeting-{meeting.id}.ics"' in response.headers["Content-Disposition"]
    (first,) = parse(response.data)
    assert str(first["UID"]) == meeting.uid and int(first["SEQUENCE"]) == 0
    assert str(first["SUMMARY"]) == "Mentoring meeting with Margaret Mentee"
    assert first.decoded("DTEND") - first.decoded("DTSTART") == timedelta(minutes=45)
    assert str(first["STATUS"]) == "CONFIRMED" and str(first["LOCATION"]) == "Room 4"

    moved = client.post(f"/meetings/{meeting.id}/edit", data=form(starts_at=later(4, 10)))
    assert moved.location == f"/meetings/{meeting.id}"
    (second,) = parse(client.get(f"/meetings/{meeting.id}.ics").data)
    assert str(second["UID"]) == meeting.uid and int(second["SEQUENCE"]) == 1
    mail = outbox_for(world.mentee)[-1]
    assert mail.calendar_method == "REQUEST" and "moved your meeting" in mail.subject
    assert int(parse(mail.calendar)[0]["SEQUENCE"]) == 1

    # Only the agenda changed: no move, no notice, the same SEQUENCE.
    sent = len(outbox_for(world.mentee))
    client.post(f"/meetings/{meeting.id}/edit", data=form(starts_at=later(4, 10), agenda="New"))
    assert db.session.get(Meeting, meeting.id).agenda == "New"
    assert (
        db.session.get(Meeting, meeting.id).sequence == 1 and len(outbox_for(world.mentee)) == sent
    )

    confirm = client.get(f"/meetings/{meeting.id}/cancel").get_data(as_text=True)
    assert "Cancel your meeting with Margaret Mentee?" in confirm and "What will be lost" in confirm
    assert db.session.get(Meeting, meeting.id).status == "scheduled"  # the GET only asks
    client.post(f"/meetings/{meeting.id}/cancel")  # a one-click POST without confirm: asks again
    assert db.session.get(Meeting, meeting.id).status == "scheduled"
    done = client.post(f"/meetings/{meeting.id}/cancel", data={"confirm": "yes"})
    assert done.location == f"/mentorships/{meeting.mentorship_id}"
    (third,) = parse(client.get(f"/meetings/{meeting.id}.ics").data)
    assert str(third["STATUS"]) == "CANCELLED" and int(third["SEQUENCE"]) == 2
    mail = outbox_for(world.mentee)[-1]
    assert mail.calendar_method == "CANCEL" and "METHOD:CANCEL" in mail.calendar
    assert client.get(f"/meetings/{meeting.id}/edit").status_code == 403  # cancelled: final


def test_cancelling_twice_changes_it_once(world):
    meeting = schedule(world)
    meetings.cancel(world.mentor, meeting)
    with pytest.raises(Exception, match="already cancelled"):
        meetings.cancel(world.mentee, meeting)
    assert db.session.get(Meeting, meeting.id).sequence == 1


def test_rescheduling_refuses_a_past_time(client, login, world):
    meeting = schedule(world)
    login(world.mentee)
    response = client.post(f"/meetings/{meeting.id}/edit", data=form(starts_at=later(-2)))
    assert response.status_code == 422 and "Choose a start time in the future." in response.text
    assert db.session.get(Meeting, meeting.id).sequence == 0


# -- notes, action items, private notes -----------------------------------------------------


def test_private_notes_are_never_shown_to_the_other_or_a_coordinator(client, login, pair):
    login(pair.mentee)
    assert PRIVATE in client.get(f"/meetings/{pair.meeting.id}").get_data(as_text=True)
    login(pair.mentor)
    page = client.get(f"/meetings/{pair.meeting.id}").get_data(as_text=True)
    assert SHARED in page and PRIVATE not in page
    assert PRIVATE not in client.get(f"/meetings/{pair.meeting.id}.ics").get_data(as_text=True)
    assert PRIVATE not in client.get(f"/mentorships/{pair.meeting.mentorship_id}").get_data(True)
    # The mentor keeps notes of his own; hers stay hers.
    client.post(f"/meetings/{pair.meeting.id}/private", data={"private-body": "Leo's own"})
    notes = {n.author_id: n.body for n in db.session.scalars(select(PrivateNote))}
    assert notes == {pair.mentee.id: PRIVATE, pair.mentor.id: "Leo's own"}
    login(pair.mentee)
    assert "Leo's own" not in client.get(f"/meetings/{pair.meeting.id}").get_data(as_text=True)


def test_shared_notes_and_action_items_tick_off_and_back(client, login, pair):
    login(pair.mentor)
    url = f"/meetings/{pair.meeting.id}"
    assert client.post(f"{url}/notes", data={"notes-notes": "Charts first."}).status_code == 302
    due = (date.today() + timedelta(days=7)).isoformat()
    client.post(
        f"{url}/actions",
        data={"action-text": "Send the checklist", "action-owner": str(pair.mentor.id),
              "action-due_on": due},
    )  # fmt: skip
    mine = db.session.scalar(select(ActionItem).where(ActionItem.owner_id == pair.mentor.id))
    assert mine.text == "Send the checklist" and mine.due_on.isoformat() == due
    login(pair.mentee)
    page = client.get(url).get_data(as_text=True)
    assert "Charts first." in page and "Send the checklist" in page
    client.post(f"{url}/actions/{pair.item.id}/done")
    assert db.session.get(ActionItem, pair.item.id).done_at is not None
    client.post(f"{url}/actions/{pair.item.id}/done")  # twice: still done, once
    client.post(f"{url}/actions/{pair.item.id}/undo")
    assert db.session.get(ActionItem, pair.item.id).done_at is None


def test_an_action_item_for_the_other_person_tells_them(pair):
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == pair.mentee.id)
    ).all()
    assert "action_item_assigned" in kinds  # the mentor noted one for her in the fixture
    assert (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == pair.mentor.id, Notification.kind == "action_item_assigned"
            )
        )
        == 0
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"action-text": ""}, "action-text", "Say what will be done."),
        ({"action-text": "x" * 301}, "action-text", "longer than 300"),
        ({"action-owner": "999999"}, "action-owner", "Not a valid choice"),
        ({"action-due_on": "2026-13-45"}, "action-due_on", "Not a valid date value."),
        ({"action-due_on": "2000-01-01"}, "action-due_on", "on or after the meeting"),
    ],
)
def test_bad_action_items_save_nothing(client, login, pair, data, field, message):
    login(pair.mentee)
    payload = {
        "action-text": "Try it",
        "action-owner": str(pair.mentee.id),
        "action-due_on": date.today().isoformat(),
        **data,
    }
    response = client.post(f"/meetings/{pair.meeting.id}/actions", data=payload)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and message in response.text
    assert db.session.scalar(select(func.count(ActionItem.id))) == 1


def test_a_cancelled_meeting_takes_no_notes(client, login, pair):
    meetings.cancel(pair.mentee, pair.meeting)
    login(pair.mentor)
    assert (
        client.post(f"/meetings/{pair.meeting.id}/notes", data={"notes-notes": "x"}).status_code
        == 403
    )
    page = client.get(f"/meetings/{pair.meeting.id}").get_data(as_text=True)
    assert "Cancelled." in page and "Save shared notes" not in page


# -- check-ins for the program ------------------------------------------------------------


def _pair_meeting(match, days_ago: int, status: str = "scheduled") -> Meeting:
    mentorship = db.session.get(Mentorship, match.mentorship_id)
    meeting = Meeting(
        uid=f"test-{days_ago}-{status}@flipside",
        mentorship=mentorship,
        scheduled_by_id=mentorship.mentee_id,
        starts_at=utcnow() - timedelta(days=days_ago),
        duration_minutes=45,
        notes=SHARED,
        agenda="Secret agenda",
        status=status,
    )
    db.session.add(meeting)
    db.session.commit()
    return meeting


def test_held_meetings_count_as_check_ins_in_the_report_and_the_overview(
    client,
    paired,  # noqa: F811
):
    program, match, _people = paired
    before = program_report.build(program, date.today())
    assert (before.checkins_held, before.checkins_expected) == (0, 2)
    _pair_meeting(match, days_ago=20)
    _pair_meeting(match, days_ago=6)
    _pair_meeting(match, days_ago=3, status="cancelled")  # cancelled: does not count
    future = _pair_meeting(match, days_ago=-3)  # not yet held
    assert future.is_upcoming
    (status,) = care.checkin_status(program)
    assert (status.held, status.meetings, status.last) == (2, 2, date.today() - timedelta(days=6))
    report = program_report.build(program, date.today())
    assert (report.checkins_held, report.checkins_expected) == (2, 2)
    rows, _changes = overview.overview(today=date.today())
    assert (rows[0].held, rows[0].expected, rows[0].adherence) == (2, 2, 100)
    # The coordinator sees dates and adherence, never the agenda or the notes.
    for url in (f"/programs/{program.id}", f"/programs/{program.id}/report"):
        page = client.get(url).get_data(as_text=True)
        assert SHARED not in page and "Secret agenda" not in page
    admin = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert "2 of 2 due" in admin and "2 meetings logged by the pair" in admin


def test_meetings_of_a_mentorship_outside_the_program_do_not_count(paired, world):  # noqa: F811
    program, _match, _people = paired
    held(world, days_ago=5)
    (status,) = care.checkin_status(program)
    assert status.held == 0


# -- dashboard, mentorship page and query counts ----------------------------------------------


def test_the_dashboard_shows_the_next_meeting_and_my_open_action_items(client, login, pair):
    later_one = schedule(pair, days=9)
    sooner = schedule(pair, days=2, place="Room 7")
    login(pair.mentee)
    page = client.get("/").get_data(as_text=True)
    assert f"/meetings/{sooner.id}" in page and f'/meetings/{later_one.id}"' not in page
    assert "Room 7" in page and "Rewrite the chart alt texts" in page
    login(pair.mentor)
    page = client.get("/").get_data(as_text=True)
    assert "Rewrite the chart alt texts" not in page  # hers, not his
    meetings.set_done(pair.mentee, pair.item, True)
    login(pair.mentee)
    assert "Rewrite the chart alt texts" not in client.get("/").get_data(as_text=True)


def _grow(world, make_user, pairs: int) -> None:
    """More mentorships of the mentee, each with meetings and open action items."""
    for i in range(pairs):
        mentor = make_user(f"Mentor {i}", seniority=2)
        ship = mentorships.request_mentorship(
            world.mentee, mentor, "mentee", [topic_id("accessibility")]
        )
        mentorships.respond(ship, mentor, accept=True)
        for days in (2 + i, 10 + i):
            meeting = meetings.schedule(
                world.mentee, ship, meetings.MeetingData(utcnow() + timedelta(days=days), 30, "")
            )
            meetings.add_action_item(
                mentor, meeting, world.mentee.id, f"Step {i}", date.today() + timedelta(days=30)
            )


def test_dashboard_and_pages_run_a_fixed_number_of_queries(
    client, login, pair, make_user, count_queries
):
    login(pair.mentee)
    paths = ["/", f"/mentorships/{pair.meeting.mentorship_id}", f"/meetings/{pair.meeting.id}"]

    def counts() -> list[int]:
        found = []
        for path in paths:
            with count_queries() as statements:
                assert client.get(path).status_code == 200
            found.append(len(statements))
        return found

    _grow(pair, make_user, 1)
    small = counts()
    _grow(pair, make_user, 8)
    for _ in range(6):
        meetings.add_action_item(pair.mentor, pair.meeting, pair.mentee.id, "More", date.today())
        schedule(pair, days=20)
    assert counts() == small


def test_the_mentorship_page_lists_the_pairs_meetings(client, login, pair):
    upcoming = schedule(pair, days=4)
    login(pair.mentor)
    page = client.get(f"/mentorships/{pair.meeting.mentorship_id}").get_data(as_text=True)
    assert 'id="meetings-h"' in page and "Schedule a meeting" in page
    assert f"/meetings/{upcoming.id}" in page and f"/meetings/{pair.meeting.id}" in page
    assert "1 action item, 1 open" in page
    assert f"/meetings/{pair.other_meeting.id}" not in page


# -- reminders ------------------------------------------------------------------------------


def test_reminders_a_day_before_and_for_items_due(pair):
    soon = schedule(pair, days=0, starts_at=utcnow() + timedelta(hours=5))
    due = list(meeting_reminders.due(utcnow()))
    keys = {r.key for r in due}
    assert f"meeting-24h:{soon.id}:0:{pair.mentee.id}" in keys
    assert f"meeting-24h:{soon.id}:0:{pair.mentor.id}" in keys
    assert f"action-due:{pair.item.id}:{date.today().isoformat()}" in keys
    meetings.set_done(pair.mentee, pair.item, True)
    assert not any(r.key.startswith("action-due") for r in meeting_reminders.due(utcnow()))
