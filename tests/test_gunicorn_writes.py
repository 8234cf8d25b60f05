"""Many clients writing at once through a multi-worker gunicorn lose nothing: every answer
and every piece of feedback is stored exactly once, and nobody sees "database is locked"."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from tests.conftest import PASSWORD, fresh_database, make_app, topic_id
from tests.servers import Browser, gunicorn

MENTEES, TASKS, CLIENTS, WORKERS = 12, 10, 8, 3  # 120 answers + 120 feedback forms


@pytest.fixture
def world_on_server(tmp_path, make_user):
    with fresh_database(tmp_path, "gunicorn") as settings:
        app = make_app(tmp_path, settings)
        with app.app_context():
            from flask_migrate import upgrade

            from lessons import services
            from portal.accounts import mentorships
            from portal.accounts.services import create_user
            from portal.cli import run_setup

            upgrade()
            run_setup("init")
            mentor = create_user(
                "mentor@example.org",
                "Mentor",
                PASSWORD,
                seniority=2,
                hash_method="pbkdf2:sha256:1000",
            )
            lesson = services.create_lesson(
                mentor.id,
                services.LessonData("Load", topic_id("accessibility"), "S", "B", 5),
                publish=True,
            )
            for i in range(TASKS):
                services.add_task(lesson.id, services.TaskData(prompt=f"Task {i}"))
            for i in range(MENTEES):
                mentee = create_user(
                    f"mentee{i}@example.org",
                    f"Mentee {i}",
                    PASSWORD,
                    seniority=8,
                    hash_method="pbkdf2:sha256:1000",
                )
                ship = mentorships.request_mentorship(
                    mentee, mentor, "mentee", [topic_id("accessibility")]
                )
                mentorships.respond(ship, mentor, accept=True)
            task_ids = [t.id for t in lesson.tasks]
            db.session.remove()
            db.engine.dispose()
        with gunicorn(tmp_path, settings, WORKERS) as (base, log):
            yield base, task_ids, app, log
        with app.app_context():
            db.engine.dispose()


def test_concurrent_answers_and_feedback_are_stored_exactly_once(world_on_server):
    from feedback.models import Feedback
    from feedback.rubrics import current_rubric
    from lessons.models import Attempt, Submission

    base, task_ids, app, log = world_on_server

    def answer(mentee: int) -> list[int]:
        browser = Browser(base)
        browser.sign_in(f"mentee{mentee}@example.org")
        statuses = []
        for task_id in task_ids:
            browser.get(f"/tasks/{task_id}")
            statuses.append(
                browser.post(f"/tasks/{task_id}", {"body": f"Answer {mentee}/{task_id}"})
            )
        return statuses

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = [s for result in pool.map(answer, range(MENTEES)) for s in result]
    assert answers == [302] * (MENTEES * TASKS)

    with app.app_context():
        submission_ids = db.session.scalars(select(Submission.id).order_by(Submission.id)).all()
        criteria = [c.id for c in current_rubric(topic_id("accessibility")).criteria]
        db.session.remove()
    form = {f"criterion_{c}": "3" for c in criteria} | {
        "strengths": "Clear and specific, well done.",
        "improvements": "Add one concrete example.",
        "next_step": "Try it on a real slide.",
        "outcome": "accept",
    }
    chunks = [submission_ids[i::CLIENTS] for i in range(CLIENTS)]

    def review(chunk: list[int]) -> list[int]:
        browser = Browser(base)
        browser.sign_in("mentor@example.org")
        statuses = []
        for submission_id in chunk:
            browser.get(f"/submissions/{submission_id}")  # open it, then send the feedback
            statuses.append(browser.post(f"/submissions/{submission_id}", form))
        return statuses

    with ThreadPoolExecutor(CLIENTS) as pool:
        reviews = [s for result in pool.map(review, chunks) for s in result]
    assert reviews == [302] * len(submission_ids)

    with app.app_context():
        count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
        assert count(Submission) == count(Attempt) == count(Feedback) == MENTEES * TASKS
        accepted = db.session.scalar(select(func.count()).where(Submission.status == "accepted"))
        assert accepted == MENTEES * TASKS
        db.session.remove()
    server_log = log.read_text()
    assert "database is locked" not in server_log and "Traceback" not in server_log


def test_a_server_that_never_comes_up_fails_with_its_log(tmp_path):
    """The helper stops at once with gunicorn's own words instead of testing nothing."""
    settings = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'never.db'}"}
    with pytest.raises(RuntimeError, match="(?s)exited.*Mars/Olympus_Mons"):
        with gunicorn(tmp_path, settings, 1, FLIPSIDE_TIMEZONE="Mars/Olympus_Mons"):
            pytest.fail("the server came up with an unknown time zone")
