"""The people directory and the pickers built on it: search by name, job title and topics,
only profile fields, pages of a fixed number of queries, and choosing among many people by
searching (ticked people kept) in the program invitation and the session roster."""

import re

import pytest
from sqlalchemy import insert, select

from portal.accounts.models import User, user_expertise
from portal.extensions import db
from portal.programs.models import Member
from portal.topics import Topic
from tests.conftest import topic_id
from tests.test_programs import make_program
from tests.test_sessions import form as session_form


def names(page: str) -> list[str]:
    return re.findall(r'<a href="/people/\d+">([^<]+)</a>', page)


@pytest.fixture
def people(make_user):
    priya = make_user("Priya Raman", "priya@example.org", job_title="Graduate analyst")
    helen = make_user("Helen Zhou", job_title="Director of finance", seniority=9)
    tom = make_user("Tom Okafor", job_title="Apprentice")
    priya.expertise = [db.session.get_one(Topic, topic_id("accessibility"))]
    db.session.commit()
    return priya, helen, tom


def test_anyone_signed_in_may_search_and_nobody_else(client, login, people):
    assert client.get("/people").status_code == 302  # to sign in
    login(people[2])
    assert client.get("/people").status_code == 200


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=priya", ["Priya Raman"]),
        ("q=DIRECTOR", ["Helen Zhou"]),
        ("q=accessib", ["Priya Raman"]),  # a topic she teaches
        ("teaches=accessibility", ["Priya Raman"]),
        ("q=o", ["Helen Zhou", "Tom Okafor"]),
        ("q=100%25", []),  # % is a character, not a wildcard
    ],
)
def test_search_by_name_job_title_and_topics(client, login, people, query, expected):
    login(people[1])
    page = client.get(f"/people?{query}").get_data(as_text=True)
    assert [n for n in names(page) if n in {"Priya Raman", "Helen Zhou", "Tom Okafor"}] == expected
    if not expected:
        assert "Nobody matches" in page


def test_only_profile_fields_are_shown(client, login, people):
    login(people[1])
    page = client.get("/people?q=priya").get_data(as_text=True)
    assert "Graduate analyst" in page and "Accessibility" in page
    assert "priya@example.org" not in page


def test_a_deactivated_account_is_not_listed(client, login, people):
    people[0].is_active_account = False
    db.session.commit()
    login(people[1])
    assert "Priya Raman" not in client.get("/people?q=priya").get_data(as_text=True)


def _bulk_people(n: int, start: int) -> None:
    rows = [
        {
            "email": f"bulk{start + i}@example.org",
            "name": f"Bulk {start + i:04d}",
            "password_hash": "",
            "job_title": "Analyst",
        }
        for i in range(n)
    ]
    ids = [r[0] for r in db.session.execute(insert(User).returning(User.id), rows)]
    db.session.execute(
        insert(user_expertise), [{"user_id": i, "topic_id": topic_id("leadership")} for i in ids]
    )
    db.session.commit()


def test_a_page_takes_the_same_queries_for_few_and_many_people(
    client, login, people, count_queries
):
    login(people[1])
    counts = []
    for extra in (5, 60):
        _bulk_people(extra, len(counts) * 1000)
        with count_queries() as statements:
            page = client.get("/people?q=bulk&page=2").get_data(as_text=True)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert "Page 2 of 3" in page  # 65 people, 25 a page


def test_the_program_picker_is_a_search_that_keeps_the_ticked(client, login, make_user, people):
    coordinator = make_user("Cora", coordinator=True)
    _bulk_people(60, 0)
    program = make_program(coordinator)
    login(coordinator)
    page = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert page.count('name="invite-people"') == 20  # not 60 checkboxes
    assert "Showing 20 of" in page
    priya, helen, _tom = people
    found = client.post(
        f"/programs/{program.id}/invite",
        data={"invite-q": "helen", "invite-find": "Search", "invite-people": [str(priya.id)]},
    )
    text = found.get_data(as_text=True)
    assert found.status_code == 200
    assert re.search(rf'checked[^>]*value="{priya.id}"|value="{priya.id}"[^>]*checked', text)
    assert f'value="{helen.id}"' in text and "Bulk 0001" not in text
    assert db.session.scalars(select(Member)).all() == []  # a search invites nobody
    client.post(
        f"/programs/{program.id}/invite",
        data={"invite-role": "mentor", "invite-people": [str(priya.id), str(helen.id)]},
    )
    assert {m.user_id for m in db.session.scalars(select(Member))} == {priya.id, helen.id}
    again = client.get(f"/programs/{program.id}?invite-q=helen").get_data(as_text=True)
    assert f'value="{helen.id}"' not in again and "Nobody else matches" in again


def test_the_session_roster_picker_searches_too(client, login, world):
    login(world.mentor)
    page = client.post(
        "/sessions/new",
        data=session_form(world, invitees=[str(world.mentee.id)], q="olga", find="Search"),
    ).get_data(as_text=True)
    assert 'value="Alt text clinic"' in page  # the rest of the form is kept
    assert f'value="{world.other_mentee.id}"' in page  # Olga Other, found
    assert f'value="{world.other_mentor.id}"' not in page
    from lessons.sessions.models import GroupSession

    assert db.session.scalars(select(GroupSession)).all() == []
