"""Who may see and do what with a mentee's record: every relationship against every page.

The record belongs to Margaret, a senior mentee. She answered two lessons: Ada's lesson on
accessibility and Bo's on social media. Around her stand people in every relationship the
rules name (see `feedback.access`): mentors whose mentorship is active, pending, declined or
ended; the two authors; a group-session mentor whose session on Bo's lesson she joined, and
one whose session was cancelled; a coordinator who runs a program she is in, and one who does
not; another mentee; and an anonymous visitor. "login" means: sent to the sign-in page.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from feedback import access
from feedback.models import Feedback
from feedback.rubrics import current_rubric
from feedback.services import feedback_queue
from lessons import practice
from lessons.sessions import services as sessions
from portal.accounts import mentorships
from portal.clock import utcnow
from portal.extensions import db
from portal.programs import services as programs
from tests.conftest import feedback_form_data, topic_id

ROLES = (
    "owner",
    "active_mentor",
    "pending_mentor",
    "declined_mentor",
    "ended_mentor",
    "author_a",
    "author_b",
    "session_mentor",
    "cancelled_session_mentor",
    "program_coordinator",
    "other_coordinator",
    "other_mentee",
    "anonymous",
)

# (method, path) -> expected status per role, in ROLES order. {sa}: her answer to Ada's
# accessibility lesson; {sb}: her answer to Bo's social-media lesson.
OK, DO, FB, NO, IN = 200, 302, 403, 404, "login"  # shown, done, forbidden, "no such thing"
MATRIX = {
    ("GET", "/submissions/{sa}"): (OK, OK, NO, NO, NO, OK, NO, NO, NO, OK, NO, NO, IN),
    ("GET", "/submissions/{sb}"): (OK, NO, NO, NO, NO, NO, OK, OK, NO, OK, NO, NO, IN),
    ("POST", "/submissions/{sa}"): (FB, DO, NO, NO, NO, DO, NO, NO, NO, FB, NO, NO, IN),
    ("POST", "/submissions/{sb}"): (FB, NO, NO, NO, NO, NO, DO, DO, NO, FB, NO, NO, IN),
    ("GET", "/progress/{owner}"): (DO, OK, NO, NO, NO, NO, NO, NO, NO, OK, NO, NO, IN),
    ("GET", "/progress/{owner}/feedback.csv"): (OK, NO, NO, NO, NO, NO, NO, NO, NO, OK, NO, NO, IN),
    ("GET", "/progress/{owner}/progress.csv"): (OK, NO, NO, NO, NO, NO, NO, NO, NO, OK, NO, NO, IN),
    ("GET", "/people/{owner}/observe"): (NO, OK, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, IN),
    ("POST", "/people/{owner}/observe"): (NO, DO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, IN),
}  # fmt: skip


def _cases(success: bool):
    """Rows of the matrix: every refusal and read of a row is checked in one test (one world);
    each successful POST, which changes the record, gets a world of its own."""
    rows = []
    for (method, path), expected in MATRIX.items():
        roles = [(r, e) for r, e in zip(ROLES, expected, strict=True)]
        if success:
            rows += [(method, path, [(r, e)]) for r, e in roles if e == 302 and method == "POST"]
        else:
            rows.append(
                (method, path, [(r, e) for r, e in roles if not (e == 302 and method == "POST")])
            )
    return rows


@pytest.fixture
def record(make_user, make_lesson):
    """Margaret's record and everyone around it (see the module's docstring)."""
    from types import SimpleNamespace

    people = {role: make_user(role.replace("_", " ").title()) for role in ROLES[:-1]}
    for role in ("program_coordinator", "other_coordinator"):
        people[role].is_coordinator = True
    r = SimpleNamespace(**people)
    owner = r.owner
    a11y, social = topic_id("accessibility"), topic_id("social-media")

    def mentorship(mentor, status):
        m = mentorships.request_mentorship(owner, mentor, "mentee", [a11y])
        if status in ("active", "ended"):
            mentorships.respond(m, mentor, accept=True)
        if status == "declined":
            mentorships.respond(m, mentor, accept=False)
        if status == "ended":
            mentorships.end(m, owner)
        return m

    r.active = mentorship(r.active_mentor, "active")
    mentorship(r.pending_mentor, "pending")
    mentorship(r.declined_mentor, "declined")
    mentorship(r.ended_mentor, "ended")
    r.lesson_a = make_lesson(r.author_a, topic="accessibility", tasks=1)
    r.lesson_b = make_lesson(r.author_b, topic="social-media", tasks=1)
    for host, cancel in ((r.session_mentor, False), (r.cancelled_session_mentor, True)):
        session = sessions.create_session(
            host.id,
            sessions.SessionData(
                "Posting together", utcnow() + timedelta(days=1), 60, "", 5, r.lesson_b.id
            ),
            [owner.id],
        )
        sessions.respond(session, owner.id, accept=True)
        if cancel:
            sessions.cancel(session)
    r.sa = practice.submit(r.lesson_a.tasks[0], owner.id, practice.Answer(body="My alt texts."))
    r.sb = practice.submit(r.lesson_b.tasks[0], owner.id, practice.Answer(body="My post."))
    program = programs.save_program(None, _program_data(), r.program_coordinator.id)
    programs.invite(program, [owner.id], "mentee")
    assert a11y != social
    return r


def _program_data():
    return programs.ProgramData(
        name="Pilot",
        focus="leadership",
        goal_statement="Better feedback.",
        goal_metric="Survey mean",
        goal_baseline=3.0,
        goal_target=3.6,
        target_kind="absolute",
        goal_achievable="",
        goal_relevant="",
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 6, 30),
    )


def _form(submission):
    rubric = current_rubric(submission.task.lesson.topic_id)
    return {**feedback_form_data(rubric, outcome="accept")}


def _try(client, login, record, method, path, role):
    client.post("/auth/logout")
    if role != "anonymous":
        login(getattr(record, role))
    url = path.format(sa=record.sa.id, sb=record.sb.id, owner=record.owner.id)
    if method == "GET":
        return url, client.get(url)
    submission = record.sb if "{sb}" in path else record.sa
    return url, client.post(url, data=_form(submission))


def _outcome(response):
    if response.status_code == 302 and response.location.startswith("/auth/login"):
        return "login"
    return response.status_code


@pytest.mark.parametrize(("method", "path", "expected"), _cases(success=False))
def test_access(client, login, record, method, path, expected):
    wrong = []
    for role, status in expected:
        url, response = _try(client, login, record, method, path, role)
        if _outcome(response) != status:
            wrong.append((role, status, _outcome(response)))
    assert wrong == [], f"{method} {path}: (role, expected, got)"
    if method == "POST":
        assert db.session.scalar(select(func.count()).select_from(Feedback)) == 0


@pytest.mark.parametrize(("method", "path", "expected"), _cases(success=True))
def test_allowed_posts_change_the_record(client, login, record, method, path, expected):
    [(role, status)] = expected
    _url, response = _try(client, login, record, method, path, role)
    assert _outcome(response) == status
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 1


def test_the_queue_follows_the_same_rules(record):
    """Each mentor's queue holds exactly the answers they may review."""
    queue = {
        role: {s.id for s in feedback_queue(getattr(record, role).id).oldest} for role in ROLES[:-1]
    }
    assert queue["active_mentor"] == {record.sa.id}
    assert queue["author_a"] == {record.sa.id}
    assert queue["author_b"] == {record.sb.id}
    assert queue["session_mentor"] == {record.sb.id}
    for role in (
        "pending_mentor",
        "declined_mentor",
        "ended_mentor",
        "cancelled_session_mentor",
        "program_coordinator",
        "other_coordinator",
        "other_mentee",
        "owner",
    ):
        assert queue[role] == set(), role  # fmt: skip


def test_ending_a_mentorship_revokes_access_at_once(client, login, record):
    login(record.active_mentor)
    assert client.get(f"/progress/{record.owner.id}").status_code == 200
    mentorships.end(record.active, record.owner)
    assert client.get(f"/progress/{record.owner.id}").status_code == 404
    assert client.get(f"/submissions/{record.sa.id}").status_code == 404
    assert feedback_queue(record.active_mentor.id).size == 0


def test_a_mentor_sees_only_the_mentorships_topics(client, login, record):
    from feedback.services import record_observation
    from tests.conftest import feedback_data

    record_observation(
        record.active_mentor,
        record.owner,
        topic_id("accessibility"),
        feedback_data("accessibility", 3),
    )
    login(record.active_mentor)
    page = client.get(f"/progress/{record.owner.id}").get_data(as_text=True)
    assert "Accessibility" in page and "Social media" not in page
    observe = client.get(f"/people/{record.owner.id}/observe").get_data(as_text=True)
    assert "Social media" not in observe
    with pytest.raises(Exception, match="mentorship's topics"):
        record_observation(
            record.active_mentor,
            record.owner,
            topic_id("social-media"),
            feedback_data("social-media", 3),
        )


def test_an_author_loses_sight_when_the_lesson_leaves_the_list(record):
    from lessons.models import Assignment

    assert access.can_view_submission(record.author_a, record.sa)
    db.session.execute(
        Assignment.__table__.delete().where(Assignment.lesson_id == record.lesson_a.id)
    )
    db.session.commit()
    assert not access.can_view_submission(record.author_a, record.sa)
    assert not access.can_review(record.author_a, record.sa)


def test_a_session_mentor_loses_sight_two_weeks_after_it_began(record):
    from lessons.sessions.models import GroupSession

    assert access.can_review(record.session_mentor, record.sb)
    session = db.session.scalar(
        select(GroupSession).where(GroupSession.mentor_id == record.session_mentor.id)
    )
    session.starts_at = utcnow() - access.SESSION_REACH - timedelta(minutes=1)
    db.session.commit()
    assert not access.can_review(record.session_mentor, record.sb)
    assert feedback_queue(record.session_mentor.id).size == 0


def test_a_lesson_the_mentor_assigned_counts_only_while_the_mentorship_is_active(
    record, make_lesson
):
    other = make_lesson(record.author_b, topic="leadership", tasks=1)
    practice.assign_lesson(record.active_mentor.id, record.owner.id, other, None)
    answer = practice.submit(other.tasks[0], record.owner.id, practice.Answer(body="Done it."))
    assert access.can_review(record.active_mentor, answer)
    assert answer.id in {s.id for s in feedback_queue(record.active_mentor.id).oldest}
    mentorships.end(record.active, record.active_mentor)
    assert not access.can_review(record.active_mentor, answer)


def test_the_mentee_sees_who_can_see_her_record_and_why(client, login, record):
    login(record.owner)
    page = client.get("/progress/").get_data(as_text=True)
    assert "Who can see this record" in page
    for role in ("active_mentor", "author_a", "author_b", "session_mentor", "program_coordinator"):
        assert getattr(record, role).name in page, role
    for role in (
        "pending_mentor",
        "declined_mentor",
        "ended_mentor",
        "cancelled_session_mentor",
        "other_coordinator",
    ):
        assert getattr(record, role).name not in page, role
    assert "mentors you now" in page and "your answers to those lessons only" in page


def test_missing_things_are_404(client, login, world):
    login(world.mentor)
    for url in (
        "/submissions/999999",
        "/progress/999999",
        "/people/999999/observe",
        "/progress/999999/feedback.csv",
    ):
        assert client.get(url).status_code == 404, url


def test_the_second_reviewer_is_told_who_is_writing(client, login, record):
    """Ada (the author) and the active mentor may both review Margaret's answer: the first to
    open the form holds it for half an hour; the other sees who, on the page and in the queue."""
    from feedback.panels import _dashboard
    from feedback.services import CLAIM_FOR

    login(record.author_a)
    page = client.get(f"/submissions/{record.sa.id}").get_data(as_text=True)
    assert "is writing feedback" not in page
    login(record.active_mentor)
    page = client.get(f"/submissions/{record.sa.id}").get_data(as_text=True)
    assert f"{record.author_a.name} is writing feedback on this answer" in page
    assert _dashboard(record.active_mentor)["claimed"] == {record.sa.id: record.author_a.name}
    assert _dashboard(record.author_a)["claimed"] == {}  # one's own claim is no warning

    from feedback.models import ReviewClaim

    claim = db.session.get(ReviewClaim, record.sa.id)
    claim.until = utcnow() - timedelta(seconds=1)  # the half hour has passed
    db.session.commit()
    page = client.get(f"/submissions/{record.sa.id}").get_data(as_text=True)
    assert "is writing feedback" not in page
    db.session.expire_all()
    claim = db.session.get(ReviewClaim, record.sa.id)
    assert claim.reviewer_id == record.active_mentor.id and claim.until > utcnow() + CLAIM_FOR / 2

    assert client.post(f"/submissions/{record.sa.id}", data=_form(record.sa)).status_code == 302
    assert db.session.get(ReviewClaim, record.sa.id) is None  # feedback given: the claim ends
