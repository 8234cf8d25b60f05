"""Importing people from a CSV file: who may, the preview, the import, re-importing, the
welcome email and first password, files refused whole, and the cost in queries."""

import io
import re

import pytest
from sqlalchemy import func, select

from portal.accounts.models import PeopleImport, User
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.conftest import PASSWORD

HEADER = "name,email,job title,seniority,topics they teach,topics they learn\n"
FILE = (
    HEADER
    + "Priya Raman,priya@example.org,Graduate analyst,2,social-media;accessibility,leadership\n"
    + "Tom Okafor,tom@example.org,Apprentice,1,Accessibility,\n"
)


def upload(client, content: str | bytes, name="people.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        "/people/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def digest_of(page: str) -> str:
    return re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', page).group(1)


def preview_and_import(client, content):
    response = upload(client, content)
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.location).get_data(as_text=True)
    return client.post(response.location, data={"digest": digest_of(page)}), response.location


def people() -> int:
    return db.session.scalar(select(func.count(User.id)))


@pytest.fixture
def coordinator(make_user, login):
    person = make_user("Cora Coordinator", coordinator=True)
    login(person)
    return person


@pytest.mark.parametrize(
    "role, expected",
    [("anonymous", 302), ("mentee", 403), ("mentor", 403), ("coordinator", 200)],
)
def test_only_coordinators_may_import(client, login, make_user, role, expected):
    if role != "anonymous":
        login(make_user(coordinator=role == "coordinator"))
    assert client.get("/people/import").status_code == expected
    assert upload(client, FILE).status_code in ({302} if role == "coordinator" else {expected})
    if role != "coordinator":
        assert db.session.scalar(select(func.count(PeopleImport.id))) == 0


def test_the_preview_saves_nobody_and_the_import_exactly_the_preview(client, coordinator):
    before = people()
    response = upload(client, FILE)
    page = client.get(response.location).get_data(as_text=True)
    assert "Priya Raman" in page and "New" in page and "Import these people" in page
    assert people() == before  # a dry run
    done = client.post(response.location, data={"digest": digest_of(page)})
    assert done.status_code == 302
    priya = db.session.scalar(select(User).where(User.email == "priya@example.org"))
    assert (priya.name, priya.job_title, priya.seniority) == ("Priya Raman", "Graduate analyst", 2)
    assert {t.slug for t in priya.expertise} == {"social-media", "accessibility"}
    assert [t.slug for t in priya.interests] == ["leadership"]
    assert not priya.has_password and people() == before + 2
    assert "2 new accounts" in client.get(done.location).get_data(as_text=True)


def test_re_importing_the_same_file_changes_nothing(client, coordinator):
    preview_and_import(client, FILE)
    mails = db.session.scalar(select(func.count(OutboxMessage.id)))
    response = upload(client, FILE)
    page = client.get(response.location).get_data(as_text=True)
    assert "Importing would change nothing" in page and "Import these people" not in page
    assert page.count("<strong>Unchanged</strong>") == 2
    client.post(response.location, data={"digest": digest_of_plan(response.location)})
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == mails


def digest_of_plan(location: str) -> str:
    from portal.accounts import importing
    from portal.accounts import people_import as parser

    kept = db.session.get(PeopleImport, int(location.rsplit("/", 1)[1]))
    return parser.digest(importing.plan_for(kept.content))


def test_an_existing_account_is_updated_and_keeps_what_the_file_leaves_empty(
    client, coordinator, make_user
):
    helen = make_user("Helen Z", "helen@example.org", job_title="Director")
    response = upload(client, HEADER + "Helen Zhou,HELEN@example.org,,9,,leadership\n")
    page = client.get(response.location).get_data(as_text=True)
    assert (
        "Updated" in page
        and "Name becomes “Helen Zhou”; Seniority becomes “9”; Topics learnt becomes Leadership"
        in page
    )
    client.post(response.location, data={"digest": digest_of(page)})
    db.session.refresh(helen)
    assert (helen.name, helen.job_title, helen.seniority) == ("Helen Zhou", "Director", 9)
    assert [t.slug for t in helen.interests] == ["leadership"] and helen.has_password


def test_a_row_error_blocks_the_whole_import(client, coordinator):
    before = people()
    response = upload(client, FILE + "Bad Row,not-an-email\nTwice,priya@example.org\n")
    page = client.get(response.location).get_data(as_text=True)
    assert "2 rows to fix before importing" in page and "Import these people" not in page
    assert "is not an email address" in page and "already on line 2" in page
    forced = client.post(response.location, data={"digest": digest_of_plan(response.location)})
    assert forced.status_code == 409 and people() == before


def test_an_import_whose_accounts_changed_since_the_preview_is_previewed_again(
    client, coordinator, make_user
):
    response = upload(client, FILE)
    digest = digest_of(client.get(response.location).get_data(as_text=True))
    make_user("Priya R", "priya@example.org")  # someone signs up meanwhile
    before = people()
    again = client.post(response.location, data={"digest": digest})
    assert again.status_code == 409 and "changed since this preview" in again.get_data(as_text=True)
    assert people() == before


@pytest.mark.parametrize(
    "content, message",
    [
        ("name,email\nZo\xeb,zoe@example.org\n".encode("cp1252"), "not UTF-8"),
        (b"name,job title\nA,b\n", "no email column"),
        (b"", "Choose a CSV file"),
    ],
)
def test_a_refused_file_says_why_and_keeps_nothing(client, coordinator, content, message):
    response = upload(client, content)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(PeopleImport.id))) == 0


def test_ten_megabytes_are_refused_by_size_before_parsing(client, coordinator):
    body = (
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
        + b"a" * 10 * 1024 * 1024
        + b"\r\n--x--\r\n"
    )  # raw bytes: the test client would spool a form this big to a file nobody closes
    response = client.post(
        "/people/import", data=body, content_type="multipart/form-data; boundary=x"
    )
    assert response.status_code == 413
    assert "larger than 2 MB" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(PeopleImport.id))) == 0


def test_another_coordinators_upload_is_not_found(client, coordinator, make_user, login):
    location = upload(client, FILE).location
    login(make_user(coordinator=True))
    assert client.get(location).status_code == 404


def test_a_new_person_chooses_a_password_through_the_welcome_email(client, coordinator, login):
    preview_and_import(client, FILE)
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.to_address == "priya@example.org")
    )
    assert "choose a password" in message.subject
    link = re.search(r"https?://[^/\s]+(/auth/reset/\S+)", message.text_body).group(1)
    client.post("/auth/logout")
    refused = client.post("/auth/login", data={"email": "priya@example.org", "password": "x"})
    assert refused.status_code == 422 and "do not match" in refused.get_data(as_text=True)
    page = client.get(link).get_data(as_text=True)
    assert "Choose your password" in page
    client.post(link, data={"password": PASSWORD + "!", "confirm": PASSWORD + "!"})
    assert login("priya@example.org", PASSWORD + "!").status_code == 302
    assert client.get(link).status_code == 410  # used once


def _file(rows: int, title: str = "Analyst") -> str:
    return HEADER + "".join(
        f"Person {i},p{i}-of-{rows}@example.org,{title},{1 + i % 10},accessibility,leadership\n"
        for i in range(rows)
    )


def test_preview_and_import_take_the_same_queries_for_10_and_300_rows(
    client, coordinator, count_queries
):
    """New people at two sizes, then the same people updated: the counts do not grow."""
    counts = []
    for size in (10, 300):
        for title in ("Analyst", "Senior analyst"):  # new, then updated
            location = upload(client, _file(size, title)).location
            with count_queries() as preview:
                page = client.get(location).get_data(as_text=True)
            with count_queries() as applied:
                client.post(location, data={"digest": digest_of(page)})
            counts.append((size, title, len(preview), len(applied)))
    assert [c[2:] for c in counts[:2]] == [c[2:] for c in counts[2:]], counts
    titles = db.session.scalars(select(User.job_title).where(User.email.like("p%-of-%"))).all()
    assert len(titles) == 310 and set(titles) == {"Senior analyst"}


def test_the_welcome_link_lasts_two_weeks_a_reset_link_an_hour(app, make_user, monkeypatch):
    import itsdangerous

    from portal.accounts import reset

    person = make_user()
    person.password_hash = ""
    db.session.commit()
    welcome, reset_link = reset.welcome_token(person.id), reset.reset_token(person)
    now = itsdangerous.timed.time.time()
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + 13 * 86400)
    assert reset.user_for(welcome) == person and reset.user_for(reset_link) is None
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + 15 * 86400)
    assert reset.user_for(welcome) is None
