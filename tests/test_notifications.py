"""Notifications: the header's count, the list, opening and clearing them; email through the
outbox to a real SMTP server on loopback; retries; preferences and one-click unsubscribe."""

from __future__ import annotations

import logging
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.accounts import mentorships
from portal.accounts.models import Mentorship
from portal.clock import utcnow
from portal.errors import Conflict
from portal.extensions import db
from portal.notifications import services, worker
from portal.notifications.models import Notification, OutboxMessage
from tests.conftest import topic_id
from tests.mailbox import Mailbox, free_port


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def pair(make_user):
    """A senior who asks a junior to mentor her: the junior is told."""
    senior = make_user("Margaret Senior", seniority=8)
    junior = make_user("Jun Junior", email="jun@example.org", seniority=2)
    mentorships.request_mentorship(senior, junior, "mentee", [topic_id("accessibility")])
    return senior, junior


def header(page: str) -> str:
    return re.search(r'<nav aria-label="Main">.*?</nav>', page, re.S)[0]


def test_the_header_counts_unread_and_the_list_leads_to_the_thing(client, login, pair):
    senior, junior = pair
    login(junior)
    nav = header(client.get("/").get_data(as_text=True))
    assert (
        'Notifications <span class="nav-count">1<span class="visually-hidden"> unread</span>' in nav
    )
    page = client.get("/notifications").get_data(as_text=True)
    assert "Margaret Senior asks you to mentor them in Accessibility." in page
    (notification,) = db.session.scalars(select(Notification)).all()
    opened = client.get(f"/notifications/{notification.id}")
    assert opened.status_code == 302 and opened.location == "/mentorships/"
    assert "nav-count" not in header(client.get("/notifications").get_data(as_text=True))
    db.session.refresh(notification)
    assert notification.read_at is not None


def test_mark_all_as_read(client, login, pair, make_user):
    senior, junior = pair
    other = make_user("Omar Other")
    mentorships.request_mentorship(other, junior, "mentee", [topic_id("accessibility")])
    login(junior)
    assert services.unread_count(junior.id) == 2
    response = client.post("/notifications/read", follow_redirects=True)
    assert "Marked 2 notifications as read." in response.get_data(as_text=True)
    assert services.unread_count(junior.id) == 0


def test_nobody_opens_another_persons_notification(client, login, pair):
    senior, junior = pair
    (notification,) = db.session.scalars(select(Notification)).all()
    login(senior)
    assert client.get(f"/notifications/{notification.id}").status_code == 404
    assert client.get("/notifications/999999").status_code == 404
    db.session.refresh(notification)
    assert notification.read_at is None


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get("/notifications").status_code == 302


def test_the_unread_count_is_one_query_per_page_at_any_size(
    client, login, make_user, count_queries
):
    junior = make_user("Jun Junior")
    login(junior)

    def page_statements() -> list[str]:
        with count_queries() as statements:
            assert client.get("/topics/").status_code == 200
        return statements

    def notify(times: int) -> None:
        for _ in range(times):
            services.notify(junior, "kudos_received", "Thanks!", "/")
        db.session.commit()

    notify(1)
    few = page_statements()
    notify(40)
    many = page_statements()
    counting = [s for s in many if "FROM notifications" in s]
    assert len(counting) == 1 and "count(" in counting[0].lower()
    assert len(few) == len(many)
    assert 'class="nav-count">41<' in client.get("/topics/").get_data(as_text=True)
    notify(80)
    assert 'class="nav-count">99+<' in client.get("/topics/").get_data(as_text=True)
    assert services.unread_count(junior.id) == services.COUNT_CAP  # it stops counting there


def test_a_rolled_back_action_notifies_nobody(pair, make_user, monkeypatch):
    senior, junior = pair
    before = (count(Notification), count(OutboxMessage))
    # Two requests racing: the second passes the check and then meets the unique index.
    monkeypatch.setattr(mentorships, "open_between", lambda a, b: None)
    with pytest.raises(Conflict, match="already have an open mentorship"):
        mentorships.request_mentorship(senior, junior, "mentee", [topic_id("accessibility")])
    assert (count(Notification), count(OutboxMessage)) == before
    assert count(Mentorship) == 1


def test_each_answer_and_ending_tells_the_other_person(make_user):
    senior = make_user("Margaret Senior")
    junior = make_user("Jun Junior")
    asked = mentorships.request_mentorship(senior, junior, "mentee", [topic_id("accessibility")])
    mentorships.respond(asked, junior, accept=True)
    mentorships.end(asked, junior, "I am moving teams.")
    texts = [
        (n.user_id, n.text)
        for n in db.session.scalars(select(Notification).order_by(Notification.id))
    ]
    assert texts == [
        (junior.id, "Margaret Senior asks you to mentor them in Accessibility."),
        (senior.id, "Jun Junior accepted your mentorship request."),
        (senior.id, "Jun Junior ended your mentorship. Their reason: “I am moving teams.”"),
    ]
    with pytest.raises(Conflict):
        mentorships.respond(asked, junior, accept=False)  # a double click changes nothing
    assert count(Notification) == 3


# -- email ---------------------------------------------------------------------------------------


def test_the_email_arrives_with_a_link_that_works(app, client, login, pair, mailbox):
    senior, junior = pair
    assert worker.deliver_pending() == (1, 0)
    (message,) = mailbox.to("jun@example.org")
    assert message["Subject"] == "Margaret Senior asks you to mentor them in Accessibility."
    assert message["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert message["Message-ID"] == db.session.scalar(select(OutboxMessage.message_id))
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hello Jun Junior," in text and 'lang="en"' in html
    link = re.search(r"Open it in Flipside: (\S+)", text)[1]
    assert link == "http://127.0.0.1:5000/mentorships/"
    login(junior)
    assert "Margaret Senior" in client.get(link.removeprefix("http://127.0.0.1:5000")).get_data(
        as_text=True
    )
    assert worker.deliver_pending() == (0, 0)  # sent once, recorded as sent
    assert len(mailbox.messages) == 1


def test_without_a_mail_server_messages_are_written_as_files(app, pair, tmp_path):
    assert app.config["MAIL_SERVER"] is None
    assert worker.deliver_pending() == (1, 0)
    (path,) = (tmp_path / "outbox").glob("*.eml")
    assert "Subject: Margaret Senior asks you to mentor them" in path.read_text()


def test_smtp_down_then_back_delivers_each_message_once_and_logs_once(app, pair, caplog):
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    caplog.set_level(logging.WARNING, logger="flipside.worker")
    now = utcnow()
    assert worker.deliver_pending(now) == (0, 1)
    assert worker.deliver_pending(now) == (0, 0)  # not due again yet: backoff
    assert worker.deliver_pending(now + timedelta(minutes=2)) == (0, 1)
    message = db.session.scalar(select(OutboxMessage))
    assert message.attempts == 2 and message.sent_at is None
    assert "ConnectionRefusedError" in message.last_error
    assert len([r for r in caplog.records if "Could not send" in r.getMessage()]) == 1
    box = Mailbox(port).start()
    try:
        assert worker.deliver_pending(now + timedelta(minutes=10)) == (1, 0)
        assert worker.deliver_pending(now + timedelta(hours=10)) == (0, 0)
    finally:
        box.stop()
    assert len(box.messages) == 1


def test_two_workers_at_once_send_each_message_once(app, make_user, mailbox):
    junior = make_user("Jun Junior")
    for n in range(30):
        senior = make_user(f"Senior {n}")
        mentorships.request_mentorship(senior, junior, "mentee", [topic_id("accessibility")])
    db.session.remove()
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                results.append(worker.deliver_pending())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ids = [m["Message-ID"] for m in mailbox.messages]
    assert len(ids) == 30 and len(set(ids)) == 30
    assert sum(sent for sent, _failed in results) == 30


# -- preferences and unsubscribe -----------------------------------------------------------------


def unsubscribe_link(mailbox) -> str:
    message = mailbox.messages[-1]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # As a mail client reads it: one plain <address>, not folded or encoded (RFC 8058).
    assert re.search(rb"\r?\nList-Unsubscribe: <http://\S+>\r?\n", mailbox.raw[-1])
    return message["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:5000")


def test_one_click_unsubscribe_works_signed_out_and_changes_only_that_kind(
    app, client, pair, make_user, mailbox
):
    senior, junior = pair
    worker.deliver_pending()
    link = unsubscribe_link(mailbox)
    assert "Stop these emails?" in client.get(link).get_data(as_text=True)  # asking changes nothing
    assert services.channel_for(junior.id, "mentorship_requested") == "email"
    response = client.post(
        link, data={"List-Unsubscribe": "One-Click"}
    )  # no CSRF token, no sign-in
    assert response.status_code == 200
    assert services.preferences(junior.id) == {
        kind: "portal" if kind == "mentorship_requested" else "email" for kind in services.KINDS
    }
    mentorships.request_mentorship(
        make_user("Other"), junior, "mentee", [topic_id("accessibility")]
    )
    assert services.unread_count(junior.id) == 2  # still told in the portal
    assert count(OutboxMessage) == 1  # but not by email
    assert client.post(link.replace("unsubscribe/", "unsubscribe/x")).status_code == 404


def test_preferences_are_saved_and_obeyed(client, login, make_user):
    junior = make_user("Jun Junior")
    login(junior)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert "Someone asks you to mentor them, or offers to" in page
    choices = {kind: "email" for kind in services.KINDS} | {"mentorship_requested": "portal"}
    response = client.post("/notifications/preferences", data=choices, follow_redirects=True)
    assert "Your notification preferences are saved." in response.get_data(as_text=True)
    mentorships.request_mentorship(
        make_user("Senior"), junior, "mentee", [topic_id("accessibility")]
    )
    assert count(Notification) == 1 and count(OutboxMessage) == 0
    bad = client.post("/notifications/preferences", data=choices | {"kudos_received": "pigeon"})
    assert bad.status_code == 422 and "Not a valid choice" in bad.get_data(as_text=True)


# -- what the review of this change found ---------------------------------------------------------


def test_a_reason_on_several_lines_still_makes_an_email(make_user, mailbox):
    senior, junior = make_user("Margaret Senior"), make_user("Jun Junior", email="jun@example.org")
    asked = mentorships.request_mentorship(senior, junior, "mentee", [topic_id("accessibility")])
    mentorships.respond(asked, junior, accept=True)
    mentorships.end(asked, senior, "I am moving teams.\nThank you for everything.")
    assert worker.deliver_pending() == (3, 0)
    (ended,) = [m for m in mailbox.to("jun@example.org") if "ended" in m["Subject"]]
    assert "\n" not in ended["Subject"] and "Thank you for everything." in ended["Subject"]


def test_a_request_racing_another_answers_409_not_500(client, login, make_user, monkeypatch):
    """In a signed-in request the email's templates render too: nothing there may flush the
    mentorship before the service's own commit catches the unique index."""
    senior, junior = make_user("Margaret Senior"), make_user("Jun Junior")
    mentorships.request_mentorship(senior, junior, "mentee", [topic_id("accessibility")])
    monkeypatch.setattr(mentorships, "open_between", lambda a, b: None)
    login(senior)
    data = {"m-role": "mentee", "m-topics": [str(topic_id("accessibility"))], "m-message": ""}
    response = client.post(f"/people/{junior.id}", data=data)
    assert response.status_code == 422  # the form again, with the reason beside it
    assert "already have an open mentorship" in response.get_data(as_text=True)
    assert count(Mentorship) == 1 and count(Notification) == 1


def test_a_lease_that_ran_out_is_recorded_by_the_worker_that_sent_last(app, pair, mailbox):
    from types import SimpleNamespace

    now = utcnow()
    (first,) = worker.claim_due(now)
    late = SimpleNamespace(id=first.id, claim=first.claim, forget_when_sent=False)
    (second,) = worker.claim_due(now + worker.LEASE + timedelta(minutes=1))  # the lease ran out
    assert second.claim != late.claim
    worker._done(second)
    worker._done(late)  # the first worker finishing late changes nothing
    message = db.session.scalar(select(OutboxMessage))
    db.session.refresh(message)
    assert message.attempts == 1 and message.sent_at is not None


def test_a_permanent_refusal_is_not_retried_and_a_survey_address_is_not_kept(
    app, make_user, mailbox, caplog
):
    from portal.notifications import mail

    caplog.set_level(logging.WARNING, logger="flipside.worker")
    with app.test_request_context():
        db.session.add(
            mail.message_to(
                "refused.person@example.org",
                "Survey",
                "password_reset",
                user=make_user(),
                link="http://x/",
                minutes=60,
            )
        )
    db.session.commit()
    assert worker.deliver_pending() == (0, 1)
    assert count(OutboxMessage) == 0  # given up, and forgotten
    assert "refused.person" not in caplog.text and "giving up" in caplog.text
    junior = make_user("Jun Junior", email="refused.junior@example.org")
    services.notify(junior, "kudos_received", "Thanks!", "/")
    db.session.commit()
    worker.deliver_pending()
    message = db.session.scalar(select(OutboxMessage))
    assert message.last_error.startswith("Gave up") and message.sent_at is None
    assert worker.deliver_pending(utcnow() + timedelta(days=30)) == (0, 0)  # never again


def test_a_disabled_account_gets_no_more_email(make_user, pair):
    from portal.accounts.services import set_active

    senior, junior = pair
    assert count(OutboxMessage) == 1
    set_active(junior, False)
    assert count(OutboxMessage) == 0
    services.notify(junior, "kudos_received", "Thanks!", "/")
    db.session.commit()
    assert count(OutboxMessage) == 0
