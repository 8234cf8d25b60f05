"""Profiles: what people can teach and want to learn."""

from portal.extensions import db
from tests.conftest import topic_id


def test_edit_own_profile_with_topics(client, login, make_user):
    user = make_user(name="Helen Zhou")
    login(user)
    response = client.post(
        "/profile/edit",
        data={
            "name": "Helen Zhou",
            "job_title": "CTO",
            "seniority": "9",
            "bio": "Ask me about\nbudgets.",
            "timezone": "Europe/London",
            "expertise": [str(topic_id("leadership"))],
            "interests": [str(topic_id("social-media")), str(topic_id("accessibility"))],
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.job_title == "CTO" and user.seniority == 9 and user.timezone == "Europe/London"
    assert [t.slug for t in user.expertise] == ["leadership"]
    assert [t.slug for t in user.interests] == ["accessibility", "social-media"]
    page = client.get(f"/people/{user.id}").get_data(as_text=True)
    assert "CTO" in page and "9 of 10" in page and "Ask me about<br>" in page
    assert "Leadership" in page and "Social media" in page


def test_profile_form_rejects_bad_values_and_saves_nothing(client, login, make_user):
    user = make_user(name="Original")
    login(user)
    response = client.post(
        "/profile/edit",
        data={"name": "Changed", "seniority": "42", "timezone": "", "expertise": ["99999"]},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a level from 1 to 10." in page and "Choose topics from the list." in page
    db.session.refresh(user)
    assert user.name == "Original" and user.expertise == []


def test_someone_elses_profile_is_visible_but_not_editable(client, login, make_user):
    me, other = make_user(), make_user(name="Other Person")
    login(me)
    page = client.get(f"/people/{other.id}").get_data(as_text=True)
    assert "Other Person" in page and "Edit profile" not in page
    assert client.get("/people/999999").status_code == 404


def test_times_show_in_the_viewers_time_zone(client, login, make_user):
    from datetime import UTC, datetime

    user = make_user()
    user.created_at = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
    user.timezone = "Asia/Tokyo"  # already 1 February there
    db.session.commit()
    login(user)
    assert "February 2026" in client.get(f"/people/{user.id}").get_data(as_text=True)
