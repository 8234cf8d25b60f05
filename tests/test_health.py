"""/healthz tells a load balancer whether the database answers."""

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import TEST_DATABASE_URL, make_app


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok"


def test_database_down_is_503(tmp_path, database):
    broken = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing-dir/nothing.db"}
    app = make_app(tmp_path, broken)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    with app.app_context():
        from portal.extensions import db

        db.engine.dispose()


def _broken_health(tmp_path, **settings):
    app = make_app(tmp_path, settings)
    response = app.test_client().get("/healthz")
    with app.app_context():
        from portal.extensions import db

        db.engine.dispose()
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="an SQLite file")
def test_a_read_only_database_file_is_503(tmp_path, client):
    """The suite's database opened read-only: it answers reads but refuses writes."""
    path = make_url(client.application.config["SQLALCHEMY_DATABASE_URI"]).database
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    assert _broken_health(tmp_path, SQLALCHEMY_DATABASE_URI=read_only) == (
        503,
        "database is read-only",
    )


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="an SQLite pragma")
def test_query_only_sqlite_is_503(client, app):
    from sqlalchemy import event

    from portal.extensions import db

    @event.listens_for(db.engine, "connect")
    def query_only(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA query_only = ON")

    db.engine.dispose()
    try:
        response = client.get("/healthz")
        assert (response.status_code, response.get_data(as_text=True)) == (
            503,
            "database is read-only",
        )
    finally:
        event.remove(db.engine, "connect", query_only)
        db.engine.dispose()


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="a PostgreSQL setting")
def test_a_read_only_postgresql_is_503(tmp_path, database):
    options = database["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["options"]
    read_only = {"connect_args": {"options": options + " -cdefault_transaction_read_only=on"}}
    settings = {**database, "SQLALCHEMY_ENGINE_OPTIONS": read_only}
    assert _broken_health(tmp_path, **settings) == (503, "database is read-only")


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="an SQLite file's disk")
def test_a_full_disk_is_503(client, monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10**9, 10**9, 0))
    response = client.get("/healthz")
    assert (response.status_code, response.get_data(as_text=True)) == (503, "disk full")
