"""Who a failed sign-in is counted against: the account at an address, and the address; the
address is the client's own, read from X-Forwarded-For only behind the proxies configured."""

import logging

import pytest

from portal.accounts.auth import PAUSED_SIGN_UP
from portal.config import ConfigError, check, from_environment
from tests.conftest import PASSWORD

PROXY = "127.0.0.1"  # the reverse proxy, as the app sees it without ProxyFix


def attempt(client, email, password, address=None, forwarded=None) -> int:
    environ = {"REMOTE_ADDR": address or PROXY}
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    data = {"email": email, "password": password}
    return client.post("/auth/login", data=data, environ_base=environ, headers=headers).status_code


def test_the_owner_signs_in_from_their_address_while_another_hammers_the_account(client, make_user):
    owner = make_user()
    answers = [attempt(client, owner.email, f"guess {n}", "10.0.0.66") for n in range(14)]
    assert answers == [422] * 10 + [429] * 4  # the attacker is slowed down ...
    assert attempt(client, owner.email, PASSWORD, "10.0.0.66") == 429  # ... even when right
    assert attempt(client, owner.email, PASSWORD, "10.0.0.5") == 302  # the owner is not


@pytest.mark.parametrize("app_config", [{"FLIPSIDE_PROXY_HOPS": 1}])
def test_behind_the_proxy_each_client_is_counted_by_its_forwarded_address(
    client, make_user, caplog
):
    caplog.set_level(logging.INFO, "flipside.audit")
    owner = make_user()
    for n in range(10):
        assert attempt(client, owner.email, f"guess {n}", forwarded="203.0.113.9") == 422
    assert attempt(client, owner.email, PASSWORD, forwarded="203.0.113.9") == 429
    assert attempt(client, owner.email, PASSWORD, forwarded="198.51.100.4") == 302
    assert f"user {owner.id} signed in from 198.51.100.4" in caplog.text


@pytest.mark.parametrize("app_config", [{"FLIPSIDE_PROXY_HOPS": 1}])
def test_only_the_address_the_trusted_proxy_saw_counts(client, make_user):
    """An attacker writing X-Forwarded-For themselves cannot pose as a new client each time:
    the proxy appends the address it saw, and only that last entry is believed."""
    owner = make_user()
    for n in range(10):
        spoofed = f"192.0.2.{n}, 203.0.113.9"
        assert attempt(client, owner.email, f"guess {n}", forwarded=spoofed) == 422
    assert attempt(client, owner.email, PASSWORD, forwarded="192.0.2.99, 203.0.113.9") == 429


def test_without_a_trusted_proxy_forwarded_for_is_ignored(client, make_user):
    owner = make_user()
    for n in range(10):
        assert attempt(client, owner.email, f"guess {n}", forwarded=f"192.0.2.{n}") == 422
    assert attempt(client, owner.email, PASSWORD, forwarded="192.0.2.99") == 429


def test_proxy_hops_come_from_the_environment_and_default_to_none(tmp_path):
    assert from_environment(str(tmp_path), env={})["FLIPSIDE_PROXY_HOPS"] == 0
    config = from_environment(str(tmp_path), env={"FLIPSIDE_PROXY_HOPS": "2"})
    assert config["FLIPSIDE_PROXY_HOPS"] == 2
    with pytest.raises(ConfigError, match="FLIPSIDE_PROXY_HOPS"):
        check({**config, "FLIPSIDE_PROXY_HOPS": -1})


def sign_up(client, n: int, address: str):
    data = {
        "name": f"Person {n}",
        "email": f"new{n}@example.org",
        "seniority": "3",
        "password": "a long enough secret",
        "confirm": "a long enough secret",
    }
    return client.post("/auth/register", data=data, environ_base={"REMOTE_ADDR": address})


def test_sign_ups_are_limited_per_address(client):
    assert [sign_up(client, n, "10.0.0.8").status_code for n in range(10)] == [302] * 10
    paused = sign_up(client, 10, "10.0.0.8")
    assert paused.status_code == 429 and PAUSED_SIGN_UP in paused.get_data(as_text=True)
    assert sign_up(client, 11, "10.0.0.9").status_code == 302


@pytest.mark.parametrize("app_config", [{"FLIPSIDE_PROXY_HOPS": 2}])
def test_behind_two_proxies_links_use_the_scheme_the_browser_used(client, login, make_user):
    """The load balancer saw HTTPS, the proxy behind it plain HTTP: the first counts."""
    login(make_user())
    page = client.get("/sessions/", headers={"X-Forwarded-Proto": "https, http"})
    assert 'value="https://localhost/calendar/' in page.get_data(as_text=True)
