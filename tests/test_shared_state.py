"""Several workers or servers behind a load balancer share what must be shared through Redis:
the count of failed sign-ins and the cached program report. Uses the Redis that
TEST_REDIS_URL names (database 15 on 127.0.0.1:6379 by default), skipped where none is running.
Every key is written under a prefix of this run's own, and only those keys are deleted."""

import os
import re
import uuid
from contextlib import contextmanager

import pytest
from flask_migrate import upgrade

from portal.accounts.services import create_user
from portal.config import from_environment
from portal.extensions import db
from tests.conftest import PASSWORD, fresh_database, make_app
from tests.servers import Browser, gunicorn
from tests.test_program_care import paired as paired  # a fixture

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_redis_url_sends_limits_and_cache_to_redis(tmp_path):
    config = from_environment(str(tmp_path), env={"REDIS_URL": REDIS_URL})
    assert config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    assert (config["CACHE_TYPE"], config["CACHE_REDIS_URL"]) == ("RedisCache", REDIS_URL)
    alone = from_environment(str(tmp_path), env={})
    assert (alone["RATELIMIT_STORAGE_URI"], alone["CACHE_TYPE"]) == ("memory://", "SimpleCache")


def test_the_redis_prefix_names_every_key(tmp_path):
    config = from_environment(str(tmp_path), env={"FLIPSIDE_REDIS_PREFIX": "site-b"})
    assert (config["CACHE_KEY_PREFIX"], config["RATELIMIT_KEY_PREFIX"]) == ("site-b:", "site-b")
    alone = from_environment(str(tmp_path), env={})
    assert (alone["CACHE_KEY_PREFIX"], alone["RATELIMIT_KEY_PREFIX"]) == ("flipside:", "flipside")


def our_keys(server, prefix: str) -> list[bytes]:
    """The cache's keys (`prefix:…`) and the limiter's (`LIMITS:LIMITER/prefix/…`)."""
    return [
        *server.scan_iter(match=f"{prefix}:*"),
        *server.scan_iter(match=f"LIMITS:LIMITER/{prefix}/*"),
    ]


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own on the test Redis; its keys are deleted afterwards."""
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"flipside-test-{uuid.uuid4().hex}"
    yield prefix
    keys = our_keys(server, prefix)
    if keys:
        server.delete(*keys)
    server.close()


@pytest.fixture
def two_servers(tmp_path):
    """Start two single-worker servers on one new database, with the environment given."""

    @contextmanager
    def start(**env):
        with fresh_database(tmp_path, "servers") as settings:
            app = make_app(tmp_path, settings)
            with app.app_context():
                upgrade()
                create_user("ada@example.org", "Ada", PASSWORD, hash_method="pbkdf2:sha256:1000")
                db.session.remove()
                db.engine.dispose()
            with gunicorn(tmp_path, settings, 1, **env) as (a, _log):
                with gunicorn(tmp_path, settings, 1, **env) as (b, _log):
                    yield Browser(a), Browser(b)

    return start


def failures_then_the_right_password(first, second) -> int:
    """Ten wrong passwords, five through each server; then the right one through the first."""
    for browser in (first, second) * 5:
        browser.get("/auth/login")
        assert browser.post("/auth/login", {"email": "ada@example.org", "password": "nope"}) == 422
    first.get("/auth/login")
    return first.post("/auth/login", {"email": "ada@example.org", "password": PASSWORD})


def test_with_redis_two_servers_count_failed_sign_ins_together(two_servers, redis_prefix):
    import redis

    with two_servers(REDIS_URL=REDIS_URL, FLIPSIDE_REDIS_PREFIX=redis_prefix) as (first, second):
        assert failures_then_the_right_password(first, second) == 429
    assert our_keys(redis.Redis.from_url(REDIS_URL), redis_prefix)  # the counts went there


def test_without_redis_each_server_counts_alone(two_servers):
    with two_servers(REDIS_URL="") as (first, second):
        assert failures_then_the_right_password(first, second) == 302


@pytest.fixture
def app_config(redis_prefix):
    """The `app` of this module keeps its cache in Redis."""
    return {
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"{redis_prefix}:",
    }


def test_the_program_report_is_cached_in_redis(client, paired, count_queries, redis_prefix):
    """The report goes through Redis as a pickle and comes back whole."""
    import redis

    program, _match, _p = paired
    url = f"/programs/{program.id}/report"
    client.get("/topics/")  # shows (and so clears) the "welcome back" message
    with count_queries() as first:
        computed = client.get(url).get_data(as_text=True)
    with count_queries() as second:
        cached = client.get(url).get_data(as_text=True)
    assert len(second) < len(first) - 5
    assert our_keys(redis.Redis.from_url(REDIS_URL), redis_prefix)
    strip = re.compile(r'name="csrf_token"[^>]*>')
    assert strip.sub("", cached) == strip.sub("", computed)
