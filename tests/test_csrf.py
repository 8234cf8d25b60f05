"""With CSRF protection on, as in production, a POST without a valid token changes nothing."""

import pytest
from sqlalchemy import func, select

from lessons.models import Lesson
from portal.accounts.models import User
from portal.extensions import db
from tests.conftest import PASSWORD


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_sign_up_without_token_is_refused(client):
    response = client.post(
        "/auth/register",
        data={
            "name": "A",
            "email": "a@example.org",
            "seniority": "1",
            "password": "long enough",
            "confirm": "long enough",
        },
    )
    assert response.status_code == 400
    assert "expired or was sent from elsewhere" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_lesson_post_without_token_is_refused(client, make_user, make_lesson):
    user = make_user()
    lesson = make_lesson(user)
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    signed_in = client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302
    for path in (f"/lessons/{lesson.id}/status", f"/lessons/{lesson.id}/edit", "/lessons/new"):
        assert client.post(path, data={"status": "archived", "title": "X"}).status_code == 400
    assert db.session.get(Lesson, lesson.id).status == "published"
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 1


def every_row() -> dict[str, list[tuple]]:
    db.session.expire_all()
    return {
        table.name: [tuple(r) for r in db.session.execute(select(table).order_by(*table.c))]
        for table in db.metadata.sorted_tables
    }


def sign_in_with_token(client, person) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    answer = client.post(
        "/auth/login", data={"email": person.email, "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 302


def test_every_post_route_refuses_a_post_without_token(app, world, make_user, submit):
    """Each POST route of the URL map, on real objects, posted by everyone who might be
    allowed to: 400 and not one row changed."""
    from tests.objects import every_kind, post_urls

    objects = every_kind(world, make_user, submit())
    urls = post_urls(app, objects)
    assert len(urls) >= 55 and "feedback.submission /submissions/<int:submission_id>" in urls
    before = every_row()
    accepted = {}
    for name, person in [*sorted(vars(objects.people).items()), ("nobody", None)]:
        client = app.test_client()
        if person is not None:
            sign_in_with_token(client, person)
        for route, path in sorted(urls.items()):
            status = client.post(path, data={"title": "X", "body": "X", "name": "X"}).status_code
            if status != 400:
                accepted[f"{name}: {route}"] = status
        assert every_row() == before, name
    assert accepted == {}


def test_only_the_listed_routes_go_without_csrf(app):
    from tests.objects import CSRF_EXEMPT

    exempt = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if f"{app.view_functions[rule.endpoint].__module__}.{rule.endpoint.split('.')[-1]}"
        in app.extensions["csrf"]._exempt_views
    }
    assert exempt == CSRF_EXEMPT
