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
