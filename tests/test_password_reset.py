"""Forgot your password: the same answer for every address, a link by email that works once
and for an hour, every other session ended, and a limit on how often it is asked for."""

from __future__ import annotations

import re

import itsdangerous.timed
import limits.storage.memory
from sqlalchemy import func, select

from portal.accounts.auth import RESET_SENT
from portal.extensions import db
from portal.notifications import worker
from portal.notifications.models import OutboxMessage
from tests.conftest import PASSWORD
from tests.test_hardening import FakeClock

NEW_PASSWORD = "a quiet river at dawn"


def ask(client, email):
    return client.post("/auth/forgot", data={"email": email}, follow_redirects=True)


def reset_link(mailbox, address) -> str:
    (message,) = mailbox.to(address)
    text = message.get_body(("plain",)).get_content()
    return re.search(r"Choose it here: (\S+)", text)[1].removeprefix("http://127.0.0.1:5000")


def test_the_sign_in_page_offers_it(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'href="/auth/forgot">Forgot your password?</a>' in page


def test_the_answer_does_not_tell_whether_an_account_exists(client, make_user):
    make_user(email="known@example.org")
    known = ask(client, "Known@Example.org")
    unknown = ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert RESET_SENT.format(email="known@example.org") in known.get_data(as_text=True)
    assert RESET_SENT.format(email="nobody@example.org") in unknown.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_the_link_sets_a_new_password_once_and_ends_every_session(
    app, client, make_user, login, mailbox
):
    user = make_user(email="margaret@example.org")
    elsewhere = app.test_client()
    elsewhere.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert elsewhere.get("/notifications").status_code == 200
    ask(client, user.email)
    worker.deliver_pending()
    link = reset_link(mailbox, user.email)
    page = client.get(link)
    assert page.status_code == 200 and "Choose a new password" in page.get_data(as_text=True)
    weak = client.post(link, data={"password": "password123", "confirm": "password123"})
    assert weak.status_code == 422  # the same rules as everywhere; the link still works
    done = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.location == "/auth/login"
    assert elsewhere.get("/notifications").status_code == 302  # signed out there too
    assert login(user, NEW_PASSWORD).status_code == 302
    assert login(user, PASSWORD).status_code == 422
    again = client.get(link)
    assert again.status_code == 410 and "That link no longer works" in again.get_data(as_text=True)


def test_the_link_expires_after_an_hour(client, make_user, mailbox, monkeypatch):
    user = make_user(email="margaret@example.org")
    ask(client, user.email)
    worker.deliver_pending()
    link = reset_link(mailbox, user.email)
    now = itsdangerous.timed.time.time()
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + 3601)
    assert client.get(link).status_code == 410
    assert (
        client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code
        == 410
    )


def test_a_changed_link_does_not_work(client, make_user, mailbox):
    user = make_user(email="margaret@example.org")
    ask(client, user.email)
    worker.deliver_pending()
    link = reset_link(mailbox, user.email)
    assert client.get(link[:-2] + ("AA" if not link.endswith("AA") else "BB")).status_code == 410


def test_asking_is_limited_per_address_and_per_account(client, make_user, monkeypatch):
    monkeypatch.setattr(limits.storage.memory, "time", FakeClock())
    make_user(email="margaret@example.org")
    here = {"REMOTE_ADDR": "10.0.0.9"}
    codes = [
        client.post(
            "/auth/forgot", data={"email": f"x{n}@example.org"}, environ_base=here
        ).status_code
        for n in range(6)
    ]
    assert codes == [302] * 5 + [429]
    for n in range(5):  # one account from many addresses
        client.post(
            "/auth/forgot",
            data={"email": "margaret@example.org"},
            environ_base={"REMOTE_ADDR": f"10.1.0.{n}"},
        )
    sixth = client.post(
        "/auth/forgot",
        data={"email": "margaret@example.org"},
        environ_base={"REMOTE_ADDR": "10.2.0.1"},
    )
    assert sixth.status_code == 429
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 5
