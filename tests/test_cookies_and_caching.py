"""What a browser or a proxy may keep: the remember-me cookie stays on this site (SameSite), pages
are never stored (Cache-Control: no-store), static files cache as before; and the personal
calendar feed's address can be reset, after which the old one answers 404."""

import re

import pytest
from itsdangerous import URLSafeSerializer

from portal.programs import surveys
from tests.conftest import PASSWORD
from tests.test_program_care import paired as paired  # a fixture


def test_the_remember_me_cookie_is_same_site_lax(client, make_user):
    user = make_user()
    response = client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember and "SameSite=Lax" in remember[0] and "HttpOnly" in remember[0]


def test_signed_in_pages_are_never_stored(client, login, make_user):
    login(make_user())
    for path in ("/", "/sessions/", "/profile/edit", "/no-such-page"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_the_page_with_single_use_survey_links_is_never_stored(client, paired):
    program, _match, p = paired
    created = client.post(
        f"/programs/{program.id}/surveys",
        data={
            "survey-subject": str(p["margaret"].id),
            "survey-title": "Baseline",
            "survey-phase": "baseline",
            "survey-questions": "\n".join(surveys.LEADERSHIP_TEMPLATE),
        },
    )
    links = client.post(created.location, data={"links-count": "2"})
    assert links.status_code == 200 and links.headers["Cache-Control"] == "no-store"


def test_static_files_keep_their_caching(client):
    response = client.get("/static/css/" + _a_stylesheet(client))
    response.close()
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
    assert response.headers["ETag"]  # revalidated, not fetched again


def _a_stylesheet(client) -> str:
    page = client.get("/auth/login").get_data(as_text=True)
    return re.search(r'/static/css/([^"?]+)', page).group(1)


def feed_path(client) -> str:
    page = client.get("/sessions/").get_data(as_text=True)
    return re.search(r'id="feed-url" readonly value="http://localhost([^"]+)"', page).group(1)


def test_resetting_the_calendar_link_makes_the_old_one_answer_404(client, login, make_user):
    login(make_user())
    old = feed_path(client)
    assert client.get(old).status_code == 200
    confirm = client.get("/sessions/calendar-link").get_data(as_text=True)
    assert "stops working" in confirm and "Reset my calendar link" in confirm
    assert client.get(old).status_code == 200  # asking changes nothing
    assert client.post("/sessions/calendar-link").status_code == 302
    new = feed_path(client)
    assert new != old
    assert client.get(old).status_code == 404
    feed = client.get(new)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"


def test_a_link_made_before_resets_existed_works_until_the_first_reset(app, client, login):
    from portal.accounts.services import create_user

    person = create_user("old@example.org", "Old Link", PASSWORD, hash_method="pbkdf2:sha256:1")
    legacy = URLSafeSerializer(app.secret_key, salt="calendar-feed").dumps(person.id)
    assert client.get(f"/calendar/{legacy}.ics").status_code == 200
    login(person)
    client.post("/sessions/calendar-link")
    assert client.get(f"/calendar/{legacy}.ics").status_code == 404


def test_a_disabled_account_has_no_calendar_feed(client, login, make_user):
    from portal.accounts.services import set_active

    person = make_user()
    login(person)
    path = feed_path(client)
    set_active(person, False)
    assert client.get(path).status_code == 404


def test_only_the_signed_in_person_can_reset_their_link(client):
    response = client.post("/sessions/calendar-link")
    assert response.status_code == 302 and "/auth/login" in response.location


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_resetting_the_link_needs_the_form_token(client, make_user):
    user = make_user()
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    old = feed_path(client)
    assert client.post("/sessions/calendar-link").status_code == 400
    assert client.get(old).status_code == 200
    form = client.get("/sessions/calendar-link").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert client.post("/sessions/calendar-link", data={"csrf_token": token}).status_code == 302
    assert client.get(old).status_code == 404
