"""Sign-up, sign-in, sign-out, and what never happens to a password."""

import logging

import pytest
from sqlalchemy import func, select

from portal.accounts.auth import BAD_CREDENTIALS, safe_next
from portal.accounts.models import User
from portal.extensions import db
from tests.conftest import PASSWORD

SIGNUP = {
    "name": "Ada Lovelace",
    "email": "Ada@Example.org",
    "job_title": "Analyst",
    "seniority": "2",
    "password": "a long enough secret",
    "confirm": "a long enough secret",
}


def users_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_sign_up_stores_a_hash_and_leads_through_sign_in_to_the_profile(client):
    response = client.post("/auth/register", data=SIGNUP)
    assert response.status_code == 302 and response.location == "/auth/login?next=/profile/edit"
    user = db.session.scalar(select(User))
    assert user.email == "ada@example.org" and user.name == "Ada Lovelace" and user.seniority == 2
    assert SIGNUP["password"] not in user.password_hash
    assert user.check_password(SIGNUP["password"])
    assert "sign in with the password you just chose" in client.get("/auth/login").get_data(
        as_text=True
    )
    signed = client.post(
        "/auth/login?next=/profile/edit",
        data={"email": SIGNUP["email"], "password": SIGNUP["password"]},
    )
    assert signed.location == "/profile/edit"
    assert "Ada Lovelace" in client.get("/").get_data(as_text=True)


def test_sign_up_with_a_taken_email_answers_as_a_new_one_would(app, make_user):
    """Nothing tells whether an email has an account: same redirect, same message, no sign-in."""
    make_user(email="ada@example.org", name="The Real Ada")
    answers = []
    for email in ("Ada@Example.org", "new@example.org"):
        client = app.test_client()
        response = client.post("/auth/register", data={**SIGNUP, "email": email})
        message = client.get("/auth/login").get_data(as_text=True).replace(email.lower(), "@")
        answers.append((response.status_code, response.location, message))
        assert client.get("/lessons/").status_code == 302  # not signed in, as anyone
    assert answers[0] == answers[1]
    assert users_count() == 2  # the new one; the taken email kept its one account
    real = db.session.scalar(select(User).where(User.email == "ada@example.org"))
    assert real.name == "The Real Ada" and not real.check_password(SIGNUP["password"])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter your name."),
        ("name", "x" * 121, "Field cannot be longer than 120 characters."),
        ("email", "not-an-email", "Enter an email address like name@example.org."),
        ("seniority", "11", "Enter a level from 1 to 10."),
        ("password", "short", "Use 8 to 128 characters."),
        ("confirm", "something else", "The two passwords are not the same."),
    ],
)
def test_invalid_sign_up_shows_the_message_beside_the_field(client, field, value, message):
    response = client.post("/auth/register", data={**SIGNUP, field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and message in page
    assert f'aria-describedby="{field}-help {field}-error"' in page or (
        f'aria-describedby="{field}-error"' in page
    )
    assert users_count() == 0


def test_sign_in_and_out(client, make_user):
    user = make_user(email="ben@example.org")
    response = client.post("/auth/login", data={"email": "BEN@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert user.name in client.get("/").get_data(as_text=True)
    assert client.get("/auth/logout").status_code == 200  # a confirmation page, not a sign-out
    assert client.post("/auth/logout").status_code == 302
    assert "Create an account" in client.get("/").get_data(as_text=True)
    assert client.get("/lessons/").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_user):
    make_user(email="ben@example.org")
    wrong = client.post("/auth/login", data={"email": "ben@example.org", "password": "nope nope"})
    unknown = client.post("/auth/login", data={"email": "who@example.org", "password": "nope nope"})
    assert wrong.status_code == unknown.status_code == 422
    assert BAD_CREDENTIALS in wrong.get_data(as_text=True)
    assert BAD_CREDENTIALS in unknown.get_data(as_text=True)
    assert client.get("/lessons/").status_code == 302  # still signed out


def test_disabled_account_cannot_sign_in(client, make_user):
    user = make_user()
    user.is_active_account = False
    db.session.commit()
    assert (
        client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code
        == 422
    )


def test_passwords_never_reach_the_logs(client, make_user, caplog):
    caplog.set_level(logging.DEBUG)
    client.post("/auth/register", data=SIGNUP)
    client.post("/auth/logout")
    client.post("/auth/login", data={"email": SIGNUP["email"], "password": SIGNUP["password"]})
    client.post("/auth/login", data={"email": SIGNUP["email"], "password": "wrong password!"})
    assert caplog.records, "the test should see the app's logging"
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert SIGNUP["password"] not in text and "wrong password!" not in text


def test_next_parameter_only_follows_local_paths(client, make_user):
    user = make_user()
    response = client.post(
        "/auth/login?next=/lessons/%3Fq%3Dalt", data={"email": user.email, "password": PASSWORD}
    )
    assert response.location == "/lessons/?q=alt"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:x", ""]
)
def test_safe_next_refuses_other_sites(target):
    assert safe_next(target) is None


def test_login_page_asks_for_email_and_password(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<label for="email">Email</label>' in page
    assert '<label for="password">Password</label>' in page


def test_protected_pages_send_anonymous_people_to_sign_in(client):
    response = client.get("/lessons/new")
    assert response.status_code == 302
    assert response.location.startswith("/auth/login?next=")
