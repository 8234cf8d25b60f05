"""Topics: seeded, listed, and managed by coordinators."""

from sqlalchemy import select

from portal.extensions import db
from portal.topics import Topic


def test_three_topics_exist_from_the_start(client, login, make_user):
    login(make_user())
    page = client.get("/topics/").get_data(as_text=True)
    for name in ("Social media", "Accessibility", "Leadership"):
        assert name in page
    assert "Add a topic" not in page


def test_coordinator_adds_and_edits_a_topic(client, login, make_user):
    login(make_user(coordinator=True))
    response = client.post(
        "/topics/new",
        data={"name": "Diversity & inclusion", "slug": "diversity", "description": "Belonging."},
    )
    assert response.location == "/topics/diversity"
    client.post(
        "/topics/diversity/edit",
        data={"name": "Diversity, equity & inclusion", "slug": "dei", "description": ""},
    )
    topic = db.session.scalar(select(Topic).where(Topic.slug == "dei"))
    assert topic.name == "Diversity, equity & inclusion"
    assert "Diversity, equity &amp; inclusion" in client.get("/topics/dei").get_data(as_text=True)


def test_topic_form_errors(client, login, make_user):
    login(make_user(coordinator=True))
    duplicate = client.post("/topics/new", data={"name": "X", "slug": "leadership"})
    assert duplicate.status_code == 422
    assert "Another topic already uses this address." in duplicate.get_data(as_text=True)
    bad_slug = client.post("/topics/new", data={"name": "X", "slug": "Not A Slug!"})
    assert bad_slug.status_code == 422 and "lower-case" in bad_slug.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(Topic)) == 3


def test_only_coordinators_manage_topics(client, login, make_user):
    login(make_user())
    assert client.get("/topics/new").status_code == 403
    assert client.post("/topics/new", data={"name": "X", "slug": "x"}).status_code == 403
    assert (
        client.post("/topics/leadership/edit", data={"name": "Y", "slug": "y"}).status_code == 403
    )
    assert db.session.scalar(select(Topic.name).where(Topic.slug == "leadership")) == "Leadership"
