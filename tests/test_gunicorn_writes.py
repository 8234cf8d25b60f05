"""Many clients writing at once through a multi-worker gunicorn lose nothing: every answer
and every piece of feedback is stored exactly once, and nobody sees "database is locked"."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from tests.conftest import PASSWORD, fresh_database, make_app, topic_id

ROOT = Path(__file__).resolve().parents[1]
MENTEES, TASKS, CLIENTS, WORKERS = 12, 10, 8, 3  # 120 answers + 120 feedback forms


class Browser:
    """A tiny HTTP client with cookies and CSRF tokens, like one person's browser."""

    def __init__(self, base: str):
        self.base, self.token = base, None
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            page = response.read().decode()
        found = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
        self.token = found.group(1) if found else self.token
        return page

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode({**data, "csrf_token": self.token}, doseq=True).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def sign_in(self, email: str) -> None:
        self.get("/auth/login")
        assert self.post("/auth/login", {"email": email, "password": PASSWORD}) == 302


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _url(settings: dict) -> str:
    url = settings["SQLALCHEMY_DATABASE_URI"]
    options = settings.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("connect_args", {}).get("options")
    return f"{url}?options={options.replace('=', '%3D')}" if options else url


@pytest.fixture
def world_on_server(tmp_path, make_user):
    with fresh_database(tmp_path, "gunicorn") as settings:
        app = make_app(tmp_path, settings)
        with app.app_context():
            from flask_migrate import upgrade

            from lessons import services
            from portal import mentorships
            from portal.cli import run_setup
            from portal.users import create_user

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
        port, log = _port(), tmp_path / "gunicorn.log"
        env = {
            **os.environ,
            "DATABASE_URL": _url(settings),
            "SECRET_KEY": "gunicorn-test",
            "FLIPSIDE_ENV": "development",
            "FLIPSIDE_INSTANCE_PATH": str(tmp_path),
            "WEB_CONCURRENCY": str(WORKERS),
            "FLIPSIDE_BIND": f"127.0.0.1:{port}",
            "FLIPSIDE_ACCESS_LOG": str(tmp_path / "access.log"),
        }
        with open(log, "wb") as out:
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            try:
                base = f"http://127.0.0.1:{port}"
                for _ in range(100):
                    try:
                        urllib.request.urlopen(base + "/healthz", timeout=1).close()
                        break
                    except OSError:
                        time.sleep(0.1)
                yield base, task_ids, app, log
            finally:
                server.terminate()
                server.wait(timeout=20)
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
