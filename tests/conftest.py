"""Fixtures: an app per test on a shared throwaway database, clients and factories.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set; on
PostgreSQL it works in a schema of its own, created and dropped here.
"""

from __future__ import annotations

import contextvars
import itertools
import os
import re
from contextlib import contextmanager

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import DBAPIError

from portal import create_app
from portal.config import database_url, from_environment
from portal.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
PASSWORD = "correct horse battery"
FAST_HASH = "pbkdf2:sha256:1000"  # tests only: production uses scrypt


class IsolatedClient(FlaskClient):
    """A test client whose requests each get a fresh app context, as in production.

    Nothing in `g` (such as the signed-in user) or in the database session carries over
    from the test or from an earlier request. The test's own session commits first, so
    the request sees what the test created, and re-reads afterwards.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


@contextmanager
def postgres_schema(url: str, name: str):
    """A schema of our own on the test server, dropped afterwards."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield {
            "SQLALCHEMY_DATABASE_URI": url,
            # public stays on the path, as on a real server: extensions (pg_trgm) live there.
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "connect_args": {"options": f"-csearch_path={name},public"}
            },
        }
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        engine.dispose()


@contextmanager
def fresh_database(tmp_path, label: str):
    """Database settings for an empty database (a new SQLite file, or a new PG schema)."""
    if TEST_DATABASE_URL:
        url = database_url(TEST_DATABASE_URL, str(tmp_path))
        with postgres_schema(url, f"flipside_{label}_{os.getpid()}") as settings:
            yield settings
    else:
        yield {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / (label + '.db')}"}


def base_config(tmp_path) -> dict:
    """Settings from an empty environment: a developer's exported REDIS_URL, DATABASE_URL or
    FLIPSIDE_* never reach the suite's apps (a test that wants Redis asks for it)."""
    return {
        **from_environment(str(tmp_path), env={}),
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": FAST_HASH,
        "FLIPSIDE_ENV": "testing",
        "FLIPSIDE_TIMEZONE": "Europe/Berlin",
    }


def extensions(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(conn.scalars(text("SELECT extname FROM pg_extension")))
    finally:
        engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def _no_extensions_left_behind():
    """The suite (migrations, the models, a test) adds PostgreSQL extensions to `public`; at
    the end it drops those it added. Without CASCADE: one another run still uses stays."""
    if not TEST_DATABASE_URL:
        yield
        return
    url = database_url(TEST_DATABASE_URL, "")
    before = extensions(url)
    yield
    engine = create_engine(url)
    for name in sorted(extensions(url) - before):
        try:
            with engine.begin() as conn:
                conn.execute(text(f'DROP EXTENSION IF EXISTS "{name}"'))
        except DBAPIError:
            pass  # another run's schema depends on it: that run is still using it
    engine.dispose()


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """One schema for the whole session, created from the models."""
    tmp_path = tmp_path_factory.mktemp("db")
    with fresh_database(tmp_path, "suite") as settings:
        app = create_app({**base_config(tmp_path), **settings})
        with app.app_context():
            db.create_all()
            db.engine.dispose()
        yield settings


def empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


def make_app(tmp_path, settings, **overrides):
    app = create_app({**base_config(tmp_path), **settings, **overrides})
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture
def app_config():
    """Override in a module to change the app's configuration."""
    return {}


@pytest.fixture
def app(database, tmp_path, app_config):
    from portal.cli import run_setup

    app = make_app(tmp_path, database, **app_config)
    with app.app_context():
        run_setup("init")  # what `flask init-db` adds after the migrations
        yield app
        db.session.rollback()
        empty_all_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def _push_request_context():
    """pytest-flask would push a request context around every test; ours uses app contexts."""


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# Factories --------------------------------------------------------------------------------

_numbers = itertools.count(1)


@pytest.fixture
def make_user(app):
    from portal.accounts.services import create_user

    def make(name=None, email=None, *, seniority=3, coordinator=False, password=PASSWORD, **kw):
        n = next(_numbers)
        return create_user(
            email or f"person{n}@example.org",
            name or f"Person {n}",
            password,
            seniority=seniority,
            coordinator=coordinator,
            hash_method=FAST_HASH,
            **kw,
        )

    return make


def topic_id(slug: str) -> int:
    from portal.topics import Topic

    return db.session.scalar(db.select(Topic.id).where(Topic.slug == slug))


@pytest.fixture
def make_lesson(make_user):
    from lessons import services

    def make(
        author=None,
        *,
        title=None,
        topic="accessibility",
        body="## Why\n\nBecause.\n",
        summary="A short lesson.",
        status="published",
        tasks=0,
        minutes=10,
    ):
        author = author or make_user()
        data = services.LessonData(
            title=title or f"Lesson {next(_numbers)}",
            topic_id=topic_id(topic),
            summary=summary,
            body=body,
            minutes=minutes,
        )
        lesson = services.create_lesson(author.id, data, publish=status == "published")
        if status == "archived":
            services.change_status(lesson.id, services.LessonStatus.ARCHIVED)
        for i in range(tasks):
            services.add_task(lesson.id, services.TaskData(prompt=f"Do step {i + 1}."))
        return lesson

    return make


@pytest.fixture
def login(client):
    """Sign in through the real form (signing out whoever was in); returns the response."""

    def sign_in(user_or_email, password=PASSWORD):
        client.post("/auth/logout")
        email = getattr(user_or_email, "email", user_or_email)
        return client.post("/auth/login", data={"email": email, "password": password})

    return sign_in


@pytest.fixture
def count_queries(app):
    """Counts the SQL statements (not transaction control) run inside the block."""

    @contextmanager
    def counting():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            if not re.match(
                r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA)", statement, re.I
            ):
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def world(make_user, make_lesson):
    """A small mentoring world: a junior mentor and a senior mentee in an active mentorship,
    another mentee and mentor, a coordinator, and the mentor's published lesson with two tasks."""
    from types import SimpleNamespace

    from portal.accounts import mentorships

    mentor = make_user("Leo Mentor", seniority=2)
    mentee = make_user("Margaret Mentee", seniority=8)
    w = SimpleNamespace(
        mentor=mentor,
        mentee=mentee,
        other_mentee=make_user("Olga Other", seniority=7),
        other_mentor=make_user("Omar Othermentor", seniority=3),
        coordinator=make_user("Cora Coordinator", seniority=5, coordinator=True),
    )
    request = mentorships.request_mentorship(mentee, mentor, "mentee", [topic_id("accessibility")])
    mentorships.respond(request, mentor, accept=True)
    w.lesson = make_lesson(mentor, title="Alt text", topic="accessibility", tasks=2)
    w.task, w.task2 = w.lesson.tasks
    return w


@pytest.fixture
def submit(world):
    """Submit an answer as the world's mentee (through the service)."""
    from lessons import practice

    def do(task=None, body="I described every chart by its conclusion.", mentee=None):
        return practice.submit(
            task or world.task, (mentee or world.mentee).id, practice.Answer(body=body)
        )

    return do


def feedback_form_data(rubric, levels=3, outcome="revise", **overrides) -> dict:
    """A complete, valid feedback form for `rubric`."""
    data = {f"criterion_{c.id}": str(levels) for c in rubric.criteria}
    data.update(FEEDBACK_TEXT, outcome=outcome)
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


FEEDBACK_TEXT = {
    "strengths": "You described the chart by its conclusion.",
    "improvements": "The team photo needs names and what they are doing.",
    "next_step": "Rewrite the photo's alt text and send it again.",
}


def feedback_data(topic: str, level: int, outcome: str | None = None):
    """Valid feedback for the service layer: every criterion of the topic's rubric at `level`."""
    from feedback.rubrics import current_rubric
    from feedback.services import FeedbackData

    rubric = current_rubric(topic_id(topic))
    return FeedbackData(
        scores={c.id: level for c in rubric.criteria}, outcome=outcome, **FEEDBACK_TEXT
    )


@pytest.fixture
def mailbox(app):
    """A real SMTP server on loopback, and the app sending to it."""
    from tests.mailbox import Mailbox

    box = Mailbox().start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=box.port)
    yield box
    box.stop()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The feedback coach's precision and recall over its corpus, when its test ran."""
    from tests.coach_corpus import REPORT

    if REPORT in config.stash:
        terminalreporter.write_sep("-", "feedback coach")
        terminalreporter.write_line(config.stash[REPORT])
