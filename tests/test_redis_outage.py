"""With REDIS_URL set and Redis gone, the portal loses nothing but time: sign-in limits count
per process (warned about once), the report is computed afresh, /healthz says "degraded"."""

import logging
import socket
import threading
import time

import pytest

from portal.home import REDIS_DEGRADED
from tests.conftest import PASSWORD
from tests.test_program_care import paired as paired  # a fixture


def closed_port() -> int:
    """A port of ours on loopback where nothing listens."""
    for port in range(5399, 5379, -1):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no closed port in 5380-5399")


@pytest.fixture
def app_config(request, tmp_path):
    """The settings production derives from REDIS_URL (the suite's apps ignore the developer's
    environment): a closed port, or the test's `silent_redis`."""
    from portal.config import from_environment

    if "silent_redis" in request.fixturenames:
        url = request.getfixturevalue("silent_redis")
    else:
        url = f"redis://127.0.0.1:{closed_port()}/0"
    settings = from_environment(str(tmp_path), env={"REDIS_URL": url})
    return {k: v for k, v in settings.items() if k.startswith(("RATELIMIT_", "CACHE_"))}


def test_the_app_under_test_really_points_at_a_dead_redis(app):
    assert app.config["RATELIMIT_STORAGE_URI"].startswith("redis://127.0.0.1:53")
    assert app.config["CACHE_TYPE"] == "RedisCache"


def sign_in(client, user, password=PASSWORD) -> int:
    return client.post("/auth/login", data={"email": user.email, "password": password}).status_code


def test_sign_in_works_and_the_fallback_is_warned_about_once(client, make_user, caplog):
    caplog.set_level(logging.WARNING, "flask-limiter")
    user = make_user()
    assert sign_in(client, user, "wrong password") == 422
    assert sign_in(client, user, "wrong again") == 422
    assert sign_in(client, user) == 302
    warnings = [r for r in caplog.records if r.name == "flask-limiter"]
    assert [r.getMessage() for r in warnings] == [
        "Rate limit storage unreachable - falling back to in-memory storage"
    ]


def test_failed_sign_ins_are_still_limited_per_process(client, make_user):
    user = make_user()
    assert [sign_in(client, user, f"guess {n}") for n in range(11)] == [422] * 10 + [429]


def test_health_says_redis_is_degraded_and_stays_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == f"ok\n{REDIS_DEGRADED}"


def test_the_program_report_is_computed_without_its_cache(client, paired, caplog):
    program, _match, _p = paired
    for _ in range(2):
        page = client.get(f"/programs/{program.id}/report")
        assert page.status_code == 200 and "Ops 2026" in page.get_data(as_text=True)
    assert "cache unreadable" in caplog.text


@pytest.mark.parametrize("app_config", [{"RATELIMIT_STORAGE_URI": "memory://"}])
def test_health_without_redis_configured_is_plain_ok(client):
    assert client.get("/healthz").get_data(as_text=True) == "ok"


@pytest.fixture
def silent_redis():
    """A Redis that accepts connections and never answers (a hung server, a black hole)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", closed_port()))
        server.listen(16)
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"


def test_a_redis_that_hangs_costs_a_sign_in_seconds_not_a_worker(silent_redis, client, make_user):
    form = {"email": make_user().email, "password": PASSWORD}
    answers = []

    def attempt():
        answers.append(client.post("/auth/login", data=form).status_code)

    worker = threading.Thread(target=attempt, daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(timeout=20)
    assert answers == [302], "the sign-in hung on Redis"
    assert time.monotonic() - started < 10
