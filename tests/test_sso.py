"""Single sign-on against a real OpenID provider on loopback (npm oidc-provider, provider.mjs).

The app runs under Flask's test client; the provider's side is a real HTTP conversation (its
redirects, its sign-in page, its token endpoint and keys). The provider's clients whose name
says how they misbehave hand out ID tokens the app must refuse.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, select

from portal.accounts.models import Identity, User
from portal.config import ConfigError, check, from_environment
from portal.extensions import db
from tests.conftest import PASSWORD
from tests.oidc import running, sign_in_at_provider
from tests.test_hostile_input import FORMS, string_limits_hold

APP = "http://localhost"  # the test client's host: FLIPSIDE_BASE_URL, so the redirect URI
LABEL = "Sign in with Contoso"


@pytest.fixture(scope="session")
def provider(tmp_path_factory):
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with running(f"{APP}/auth/sso/callback", log) as started:
        yield started


@pytest.fixture
def client_id():
    return "flipside"


@pytest.fixture
def sso_only():
    return False


@pytest.fixture
def csrf():
    return False


@pytest.fixture
def app_config(provider, client_id, sso_only, csrf):
    return {
        "WTF_CSRF_ENABLED": csrf,
        "FLIPSIDE_OIDC_ISSUER": provider.issuer,
        "FLIPSIDE_OIDC_CLIENT_ID": client_id,
        "FLIPSIDE_OIDC_CLIENT_SECRET": provider.secret(client_id),
        "FLIPSIDE_OIDC_LABEL": LABEL,
        "FLIPSIDE_BASE_URL": APP,
        "FLIPSIDE_SSO_ONLY": sso_only,
    }


def start(client) -> str:
    """Press the button on the sign-in page; return where it sends the browser."""
    answer = client.post("/auth/sso/start")
    assert answer.status_code == 302
    return answer.headers["Location"]


def to_callback(client, person: str = "ada") -> str:
    """Everything up to the provider sending the browser back: the callback's path."""
    return sign_in_at_provider(start(client), person, APP)


def sso(client, person: str = "ada"):
    return client.get(to_callback(client, person))


def signed_in_as(client) -> str | None:
    page = client.get("/profile/edit")
    if page.status_code != 200:
        return None
    return re.search(r'name="name"[^>]*value="([^"]*)"', page.get_data(as_text=True)).group(1)


def people() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


# The happy path --------------------------------------------------------------------------


def test_the_sign_in_page_shows_the_button_and_it_asks_for_pkce_state_and_nonce(client, provider):
    assert f">{LABEL}</button>" in client.get("/auth/login").get_data(as_text=True)
    url = urlsplit(start(client))
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}" == provider.issuer
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) >= 43
    assert query["state"] and query["nonce"] and query["response_type"] == "code"
    assert set(query["scope"].split()) == {"openid", "email", "profile"}
    assert query["redirect_uri"] == f"{APP}/auth/sso/callback"


def test_the_sign_in_pages_policy_lets_its_form_lead_to_the_provider(client, provider):
    """Browsers apply `form-action` to the redirect a form's answer makes (found in Chromium)."""
    policy = client.get("/auth/login").headers["Content-Security-Policy"]
    assert f"form-action 'self' {provider.issuer};" in policy + ";"
    assert (
        client.get("/auth/register")
        .headers["Content-Security-Policy"]
        .endswith("form-action 'self'")
    )


def test_a_first_sign_in_makes_the_account_from_the_verified_claims(client, provider):
    answer = sso(client, "ada")
    assert answer.status_code == 302 and answer.headers["Location"] == "/profile/edit"
    assert signed_in_as(client) == "Ada Okafor"
    user = db.session.scalar(select(User).where(User.email == "ada@contoso.example"))
    assert not user.has_password and not user.is_local_account
    identity = db.session.scalar(select(Identity).where(Identity.user_id == user.id))
    assert (identity.issuer, identity.subject) == (provider.issuer, "ada")


def test_later_sign_ins_go_straight_in_to_the_same_account(client):
    sso(client, "ada")
    client.post("/auth/logout")
    assert signed_in_as(client) is None
    answer = sso(client, "ada")
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert signed_in_as(client) == "Ada Okafor"
    assert people() == 1


def test_without_configuration_there_is_no_button_and_no_flow(tmp_path, database):
    from tests.conftest import make_app

    app = make_app(tmp_path, database)
    with app.app_context():
        client = app.test_client()
        assert "sso" not in client.get("/auth/login").get_data(as_text=True)
        assert client.post("/auth/sso/start").status_code == 404
        assert client.get("/auth/sso/callback?code=x&state=y").status_code == 404


# Linking an account that has a password ----------------------------------------------------


def test_an_existing_password_account_is_linked_only_after_its_password(client, make_user):
    leo = make_user("Leo Martins", "leo@flipside.example")
    answer = sso(client, "leo")
    assert answer.status_code == 302
    link = answer.headers["Location"]
    assert link.startswith("/auth/sso/link/")
    assert signed_in_as(client) is None  # the provider vouching for the address is not enough
    page = client.get(link).get_data(as_text=True)
    assert "An account with this email exists" in page and "leo@flipside.example" in page

    assert client.post(link, data={"password": "not it at all"}).status_code == 422
    assert signed_in_as(client) is None
    assert db.session.scalar(select(func.count()).select_from(Identity)) == 0

    assert client.post(link, data={"password": PASSWORD}).status_code == 302
    assert signed_in_as(client) == "Leo Martins"
    assert db.session.scalar(select(Identity.user_id)) == leo.id

    client.post("/auth/logout")
    assert sso(client, "leo").headers["Location"] == "/"  # from now on, straight in
    assert signed_in_as(client) == "Leo Martins"
    assert people() == 1


def test_wrong_passwords_on_the_link_page_count_like_sign_ins(client, make_user):
    make_user("Leo Martins", "leo@flipside.example")
    link = sso(client, "leo").headers["Location"]
    answers = [client.post(link, data={"password": f"guess {n}"}).status_code for n in range(11)]
    assert answers == [422] * 10 + [429]
    assert client.post(link, data={"password": PASSWORD}).status_code == 429
    assert signed_in_as(client) is None


def test_a_link_page_that_was_tampered_with_or_expired_does_not_work(client, make_user):
    make_user("Leo Martins", "leo@flipside.example")
    link = sso(client, "leo").headers["Location"]
    forged = link[:-3] + ("abc" if not link.endswith("abc") else "xyz")
    assert client.get(forged).status_code == 410
    assert client.post(forged, data={"password": PASSWORD}).status_code == 410
    assert signed_in_as(client) is None


def test_an_imported_account_without_a_password_is_linked_by_its_verified_email(client):
    db.session.add(User(email="ada@contoso.example", name="Ada (imported)", password_hash=""))
    db.session.commit()
    assert sso(client, "ada").status_code == 302
    assert signed_in_as(client) == "Ada (imported)"
    assert people() == 1


def test_a_deactivated_account_is_refused(client):
    sso(client, "ada")
    client.post("/auth/logout")
    db.session.execute(db.update(User).values(is_active_account=False))
    db.session.commit()
    answer = sso(client, "ada")
    assert answer.status_code == 403
    assert "deactivated" in answer.get_data(as_text=True)
    assert signed_in_as(client) is None


# Answers that must be refused --------------------------------------------------------------


def refused(answer, status=400, text="We could not sign you in") -> bool:
    return answer.status_code == status and text in answer.get_data(as_text=True)


def test_a_callback_with_another_state_is_refused(client):
    path = to_callback(client, "ada")
    forged = re.sub(r"state=[^&]+", "state=somebody-elses-state", path)
    assert refused(client.get(forged))
    assert signed_in_as(client) is None and people() == 0


def test_a_replayed_code_is_refused_even_with_the_session_it_was_made_for(client):
    """An attacker holding the callback URL and the cookie from before it was used."""
    path = to_callback(client, "ada")
    before = client.get_cookie("flipside").value  # the session holding state, nonce, verifier
    assert client.get(path).status_code == 302
    client.post("/auth/logout")
    client.set_cookie("flipside", before)
    assert refused(client.get(path))
    assert signed_in_as(client) is None


@pytest.mark.parametrize(
    "client_id",
    [
        "flipside-bad-signature",
        "flipside-wrong-audience",
        "flipside-expired",
        "flipside-wrong-nonce",
        "flipside-wrong-issuer",
        "flipside-no-id-token",
    ],
)
def test_an_id_token_that_fails_verification_signs_nobody_in(client, client_id, caplog):
    caplog.set_level(logging.WARNING, "flipside.audit")
    assert refused(sso(client, "ada"))
    assert signed_in_as(client) is None and people() == 0
    assert "single sign-on refused (failed)" in caplog.text


@pytest.mark.parametrize("person", ["uma", "nico"])  # email_verified false / missing
def test_an_unverified_email_is_refused_with_a_page_that_says_so(client, person):
    answer = sso(client, person)
    assert refused(answer, 403, "Your email address is not verified")
    assert signed_in_as(client) is None and people() == 0


def test_a_provider_that_does_not_answer_is_a_clear_page(tmp_path, database):
    from tests.conftest import make_app

    app = make_app(
        tmp_path,
        database,
        FLIPSIDE_OIDC_ISSUER="http://127.0.0.1:9",
        FLIPSIDE_OIDC_CLIENT_ID="flipside",
        FLIPSIDE_OIDC_CLIENT_SECRET="s",
    )
    with app.app_context():
        answer = app.test_client().post("/auth/sso/start")
    assert refused(answer, 502, "did not answer")


def test_the_person_cancelling_at_the_provider_is_a_clear_page(client):
    answer = client.get("/auth/sso/callback?error=access_denied&state=x")
    assert refused(answer, 400, "did not finish")


def test_secrets_never_reach_the_log(client, provider, caplog):
    caplog.set_level(logging.DEBUG)
    path = to_callback(client, "ada")
    client.get(path)
    code = parse_qs(urlsplit(path).query)["code"][0]
    assert "signed in by single sign-on" in caplog.text
    for secret in (provider.secret("flipside"), code, "code_verifier", "id_token"):
        assert secret not in caplog.text


@pytest.mark.parametrize("csrf", [True])
def test_the_sso_forms_refuse_a_post_without_the_csrf_token(client, make_user):
    assert client.post("/auth/sso/start").status_code == 400
    make_user("Leo Martins", "leo@flipside.example")
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    location = client.post("/auth/sso/start", data={"csrf_token": token}).headers["Location"]
    link = client.get(sign_in_at_provider(location, "leo", APP)).headers["Location"]
    assert client.post(link, data={"password": PASSWORD}).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Identity)) == 0


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(form=FORMS)
def test_the_sso_forms_survive_hostile_input(client, make_user, form):
    if not getattr(client.application, "_link", None):
        make_user("Leo Martins", "leo@flipside.example")
        client.application._link = sso(client, "leo").headers["Location"]
    for path in (client.application._link, "/auth/sso/start"):
        assert client.post(path, data=form).status_code < 500
    assert string_limits_hold() == []


# FLIPSIDE_SSO_ONLY -------------------------------------------------------------------------


@pytest.mark.parametrize("sso_only", [True])
def test_sso_only_refuses_passwords_but_not_the_local_account(client, make_user, runner):
    member = make_user(email="member@example.org")
    answer = client.post("/auth/login", data={"email": member.email, "password": PASSWORD})
    assert answer.status_code == 422
    assert "local administrator account" in answer.get_data(as_text=True)
    assert signed_in_as(client) is None

    made = runner.invoke(
        args=[
            "create-user",
            "--email",
            "admin@example.org",
            "--name",
            "Break Glass",
            "--coordinator",
            "--password",
            PASSWORD,
        ]  # fmt: skip
    )
    assert made.exit_code == 0, made.output
    answer = client.post("/auth/login", data={"email": "admin@example.org", "password": PASSWORD})
    assert answer.status_code == 302
    assert signed_in_as(client) == "Break Glass"


@pytest.mark.parametrize("sso_only", [True])
def test_sso_only_turns_sign_up_and_password_reset_off(client, make_user):
    from portal.accounts.reset import reset_token
    from portal.notifications.models import OutboxMessage

    page = client.get("/auth/login").get_data(as_text=True)
    assert "Local administrator accounts" in page and "Create an account" not in page
    assert ">Sign up</a>" not in page
    assert "Accounts come from your organisation" in client.get("/auth/register").get_data(
        as_text=True
    )
    data = {"name": "New", "email": "new@example.org", "seniority": "3",
            "password": "a long enough secret", "confirm": "a long enough secret"}  # fmt: skip
    assert client.post("/auth/register", data=data).status_code == 403
    assert people() == 0

    member = make_user(email="member@example.org")
    client.post("/auth/forgot", data={"email": member.email})
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert client.get(f"/auth/reset/{reset_token(member)}").status_code == 410
    assert sso(client, "ada").status_code == 302  # single sign-on itself works


# Configuration -------------------------------------------------------------------------------


def test_settings_come_from_the_environment_and_half_a_configuration_is_refused(tmp_path):
    env = {
        "FLIPSIDE_OIDC_ISSUER": "https://login.contoso.example/",
        "FLIPSIDE_OIDC_CLIENT_ID": "flipside",
        "FLIPSIDE_OIDC_CLIENT_SECRET": "s3cret",
        "FLIPSIDE_OIDC_LABEL": LABEL,
        "FLIPSIDE_SSO_ONLY": "1",
    }
    config = from_environment(str(tmp_path), env=env)
    assert config["FLIPSIDE_OIDC_ISSUER"] == "https://login.contoso.example"
    assert config["FLIPSIDE_OIDC_LABEL"] == LABEL and config["FLIPSIDE_SSO_ONLY"] is True
    check(config)
    with pytest.raises(ConfigError, match="FLIPSIDE_OIDC_CLIENT_SECRET"):
        check({**config, "FLIPSIDE_OIDC_CLIENT_SECRET": None})
    with pytest.raises(ConfigError, match="FLIPSIDE_SSO_ONLY"):
        check(from_environment(str(tmp_path), env={"FLIPSIDE_SSO_ONLY": "1"}))
    with pytest.raises(ConfigError, match="https://"):
        check({**config, "FLIPSIDE_OIDC_ISSUER": "http://login.contoso.example"})
    assert from_environment(str(tmp_path), env={})["FLIPSIDE_SSO_ONLY"] is False
