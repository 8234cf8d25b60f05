"""The small things found walking through the portal as a new user (issue 14, part 4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from feedback import services as feedback
from lessons import practice
from lessons.sessions import services as sessions
from lessons.sessions.models import Participant
from portal.clock import utcnow
from portal.errors import Conflict
from portal.extensions import db
from portal.programs import services as programs
from portal.programs.models import Member
from portal.topics import Topic
from tests.conftest import feedback_data, topic_id
from tests.test_program_care import paired  # noqa: F401  (a fixture)
from tests.test_programs import make_program


def with_expertise(user, slug: str):
    user.expertise = [db.session.get(Topic, topic_id(slug))]
    db.session.commit()
    return user


# Invitations are answered on the dashboard -------------------------------------------------


def test_a_program_invitation_is_answered_on_the_dashboard(client, login, make_user):
    coordinator = make_user(coordinator=True)
    program = make_program(coordinator)
    mentor = with_expertise(make_user("Mia Mentor"), "accessibility")
    mentee = make_user("Max Mentee")
    programs.invite(program, [mentor.id], "mentor")
    programs.invite(program, [mentee.id], "mentee")
    login(mentor)
    page = client.get("/").get_data(as_text=True)
    assert "Program invitations (1)" in page and "you are invited as a <strong>mentor" in page
    assert f'action="/programs/{program.id}/answer"' in page and 'value="accept"' in page
    client.post(
        f"/programs/{program.id}/answer",
        data={
            "answer-answer": "accept",
            "answer-capacity": "1",
            "answer-topics": [str(topic_id("accessibility"))],
        },
    )
    member = programs.member_of(program, mentor.id)
    assert member.status == "accepted" and [t.slug for t in member.topics] == ["accessibility"]
    assert "Program invitations" not in client.get("/").get_data(as_text=True)
    login(mentee)
    client.post(f"/programs/{program.id}/answer", data={"answer-answer": "decline"})
    assert db.session.scalar(select(Member.status).where(Member.user_id == mentee.id)) == (
        "declined"
    )


def test_the_dashboard_accepts_with_the_topics_from_the_profile(client, login, make_user):
    program = make_program(make_user(coordinator=True))
    mentor = with_expertise(make_user(), "leadership")
    programs.invite(program, [mentor.id], "mentor")
    login(mentor)
    page = client.get("/").get_data(as_text=True)
    assert f'name="answer-topics" value="{topic_id("leadership")}"' in page
    assert "teaching Leadership (from your profile)" in page


def test_a_session_invitation_is_answered_on_the_dashboard(client, login, world):
    data = sessions.SessionData(
        title="Alt text clinic",
        starts_at=utcnow() + timedelta(days=2),
        duration_minutes=60,
        place="Room 4",
        capacity=2,
        lesson_id=world.lesson.id,
    )
    group = sessions.create_session(world.mentor.id, data, [world.mentee.id])
    login(world.mentee)
    page = client.get("/").get_data(as_text=True)
    assert f'action="/sessions/{group.id}/accept"' in page
    assert f'action="/sessions/{group.id}/decline"' in page
    client.post(f"/sessions/{group.id}/accept")
    assert db.session.scalar(select(Participant.status)) == "accepted"
    answered = client.get("/").get_data(as_text=True)
    assert f'action="/sessions/{group.id}/accept"' not in answered and "You're coming" in answered


# After matching is confirmed -----------------------------------------------------------------


def test_after_the_match_is_confirmed_ranking_is_over(client, login, paired):  # noqa: F811
    program, _match, p = paired
    login(p["margaret"])
    page = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert "you take part as a <strong>mentee" in page and "invited as" not in page
    assert "Your top three" not in page and "Your match" in page
    before = programs.preferences_of(program.id, p["margaret"].id)
    refused = client.post(
        f"/programs/{program.id}/preferences",
        data={"rank-rank_1": str(p["leo"].id), "rank-rank_2": "0", "rank-rank_3": "0"},
        follow_redirects=True,
    )
    assert "ranking is closed" in refused.get_data(as_text=True)
    assert programs.preferences_of(program.id, p["margaret"].id) == before
    with pytest.raises(Conflict, match="ranking is closed"):  # the service keeps the rule too
        programs.set_preferences(program, p["margaret"], [p["leo"].id])


def test_before_matching_the_participant_still_ranks(client, login, make_user):
    program = make_program(make_user(coordinator=True))
    mentee, mentor = make_user(), make_user()
    programs.invite(program, [mentee.id], "mentee")
    programs.invite(program, [mentor.id], "mentor")
    programs.respond(program, mentee, True, topic_ids=[topic_id("accessibility")])
    login(mentee)
    page = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert "Your top three mentors" in page and "you take part as a" in page


# Weekly hours ------------------------------------------------------------------------------


def test_logging_hours_confirms_and_over_the_limit_reaches_the_dashboard(
    client,
    login,
    paired,  # noqa: F811
):
    program, _match, p = paired
    login(p["sam"])
    assert "Mentors over the weekly limit" not in client.get("/").get_data(as_text=True)
    login(p["leo"])
    week = date.today() - timedelta(days=date.today().weekday())
    fine = client.post(
        f"/programs/{program.id}/hours",
        data={"hours-week": date.today().isoformat(), "hours-hours": "1.5"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert f"Hours logged: 1.5 h for the week of {week:%d %b %Y}." in fine
    assert "Your recent weeks" in fine
    login(p["sam"])
    assert "Mentors over the weekly limit" not in client.get("/").get_data(as_text=True)
    login(p["leo"])
    over = client.post(
        f"/programs/{program.id}/hours",
        data={"hours-week": date.today().isoformat(), "hours-hours": "3.5"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "That is over the 2 h limit" in over
    login(p["sam"])
    dashboard = client.get("/").get_data(as_text=True)
    assert "Mentors over the weekly limit (1)" in dashboard
    assert f"3.5 h in the week of {week:%d %b}" in dashboard and "Ops 2026" in dashboard


# Feedback that needs action ----------------------------------------------------------------


def test_feedback_to_revise_comes_first_even_once_read(client, login, world):
    first = practice.submit(world.task, world.mentee.id, practice.Answer(body="Attempt."))
    second = practice.submit(world.task2, world.mentee.id, practice.Answer(body="Attempt."))
    revise = feedback.give_feedback(
        world.mentor, first, feedback_data("accessibility", 2, "revise")
    )
    feedback.mark_seen([revise], world.mentee.id)  # read already: still needs action
    feedback.give_feedback(world.mentor, second, feedback_data("accessibility", 4, "accept"))
    login(world.mentee)
    page = client.get("/").get_data(as_text=True)
    card = page.split('id="new-feedback-h"')[1].split("</section>")[0]
    assert "Feedback for you (2)" in card
    assert card.index("Needs your revision (1)") < card.index(", task 1") < card.index("New (1)")
    assert card.index("New (1)") < card.index(", task 2")


# Names, links, rules ------------------------------------------------------------------------


def test_my_learning_and_lessons_i_wrote_have_distinct_names(client, login, world):
    login(world.mentor)
    client.post(f"/lessons/{world.lesson.id}/start")
    dashboard = client.get("/").get_data(as_text=True)
    assert "Lessons you wrote" in dashboard and "My learning" in dashboard
    assert "Your lessons" not in dashboard
    mine = client.get("/lessons/mine").get_data(as_text=True)
    assert "<h1>My learning</h1>" in mine and "Your lessons" not in mine


def test_after_an_answer_the_page_links_to_the_next_task(client, login, world):
    login(world.mentee)
    answered = client.post(
        f"/tasks/{world.task.id}", data={"body": "My alt text."}, follow_redirects=True
    ).get_data(as_text=True)
    assert f'href="/tasks/{world.task2.id}">Go to task 2' in answered
    last = client.post(
        f"/tasks/{world.task2.id}", data={"body": "And the second."}, follow_redirects=True
    ).get_data(as_text=True)
    assert "That was the last task" in last and f'href="/lessons/{world.lesson.id}"' in last
    login(world.mentor)  # the reviewer is not sent on to the mentee's next task
    submission = practice.submission_for(world.task.id, world.mentee.id)
    assert "What&#39;s next" not in client.get(f"/submissions/{submission.id}").get_data(
        as_text=True
    )


def test_attendance_waits_until_the_session_has_started(world):
    data = sessions.SessionData(
        title="Later",
        starts_at=utcnow() + timedelta(hours=1),
        duration_minutes=30,
        place="",
        capacity=2,
        lesson_id=world.lesson.id,
    )
    group = sessions.create_session(world.mentor.id, data, [world.mentee.id])
    sessions.respond(group, world.mentee.id, accept=True)
    with pytest.raises(Conflict, match="once the session has started"):
        sessions.record_attendance(group, {world.mentee.id})
    assert db.session.scalar(select(Participant.attended)) is None
    group.starts_at = utcnow() - timedelta(minutes=1)
    sessions.record_attendance(group, {world.mentee.id})
    assert db.session.scalar(select(Participant.attended)) is True


@pytest.mark.parametrize("page", ["login", "register", "logout"])
def test_short_addresses_lead_to_the_auth_pages(client, page):
    response = client.get(f"/{page}?next=/lessons/")
    assert response.status_code == 308
    assert response.headers["Location"] == f"/auth/{page}?next=/lessons/"
    assert client.post(f"/{page}").headers["Location"] == f"/auth/{page}"  # POST stays POST


def test_the_progress_table_names_its_count(client, login, world):
    submission = practice.submit(world.task, world.mentee.id, practice.Answer(body="Attempt."))
    feedback.give_feedback(world.mentor, submission, feedback_data("accessibility", 3, "accept"))
    login(world.mentee)
    page = client.get("/progress/").get_data(as_text=True)
    assert '<th scope="col">Times scored</th>' in page and ">Scores</th>" not in page


def test_an_accepted_mentorship_is_active_since_it_was_accepted(client, login, make_user):
    from datetime import timedelta

    from portal.accounts import mentorships
    from portal.clock import utcnow
    from tests.conftest import topic_id

    senior, junior = make_user("Margaret Senior"), make_user("Jun Junior")
    asked = mentorships.request_mentorship(senior, junior, "mentee", [topic_id("accessibility")])
    asked.created_at = utcnow() - timedelta(days=45)
    db.session.commit()
    mentorships.respond(asked, junior, accept=True)
    login(junior)
    page = client.get("/mentorships/").get_data(as_text=True)
    from zoneinfo import ZoneInfo

    today = utcnow().astimezone(ZoneInfo("Europe/Berlin"))  # the test site's time zone
    assert f"Active · since {today:%d %b %Y}" in page


def test_a_session_rating_is_quoted_with_its_session(client, login, world):
    from datetime import timedelta

    from feedback import services as feedback
    from lessons.sessions import services as sessions
    from portal.clock import utcnow

    data = sessions.SessionData(
        title="Alt text clinic",
        starts_at=utcnow() + timedelta(hours=1),
        duration_minutes=60,
        place="Room 4",
        capacity=3,
        lesson_id=world.lesson.id,
    )
    session = sessions.create_session(world.mentor.id, data, [world.mentee.id])
    sessions.respond(session, world.mentee.id, accept=True)
    session.starts_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    feedback.rate_session(world.mentee.id, session, 5, 4, "Seeing my own document fail helped.")
    login(world.mentor)
    page = client.get("/").get_data(as_text=True)
    assert "“Seeing my own document fail helped.” — on the session “Alt text clinic”" in page
