"""Concurrent writers lose nothing: every save of a lesson becomes its own revision."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from lessons.models import Lesson, LessonRevision
from portal.extensions import db
from tests.conftest import PASSWORD, topic_id

WRITERS, SAVES_EACH = 8, 8


def test_concurrent_edits_all_become_revisions(app, make_user, make_lesson):
    author = make_user()
    lesson = make_lesson(author, title="Shared")
    email, lesson_id = author.email, lesson.id  # threads have no app context to load them
    form = {"topic_id": str(topic_id("leadership")), "summary": "s", "minutes": "5", "save": "1"}

    def writer(n: int) -> list[int]:
        client = app.test_client()
        client.post("/auth/login", data={"email": email, "password": PASSWORD})
        statuses = []
        for i in range(SAVES_EACH):
            response = client.post(
                f"/lessons/{lesson_id}/edit",
                data={**form, "title": f"w{n}-{i}", "body": f"{n}.{i}"},
            )
            statuses.append(response.status_code)
        return statuses

    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = [s for result in pool.map(writer, range(WRITERS)) for s in result]

    assert statuses == [302] * WRITERS * SAVES_EACH
    db.session.rollback()  # end the test's own read snapshot before checking
    numbers = db.session.scalars(
        select(LessonRevision.number).where(LessonRevision.lesson_id == lesson_id)
    ).all()
    expected = WRITERS * SAVES_EACH + 1
    assert sorted(numbers) == list(range(1, expected + 1))
    assert db.session.get(Lesson, lesson_id).revision_count == expected


def test_a_waiting_writer_tries_again_within_milliseconds_and_then_gives_up(tmp_path, monkeypatch):
    """While another connection writes, BEGIN IMMEDIATE is retried after waits of at most
    2 ms (SQLite's own busy handler sleeps up to 100 ms), succeeds as soon as the lock is
    free, and fails with "database is locked" once its patience runs out."""
    import sqlite3

    import pytest

    from portal import database

    path = tmp_path / "lock.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    waiter = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        if len(waits) == 20:  # the other writer commits while we wait
            holder.execute("COMMIT")

    monkeypatch.setattr(database.time, "sleep", sleep)
    database._begin_immediate(waiter)
    assert waiter.in_transaction and len(waits) == 20 and max(waits) <= 0.002
    assert waiter.execute("PRAGMA busy_timeout").fetchone()[0] == 5000  # put back
    waiter.execute("COMMIT")

    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(database.time, "sleep", lambda seconds: None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        database._begin_immediate(waiter, patience=0.01)
