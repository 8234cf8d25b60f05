"""Sessions, cookies, sign-in limits, password rules and request size (OWASP ASVS level 2)."""

import limits.storage.memory
import pytest

from portal import create_app
from portal.accounts import services as users
from portal.accounts.auth import PAUSED_SIGN_IN
from portal.extensions import db
from tests.conftest import PASSWORD


def signed_in(client) -> bool:
    return client.get("/lessons/").status_code == 200


def sign_in(client, user, password=PASSWORD, **kwargs):
    return client.post("/auth/login", data={"email": user.email, "password": password, **kwargs})


def test_production_cookies_are_host_prefixed_secure_and_http_only(tmp_path, monkeypatch):
    monkeypatch.setenv("FLIPSIDE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-for-this-test")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"})
    with app.test_request_context():
        from flask import session

        session["x"] = 1
        response = app.make_response("ok")
        app.session_interface.save_session(app, session, response)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-flipside=") and "Path=/" in cookie and "Domain" not in cookie
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert app.config["REMEMBER_COOKIE_NAME"].startswith("__Host-")
    with app.app_context():
        db.engine.dispose()


def test_a_new_session_at_sign_in(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_signing_out_ends_every_session_of_that_person(app, make_user):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user)
    sign_in(phone, user, remember="y")
    assert signed_in(laptop) and signed_in(phone)
    laptop.post("/auth/logout")
    assert not signed_in(phone)
    phone.delete_cookie("flipside")  # the remember-me cookie alone does not bring it back
    assert not signed_in(phone)


def test_remember_me_survives_a_closed_browser(app, make_user):
    user = make_user()
    client = app.test_client()
    sign_in(client, user, remember="y")
    client.delete_cookie("flipside")
    assert signed_in(client)


def test_password_change_keeps_this_session_and_ends_the_others(app, make_user):
    user = make_user()
    here, there = app.test_client(), app.test_client()
    sign_in(here, user)
    sign_in(there, user)
    wrong = here.post(
        "/profile/password",
        data={"current": "nope", "password": "a new long secret", "confirm": "a new long secret"},
    )
    assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
    common = here.post(
        "/profile/password",
        data={"current": PASSWORD, "password": "password123", "confirm": "password123"},
    )
    assert common.status_code == 422 and "most common" in common.get_data(as_text=True)
    here.post(
        "/profile/password",
        data={"current": PASSWORD, "password": "a new long secret", "confirm": "a new long secret"},
    )
    assert signed_in(here) and not signed_in(there)
    db.session.refresh(user)
    assert user.check_password("a new long secret")


def test_a_disabled_account_is_signed_out_everywhere(app, make_user):
    user = make_user()
    client = app.test_client()
    sign_in(client, user)
    users.set_active(user, False)
    assert not signed_in(client)
    assert sign_in(client, user).status_code == 422


@pytest.mark.parametrize(
    "password",
    ["password1", "Qwerty123", "12345678", "person1234567", "aaaaaaaa", "abcdefgh", "palladin"],
)
def test_common_patterned_or_email_based_passwords_are_refused(client, password):
    response = client.post(
        "/auth/register",
        data={
            "name": "New Person",
            "email": "person1234567@example.org",
            "seniority": "3",
            "password": password,
            "confirm": password,
        },
    )
    assert response.status_code == 422 and 'id="password-error"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(users.User)) == 0


def test_long_passphrases_are_welcome(client):
    phrase = "correct horse battery staple " * 2  # 58 characters
    response = client.post(
        "/auth/register",
        data={
            "name": "New Person",
            "email": "new@example.org",
            "seniority": "3",
            "password": phrase + "abcdef",
            "confirm": phrase + "abcdef",
        },
    )
    assert response.status_code == 302


class FakeClock:
    def __init__(self):
        import time

        self.now = time.time()

    def time(self):
        return self.now


def test_ten_failed_sign_ins_pause_that_address_for_the_account_then_it_works_again(
    client, make_user, monkeypatch
):
    clock = FakeClock()
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    user = make_user()
    here = {"REMOTE_ADDR": "10.0.0.7"}
    for _attempt in range(10):
        response = client.post(
            "/auth/login", data={"email": user.email, "password": "wrong guess"}, environ_base=here
        )
        assert response.status_code == 422
    right = {"email": user.email, "password": PASSWORD}
    blocked = client.post("/auth/login", data=right, environ_base=here)
    assert blocked.status_code == 429 and PAUSED_SIGN_IN in blocked.get_data(as_text=True)
    clock.now += 15 * 60 + 1
    assert client.post("/auth/login", data=right, environ_base=here).status_code == 302


def test_one_address_trying_many_accounts_is_paused(client, make_user, monkeypatch):
    monkeypatch.setattr(limits.storage.memory, "time", FakeClock())
    for n in range(30):
        client.post("/auth/login", data={"email": f"guess{n}@example.org", "password": "x" * 8})
    user = make_user()
    assert sign_in(client, user).status_code == 429


def test_successful_sign_ins_do_not_count(client, make_user):
    user = make_user()
    for _ in range(12):
        assert sign_in(client, user).status_code == 302
        client.post("/auth/logout")


def test_requests_over_the_size_limit_are_refused(client, make_user):
    response = client.post("/auth/register", data={"name": "x" * (1024 * 1024 + 10)})
    assert response.status_code == 413
