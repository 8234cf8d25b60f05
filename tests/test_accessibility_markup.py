"""What the accessibility issue asks of the markup itself (the browser audit checks the rest):
error titles, autocomplete, character counts, names in context, headings and titles."""

from __future__ import annotations

import re

from portal.accounts import mentorships
from tests.conftest import topic_id


def title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S)[1]


def test_a_form_shown_again_with_errors_says_so_first_in_the_title(client, make_user):
    failed = client.post("/auth/login", data={"email": "", "password": ""})
    assert failed.status_code == 422
    assert title(failed.get_data(as_text=True)) == "Error: Sign in · Flipside"
    assert title(client.get("/auth/login").get_data(as_text=True)) == "Sign in · Flipside"


def attributes(page: str, name: str) -> dict[str, str]:
    tag = re.search(rf'<(?:input|textarea|select)[^>]*\bname="{name}"[^>]*>', page)[0]
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def test_personal_fields_say_what_they_are_for_autofill(client, make_user, login):
    sign_in = client.get("/auth/login").get_data(as_text=True)
    assert attributes(sign_in, "email")["autocomplete"] == "username"
    assert attributes(sign_in, "password")["autocomplete"] == "current-password"
    sign_up = client.get("/auth/register").get_data(as_text=True)
    expected = {"name": "name", "email": "email", "password": "new-password"}
    expected["job_title"] = "organization-title"
    for field, purpose in expected.items():
        assert attributes(sign_up, field)["autocomplete"] == purpose, field
    login(make_user())
    profile = client.get("/profile/edit").get_data(as_text=True)
    assert attributes(profile, "name")["autocomplete"] == "name"
    assert attributes(profile, "job_title")["autocomplete"] == "organization-title"


def test_long_text_says_its_limit_and_is_not_cut_off(client, make_user, login):
    login(make_user())
    page = client.get("/lessons/new").get_data(as_text=True)
    body = attributes(page, "body")
    assert "maxlength" not in body and body["data-limit"] == "30000"
    assert "body-count" in body["aria-describedby"].split()
    assert (
        '<p class="help character-count" id="body-count">You can enter up to 30,000 characters.'
        in page
    )


def test_repeated_buttons_name_what_they_act_on(client, login, make_user):
    junior = make_user("Jun Junior")
    for name in ("Helen Zhou", "Omar Obi"):
        mentorships.request_mentorship(
            make_user(name), junior, "mentee", [topic_id("accessibility")]
        )
    login(junior)
    page = client.get("/").get_data(as_text=True)
    for name in ("Helen Zhou", "Omar Obi"):
        assert f'Accept<span class="visually-hidden"> the mentorship with {name}</span>' in page
        assert f'Decline<span class="visually-hidden"> the mentorship with {name}</span>' in page


def test_the_library_lists_lessons_one_heading_level_below_its_title(client, world, login):
    login(world.mentee)
    page = client.get("/lessons/").get_data(as_text=True)
    assert "<h1>Lesson library</h1>" in page
    assert re.search(r'<h2><a href="/lessons/\d+">Alt text</a>', page)
    assert "<h3><a href" not in page


def test_two_answers_to_one_lesson_have_titles_of_their_own(client, world, submit, login):
    first, second = submit(world.task), submit(world.task2)
    login(world.mentor)
    titles = {
        title(client.get(f"/submissions/{s.id}").get_data(as_text=True)) for s in (first, second)
    }
    assert titles == {
        "Margaret Mentee: task 1 of Alt text · Flipside",
        "Margaret Mentee: task 2 of Alt text · Flipside",
    }
