"""Error pages render, with every security header, even when the database is down."""

import pytest
from sqlalchemy.exc import OperationalError

from portal.extensions import db
from portal.hooks import CONTENT_SECURITY_POLICY
from tests.conftest import make_app

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


@pytest.fixture
def broken_app(tmp_path):
    """The same portal (same secret key) whose database cannot be opened."""
    broken = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing-dir/nothing.db"}
    app = make_app(tmp_path, broken, PROPAGATE_EXCEPTIONS=False)
    yield app
    with app.app_context():
        db.engine.dispose()


def _signed_in_client(client, login, make_user, broken_app):
    login(make_user("Dana Down"))
    other = broken_app.test_client()
    for cookie in client._cookies.values():
        other.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    return other


@pytest.mark.parametrize(
    ("path", "status", "title"),
    [
        ("/", 503, "The portal is unavailable for a moment"),
        ("/lessons/", 503, "The portal is unavailable for a moment"),
        ("/sessions/", 503, "The portal is unavailable for a moment"),
        ("/no-such-page", 404, "We couldn&#39;t find that page"),
    ],
)
def test_database_down_shows_the_error_page_with_every_header(
    client, login, make_user, broken_app, path, status, title
):
    down = _signed_in_client(client, login, make_user, broken_app)
    response = down.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == status, page
    assert f"<h1>{title}</h1>" in page
    assert "Internal Server Error" not in page
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, name


def test_a_user_loader_that_cannot_reach_the_database(client, login, make_user, app, monkeypatch):
    """The page's own lookup of the signed-in person fails: the error page must not repeat it."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    login(make_user("Dana Down"))

    def unreachable(_session_id):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(app.login_manager, "_user_callback", unreachable)
    response = client.get("/")
    assert response.status_code == 503
    assert "Sign in" in response.get_data(as_text=True)  # shown as to a visitor
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
