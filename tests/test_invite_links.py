"""Program invite links: made, shared, opened signed out, refused when they no longer hold."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.clock import utcnow
from portal.extensions import db
from portal.notifications.models import Notification
from portal.programs import invite_links as links
from portal.programs.models import InviteLink, Member
from tests.conftest import PASSWORD
from tests.test_programs import make_program


def members(program_id: int) -> list[tuple[str, str]]:
    db.session.expire_all()
    return [
        (m.user.email, m.role)
        for m in db.session.scalars(select(Member).where(Member.program_id == program_id))
    ]


@pytest.fixture
def cora(make_user):
    return make_user("Cora Coordinator", "cora@example.org", coordinator=True)


@pytest.fixture
def program(cora):
    return make_program(cora)


def make_link(program, cora, *, role="mentee", domain="", max_uses=None, days=7) -> str:
    data = links.LinkData(
        role=role,
        expires_on=date.today() + timedelta(days=days),
        zone="Europe/Berlin",
        email_domain=domain,
        max_uses=max_uses,
    )
    return links.token_for(links.create(program, cora, data))


def path(token: str) -> str:
    return f"/programs/join/{token}"


def test_signed_out_person_signs_up_comes_back_and_joins_then_answers(client, program, cora):
    token = make_link(program, cora, role="mentor")
    page = client.get(path(token))
    assert page.status_code == 200
    assert "Join “Leadership 2027”" in page.text and "as a <strong>mentor</strong>" in page.text
    assert f'href="/auth/register?next=/programs/join/{token}"' in page.text

    signed_up = client.post(
        f"/auth/register?next={path(token)}",
        data={
            "name": "Nia New",
            "email": "nia@example.com",
            "job_title": "Analyst",
            "seniority": "2",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert signed_up.status_code == 302
    login_page = signed_up.headers["Location"]
    assert login_page.startswith("/auth/login?next=") and token in login_page
    signed_in = client.post(login_page, data={"email": "nia@example.com", "password": PASSWORD})
    assert signed_in.headers["Location"] == path(token)

    assert "Join the program" in client.get(path(token)).text
    assert members(program.id) == []  # opening the link changes nothing; the button does
    joined = client.post(path(token))
    assert joined.headers["Location"] == f"/programs/{program.id}#answer-h"
    assert members(program.id) == [("nia@example.com", "mentor")]
    assert db.session.get(InviteLink, 1).uses == 1
    assert "answer" in client.get(f"/programs/{program.id}").text.lower()
    answered = client.post(
        f"/programs/{program.id}/answer",
        data={"answer-answer": "accept", "answer-capacity": "2"},
    )
    assert answered.status_code == 302
    member = db.session.scalar(select(Member).where(Member.program_id == program.id))
    assert (member.status, member.capacity) == ("accepted", 2)
    note = db.session.scalar(select(Notification).where(Notification.user_id == member.user_id))
    assert "through an invite link" in note.text


def test_signing_in_with_a_foreign_next_goes_home_not_away(client, make_user):
    make_user(email="x@example.org")
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = client.post(
            f"/auth/login?next={target}", data={"email": "x@example.org", "password": PASSWORD}
        )
        assert response.headers["Location"] == "/"
        client.post("/auth/logout")


def test_sign_up_with_a_foreign_next_still_goes_to_the_profile(client):
    response = client.post(
        "/auth/register?next=https://evil.example/",
        data={
            "name": "Eve",
            "email": "eve@example.org",
            "seniority": "2",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.headers["Location"] == "/auth/login?next=/profile/edit"


def test_domain_restriction_refuses_other_addresses(client, login, make_user, program, cora):
    token = make_link(program, cora, domain="@Example.COM")
    assert db.session.scalar(select(InviteLink.email_domain)) == "example.com"
    login(make_user(email="outsider@example.org"))
    page = client.get(path(token))
    assert page.status_code == 403 and "@example.com" in page.text
    assert client.post(path(token)).status_code == 403
    assert members(program.id) == [] and db.session.scalar(select(InviteLink.uses)) == 0
    login(make_user(email="insider@example.com"))
    assert client.post(path(token)).status_code == 302
    assert members(program.id) == [("insider@example.com", "mentee")]


def test_expired_link_is_gone(client, login, make_user, program, cora):
    token = make_link(program, cora)
    link = db.session.scalar(select(InviteLink))
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(path(token)).status_code == 410  # signed out too
    login(make_user())
    page = client.post(path(token))
    assert page.status_code == 410 and "expired" in page.text
    assert members(program.id) == []


def test_revoked_link_is_gone_and_revoking_asks_first(client, login, make_user, program, cora):
    token = make_link(program, cora)
    login(cora)
    revoke = f"/programs/{program.id}/links/1/revoke"
    asked = client.post(revoke)  # a one-click POST only shows the question
    assert asked.status_code == 200 and "Revoke the link" in asked.text
    assert db.session.scalar(select(InviteLink.revoked_at)) is None
    assert client.post(revoke, data={"confirm": "yes"}).status_code == 302
    assert db.session.scalar(select(InviteLink.revoked_at)) is not None
    login(make_user())
    page = client.post(path(token))
    assert page.status_code == 410 and "withdrawn" in page.text
    assert members(program.id) == []


def test_used_up_link_is_gone(client, login, make_user, program, cora):
    token = make_link(program, cora, max_uses=1)
    login(make_user())
    assert client.post(path(token)).status_code == 302
    login(make_user())
    page = client.get(path(token))
    assert page.status_code == 410 and "as many times" in page.text
    assert len(members(program.id)) == 1


def test_joining_twice_counts_once(client, login, make_user, program, cora):
    token = make_link(program, cora)
    login(make_user())
    client.post(path(token))
    again = client.post(path(token))
    assert again.headers["Location"] == f"/programs/{program.id}"
    assert db.session.scalar(select(InviteLink.uses)) == 1


def test_tampered_and_made_up_tokens_are_not_found(client, program, cora):
    token = make_link(program, cora)
    assert client.get(path(token[:-2] + "xx")).status_code == 404
    assert client.get(path("WzEsICJ4Il0.abc")).status_code == 404
    forged = links.URLSafeSerializer("another-secret", salt=links.SALT).dumps([1, "guess"])
    assert client.get(path(forged)).status_code == 404


def test_max_uses_hold_under_concurrent_joins(app, make_user, program, cora):
    token = make_link(program, cora, max_uses=3)
    emails = [make_user().email for _ in range(8)]
    db.session.commit()

    def join(email: str) -> int:
        client = app.test_client()
        client.post("/auth/login", data={"email": email, "password": PASSWORD})
        return client.post(path(token)).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(join, emails))
    db.session.rollback()
    assert sorted(statuses) == [302] * 3 + [410] * 5
    assert db.session.scalar(select(InviteLink.uses)) == 3
    assert db.session.scalar(select(func.count(Member.id))) == 3


def test_coordinator_makes_a_link_and_sees_its_count(client, login, make_user, program, cora):
    login(cora)
    page = client.post(
        f"/programs/{program.id}/links",
        data={
            "link-role": "mentor",
            "link-expires_on": (date.today() + timedelta(days=14)).isoformat(),
            "link-email_domain": "example.com",
            "link-max_uses": "20",
        },
    )
    assert page.status_code == 302
    listed = client.get(f"/programs/{program.id}/links").text
    token = links.token_for(db.session.scalar(select(InviteLink)))
    assert f"http://localhost/programs/join/{token}" in listed
    assert "Addresses at @example.com" in listed and "0 of 20" in listed
    assert (date.today() + timedelta(days=14)).strftime("%d %b %Y") in listed  # the last day
    login(make_user(email="a@example.com"))
    client.post(path(token))
    login(cora)
    assert "1 of 20" in client.get(f"/programs/{program.id}/links").text


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("link-expires_on", "2001-01-01", "Choose a day from today on."),
        ("link-email_domain", "not a domain", "Enter a domain such as example.com"),
        ("link-max_uses", "0", "Enter 1 to 10,000"),
        ("link-role", "", "Choose mentors or mentees."),
    ],
)
def test_a_bad_link_form_is_shown_again(client, login, program, cora, field, value, message):
    login(cora)
    data = {
        "link-role": "mentee",
        "link-expires_on": (date.today() + timedelta(days=3)).isoformat(),
        "link-email_domain": "",
        "link-max_uses": "",
        field: value,
    }
    page = client.post(f"/programs/{program.id}/links", data=data)
    assert page.status_code == 422 and message in page.text
    assert db.session.scalar(select(func.count(InviteLink.id))) == 0


def test_only_coordinators_manage_links(client, login, make_user, program, cora):
    token = make_link(program, cora)
    login(make_user())
    assert client.get(f"/programs/{program.id}/links").status_code == 403
    assert client.post(f"/programs/{program.id}/links", data={}).status_code == 403
    assert client.post(f"/programs/{program.id}/links/1/revoke", data={"confirm": "yes"}) \
        .status_code == 403  # fmt: skip
    login(cora)
    assert client.get("/programs/999/links").status_code == 404
    assert client.get("/programs/999/links/1/revoke").status_code == 404
    client.post("/auth/logout")
    assert client.get(f"/programs/{program.id}/links").status_code == 302  # to sign in
    assert client.get(path(token)).status_code == 200  # the link itself is public


def test_a_closed_program_takes_nobody(client, login, make_user, program, cora):
    token = make_link(program, cora)
    program.status = "closed"
    db.session.commit()
    login(make_user())
    assert client.post(path(token)).status_code == 410
    assert members(program.id) == []
