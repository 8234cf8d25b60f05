"""Engine settings that keep writes safe: SQLite pragmas and `BEGIN IMMEDIATE` for writes."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import time
from pathlib import Path

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import Index, event, text
from sqlalchemy.engine import Engine

from portal.extensions import db

BUSY_TIMEOUT_S = 5.0
BUSY_TIMEOUT_PRAGMA = f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}"
OPTIMIZE_EVERY_S = 3600.0
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    BUSY_TIMEOUT_PRAGMA,
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
)
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MIN_FREE_BYTES = 1 << 20  # below this SQLite's next page or WAL frame may not fit


def _wants_write_lock() -> bool:
    """A request that may change data takes SQLite's write lock when its transaction begins.

    Upgrading a read transaction to a write one later fails at once with "database is
    locked" when another process wrote in between; taking the lock up front waits instead.
    """
    if has_app_context() and g.get("flipside_writes", False):
        return True  # a writing request that began as a GET, or a writer such as the worker
    if not has_request_context():
        return False
    return request.method not in READ_ONLY_METHODS


def writes_from_here(session) -> None:
    """A read-only request (a GET), or a command such as the worker, that must now write ends
    its read transaction, so that each next one begins by taking the write lock and waits for
    it rather than failing to upgrade."""
    if has_app_context():
        g.flipside_writes = True
    session.commit()


def configure_sqlite(engine: Engine) -> None:
    """Apply the pragmas on every connection and let SQLAlchemy, not pysqlite, begin."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # pysqlite must not emit its own BEGIN
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    last_optimized = [time.monotonic()]

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection, _record):
        """Keep the planner's statistics current as the data grows, between restarts: SQLite's
        own PRAGMA optimize re-analyses only the tables whose size changed a lot, at most
        once an `OPTIMIZE_EVERY_S` per process, when a request hands its connection back."""
        now = time.monotonic()
        if dbapi_connection is None or now - last_optimized[0] < OPTIMIZE_EVERY_S:
            return
        last_optimized[0] = now
        try:
            dbapi_connection.execute("PRAGMA optimize")
        except sqlite3.Error as exc:  # busy: try again next time
            logging.getLogger(__name__).warning("PRAGMA optimize skipped: %s", exc)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if _wants_write_lock():
            _begin_immediate(connection.connection.dbapi_connection)
        else:
            connection.exec_driver_sql("BEGIN")


def _begin_immediate(dbapi_connection, patience: float = BUSY_TIMEOUT_S) -> None:
    """BEGIN IMMEDIATE, retried every fraction of a millisecond while another process writes.

    SQLite's own busy handler sleeps 25, 50, then 100 ms between tries; a worker that just
    committed takes the lock again long before a sleeping one wakes, so under load one worker
    starved (POST p99 0.8 s at 16 connections). Short tries catch the lock in the gap between
    two requests of the other worker, and give up with "database is locked" after `patience`.
    """
    deadline = time.monotonic() + patience
    wait = 0.0002
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(wait)
                wait = min(wait * 1.5, 0.002)
    finally:
        dbapi_connection.execute(BUSY_TIMEOUT_PRAGMA)


def init_engine(engine: Engine) -> None:
    """Per-backend engine set-up."""
    if engine.dialect.name == "sqlite":
        configure_sqlite(engine)


def only_on(dialect: str, index: Index) -> Index:
    """An index built on one kind of database only, marked so that `built_here` knows."""
    index.info["only_on"] = dialect
    return index.ddl_if(dialect=dialect)


def built_here(obj, _name, type_, reflected, _compare_to) -> bool:
    """Alembic's `include_object`: compare a database only with what is built on it. An index
    made with `only_on` for another kind of database is not missing from this one."""
    only_on = getattr(obj, "info", {}).get("only_on")
    if type_ == "index" and not reflected and only_on:
        return db.engine.dialect.name == only_on
    return True


def refresh_statistics(connection) -> None:
    """Let the query planner know how big each table is and how selective each index is.

    Without statistics SQLite guesses, and on a large database it guesses badly: the feedback
    queue scanned every waiting submission through the status index instead of looking up
    the few of this mentor's tasks and mentees. A full ANALYZE takes about 50 ms for 50,000
    answers (a sampled one, with `analysis_limit`, misjudged the status index and brought the
    scan back). PostgreSQL's autovacuum analyses by itself; doing it here also covers a
    database that was just imported or seeded in bulk.
    """
    if connection.dialect.name == "postgresql":
        # GIN indexes (the library's trigram indexes) take bulk inserts into a pending list
        # that every search must read through until VACUUM merges it: 10 ms instead of 0.7 ms
        # per search just after seeding 6,500 lessons. Merge it now (VACUUM cannot run here,
        # inside a transaction; this function can).
        connection.exec_driver_sql(
            "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE a.amname = 'gin' AND pg_table_is_visible(i.indrelid)"
        )
    connection.exec_driver_sql("ANALYZE")


def database_answers(session) -> bool:
    """True when a trivial query succeeds."""
    try:
        session.execute(text("SELECT 1"))
        return True
    except Exception:  # any driver error means "not answering"
        session.rollback()
        return False


def database_accepts_writes(session) -> bool:
    """True when the database would take a write: a no-op UPDATE, rolled back. A read-only
    SQLite file, `PRAGMA query_only`, or a read-only PostgreSQL server or transaction refuse
    even that; on SQLite it also needs the write lock, so a stuck writer shows here too."""
    try:
        session.execute(text("UPDATE users SET id = id WHERE 1 = 0"))
        return True
    except Exception:  # any driver error means "would not write"
        return False
    finally:
        session.rollback()


def disk_has_room(engine: Engine, minimum: int = MIN_FREE_BYTES) -> bool:
    """For an SQLite file: is there room on its disk for the next write? (A rolled-back write
    never reaches the disk, so it cannot tell; PostgreSQL's server watches its own disk.)"""
    name = engine.url.database
    if engine.dialect.name != "sqlite" or not name or name == ":memory:":
        return True
    folder = Path(name.removeprefix("file:").split("?")[0]).resolve().parent
    return shutil.disk_usage(folder).free >= minimum
