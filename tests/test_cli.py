"""Command-line tasks."""

import pytest
from sqlalchemy import func, select, text

from lessons.models import Lesson, Task
from portal.accounts.models import User
from portal.extensions import db
from portal.topics import Topic


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_create_user_prompts_for_the_password(runner):
    result = runner.invoke(
        args=["create-user", "--email", "Coord@Example.org", "--name", "Cora", "--coordinator"],
        input="a good password\na good password\n",
    )
    assert result.exit_code == 0, result.output
    assert "a good password" not in result.output
    user = db.session.scalar(select(User))
    assert user.email == "coord@example.org" and user.is_coordinator
    assert user.check_password("a good password")


def test_create_user_refuses_a_duplicate(runner, make_user):
    make_user(email="cora@example.org")
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "cora@example.org",
            "--name",
            "C",
            "--password",
            "longenough1",
        ]
    )
    assert result.exit_code != 0 and "already exists" in result.output
    assert count(User) == 1


def test_create_user_refuses_a_short_password(runner):
    result = runner.invoke(
        args=["create-user", "--email", "a@example.org", "--name", "A", "--password", "short"]
    )
    assert result.exit_code != 0 and count(User) == 0


def test_seed_demo_is_idempotent(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    counts = [count(m) for m in (User, Lesson, Task, Topic)]
    assert counts[0] >= 7 and counts[1] >= 6 and counts[2] >= 10 and counts[3] == 3
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert [count(m) for m in (User, Lesson, Task, Topic)] == counts


def test_demo_lessons_are_published_with_tasks_and_no_accessibility_warnings(runner):
    from lessons.authoring import lint

    runner.invoke(args=["seed-demo"])
    published = db.session.scalars(select(Lesson).where(Lesson.status == "published")).all()
    assert len(published) >= 6
    for lesson in published:
        assert lesson.tasks, lesson.title
        assert lint(lesson.body_html) == [], lesson.title


def test_rerender_updates_stale_html(runner, make_lesson):
    lesson = make_lesson(body="## Fresh\n\ntext", tasks=1)
    lesson.body_html, lesson.html_version = "<p>old</p>", 0
    db.session.commit()
    result = runner.invoke(args=["rerender"])
    assert "Re-rendered 1 lesson" in result.output
    db.session.refresh(lesson)
    assert "Fresh" in lesson.body_html


def planner_row_estimate(table: str) -> int | None:
    """How many rows the database's query planner believes `table` has (None: no idea)."""
    if db.engine.dialect.name == "sqlite":
        exists = text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if db.session.execute(exists).first() is None:
            return None
        stat = db.session.execute(
            text("SELECT stat FROM sqlite_stat1 WHERE tbl = :t LIMIT 1"), {"t": table}
        ).scalar()
        return None if stat is None else int(stat.split()[0])
    estimate = db.session.execute(
        text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:t)"), {"t": table}
    ).scalar()
    return None if estimate is None or estimate < 0 else int(estimate)


def test_seeding_refreshes_the_query_planners_statistics(runner, make_lesson):
    for _ in range(3):  # a number no other test's seeding leaves in the statistics
        make_lesson()
    db.session.commit()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert planner_row_estimate("lessons") == count(Lesson) > 3


def test_seeding_merges_the_search_indexes_pending_entries(runner, make_lesson):
    """On PostgreSQL, new lessons wait in the trigram indexes' pending list, which every
    search reads through until it is merged; seeding merges it."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("GIN indexes are PostgreSQL's")
    db.session.execute(text("CREATE EXTENSION IF NOT EXISTS pgstattuple SCHEMA public"))
    db.session.commit()

    def pending() -> int:
        return db.session.execute(
            text("SELECT pending_tuples FROM pgstatginindex('ix_lessons_body_trigrams')")
        ).scalar()

    for _ in range(3):
        make_lesson()
    db.session.commit()
    assert pending() > 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert pending() == 0


def test_a_growing_sqlite_database_gets_fresh_statistics_while_serving(
    client, make_lesson, monkeypatch
):

    from portal import database

    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's autovacuum keeps its statistics current by itself")
    monkeypatch.setattr(database, "OPTIMIZE_EVERY_S", 0.0)
    for _ in range(4):
        make_lesson()
    if db.session.execute(
        text("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
    ).first():
        db.session.execute(text("DELETE FROM sqlite_stat1 WHERE tbl = 'lessons'"))
    db.session.commit()
    assert planner_row_estimate("lessons") is None
    client.get("/lessons/")  # reads lessons, then hands its connection back to the pool
    db.session.rollback()
    assert planner_row_estimate("lessons") == count(Lesson) >= 4
