"""Configuration from the environment, and refusing unsafe settings."""

import pytest

from portal import create_app
from portal.config import DEFAULT_SECRET_KEY, ConfigError, database_url, from_environment


def test_production_refuses_the_default_secret_key(monkeypatch):
    monkeypatch.setenv("FLIPSIDE_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_starts_with_its_own_key(monkeypatch, tmp_path):
    monkeypatch.setenv("FLIPSIDE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s3cret-from-the-vault")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] != DEFAULT_SECRET_KEY


def test_unknown_time_zone_is_refused():
    with pytest.raises(ConfigError, match="time zone"):
        create_app({"FLIPSIDE_TIMEZONE": "Mars/Olympus_Mons"})


def test_local_defaults(tmp_path):
    config = from_environment(str(tmp_path), env={})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'flipside.db'}"
    assert config["FLIPSIDE_ENV"] == "development" and config["FLIPSIDE_TIMEZONE"] == "UTC"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////srv/f.db", "sqlite:////srv/f.db"),
    ],
)
def test_database_url_forms(raw, expected):
    assert database_url(raw, "/unused") == expected


def test_security_headers(client):
    headers = client.get("/auth/login").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
