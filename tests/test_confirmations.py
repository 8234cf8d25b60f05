"""No one-click losses: every destructive action shows a confirmation page first.

For each action: the GET page names what will be lost and changes nothing; a POST without
the confirmation (a one-click form from an older page) changes nothing; the confirmed POST
acts; with CSRF on, the confirmation needs the page's token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lessons import practice
from lessons.models import Submission, Task
from lessons.sessions import services as sessions
from lessons.sessions.models import GroupSession, Participant
from portal.accounts.models import Mentorship
from portal.clock import utcnow
from portal.extensions import db
from portal.programs import services as programs
from portal.programs.models import Match, Program
from tests.conftest import PASSWORD, topic_id
from tests.test_programs import make_program


@dataclass
class Scenario:
    url: str
    actor: object
    lost: str  # a phrase the page must show: what will be lost
    done: object  # () -> bool: has the action happened?


def _mentorship(world):
    m = db.session.scalar(select(Mentorship))
    return Scenario(
        f"/mentorships/{m.id}/end",
        world.mentee,
        "access to your answers and progress",
        lambda: db.session.get(Mentorship, m.id).status == "ended",
    )


def _task(world):
    practice.submit(world.task, world.mentee.id, practice.Answer(body="My answer."))
    task_id = world.task.id
    return Scenario(
        f"/tasks/{task_id}/delete",
        world.mentor,
        "1 mentee&#39;s answer to it, every attempt, and the feedback",
        lambda: db.session.get(Task, task_id) is None,
    )


def _session(world):
    data = sessions.SessionData(
        title="Alt text clinic",
        starts_at=utcnow() + timedelta(days=2),
        duration_minutes=60,
        place="Room 4",
        capacity=2,
        lesson_id=world.lesson.id,
    )
    return sessions.create_session(world.mentor.id, data, [world.mentee.id])


def _participant(world):
    session = _session(world)
    sessions.respond(session, world.mentee.id, accept=True)
    return Scenario(
        f"/sessions/{session.id}/remove/{world.mentee.id}",
        world.mentor,
        "Margaret Mentee&#39;s seat",
        lambda: db.session.scalar(select(Participant.status)) == "removed",
    )


def _cancel(world):
    session = _session(world)
    return Scenario(
        f"/sessions/{session.id}/cancel",
        world.mentor,
        "0 accepted seats and 1 open invitation",
        lambda: db.session.get(GroupSession, session.id).is_cancelled,
    )


def _program_with_draft(world):
    program = make_program(world.coordinator)
    programs.invite(program, [world.other_mentor.id], "mentor")
    programs.invite(program, [world.other_mentee.id], "mentee")
    for person in (world.other_mentor, world.other_mentee):
        programs.respond(program, person, True, capacity=1, topic_ids=[topic_id("accessibility")])
    programs.run_matching(program)
    return program


def _pair(world):
    program = _program_with_draft(world)
    match = db.session.scalar(select(Match))
    return Scenario(
        f"/programs/{program.id}/matching/{match.id}/remove",
        world.coordinator,
        "Olga Other will not be matched when you confirm",
        lambda: db.session.get(Match, match.id).status == "removed",
    )


def _rerun(world):
    program = _program_with_draft(world)
    programs.remove_pair(program, db.session.scalar(select(Match.id)))
    return Scenario(  # a new run forgets the removal: the pair comes back
        f"/programs/{program.id}/matching/rerun",
        world.coordinator,
        "The 1 pair you removed: the matcher may pair them again.",
        lambda: db.session.scalar(select(Match.status)) == "draft",
    )


def _close(world):
    program = programs.advance(make_program(world.coordinator))
    return Scenario(
        f"/programs/{program.id}/close",
        world.coordinator,
        "the program cannot be reopened",
        lambda: db.session.get(Program, program.id).status == "closed",
    )


SCENARIOS = {
    "end a mentorship": _mentorship,
    "remove a practice task": _task,
    "remove a session participant": _participant,
    "cancel a session": _cancel,
    "remove a pair from the draft": _pair,
    "run the matcher over a draft": _rerun,
    "close a program": _close,
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_asks_first_then_acts_only_when_confirmed(client, login, world, name):
    scenario = SCENARIOS[name](world)
    login(scenario.actor)
    page = client.get(scenario.url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "What will be lost" in html and scenario.lost in html
    assert 'name="confirm"' in html and 'method="post"' in html
    assert not scenario.done()
    one_click = client.post(scenario.url)  # the old one-click button's request
    assert one_click.status_code == 200 and "What will be lost" in one_click.get_data(as_text=True)
    assert not scenario.done()
    assert client.post(scenario.url, data={"confirm": "yes"}).status_code == 302
    assert scenario.done()


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_only_those_allowed_reach_the_confirmation(client, login, world, make_user, name):
    scenario = SCENARIOS[name](world)
    login(make_user())  # a stranger: neither party, author, session mentor nor coordinator
    assert client.get(scenario.url).status_code in (403, 404)
    assert client.post(scenario.url, data={"confirm": "yes"}).status_code in (403, 404)
    assert not scenario.done()


def test_ending_a_mentorship_keeps_the_optional_reason(client, login, world):
    m = db.session.scalar(select(Mentorship))
    login(world.mentee)
    too_long = client.post(f"/mentorships/{m.id}/end", data={"confirm": "yes", "reason": "x" * 501})
    assert too_long.status_code == 422 and 'id="reason-error"' in too_long.get_data(as_text=True)
    assert db.session.get(Mentorship, m.id).status == "active"
    client.post(
        f"/mentorships/{m.id}/end", data={"confirm": "yes", "reason": "  We reached our goals. "}
    )
    ended = db.session.get(Mentorship, m.id)
    assert (ended.status, ended.end_reason, ended.ended_by_id) == (
        "ended",
        "We reached our goals.",
        world.mentee.id,
    )
    login(world.mentor)  # the other person sees who ended it and why
    page = client.get("/mentorships/").get_data(as_text=True)
    assert "by Margaret Mentee" in page and "Why: We reached our goals." in page


def test_the_task_page_counts_no_answers_when_there_are_none(client, login, world):
    login(world.mentor)
    page = client.get(f"/tasks/{world.task2.id}/delete").get_data(as_text=True)
    assert "Task 2 of “Alt text”" in page and "answer" not in page.split("What stays")[0]
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 0


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    @staticmethod
    def token(html: str) -> str:
        return html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]

    def sign_in(self, client, user):
        page = client.get("/auth/login").get_data(as_text=True)
        data = {"email": user.email, "password": PASSWORD, "csrf_token": self.token(page)}
        assert client.post("/auth/login", data=data).status_code == 302

    @pytest.mark.parametrize("name", list(SCENARIOS))
    def test_the_confirmation_needs_the_pages_token(self, client, world, name):
        scenario = SCENARIOS[name](world)
        self.sign_in(client, scenario.actor)
        assert client.post(scenario.url, data={"confirm": "yes"}).status_code == 400
        assert not scenario.done()
        page = client.get(scenario.url).get_data(as_text=True)
        posted = client.post(scenario.url, data={"confirm": "yes", "csrf_token": self.token(page)})
        assert posted.status_code == 302 and scenario.done()
