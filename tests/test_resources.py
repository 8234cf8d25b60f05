"""/resources/: the mentor and mentee handbooks, their contents, and the links that lead there."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select

from feedback import handbooks
from feedback.rubrics import current_rubric
from lessons.markdown import render
from portal.accounts.models import Mentorship
from portal.extensions import db
from tests.conftest import topic_id

# What each handbook must help with (issue 17, point 5), as the section ids deep links use.
REQUIRED = {
    "mentor": {
        "sec-giving-upward-feedback": "Giving upward feedback",
        "sec-situation-behaviour-impact": "Situation, behaviour, impact",
        "sec-receiving-feedback-yourself": "Receiving feedback yourself",
        "sec-preparing-a-difficult-conversation": "Preparing a difficult conversation",
        "sec-when-a-mentorship-is-not-working": "When a mentorship is not working",
        "sec-how-much-time-it-takes": "How much time it takes",
        "sec-confidentiality": "Confidentiality",
        "sec-your-first-meeting": "Your first meeting",
    },
    "mentee": {
        "sec-making-it-safe-to-be-honest-with-you": "Making it safe to be honest with you",
        "sec-receiving-feedback-without-getting-defensive": (
            "Receiving feedback without getting defensive"
        ),
        "sec-understanding-situation-behaviour-impact": (
            "Understanding situation, behaviour, impact"
        ),
        "sec-preparing-a-difficult-conversation": "Preparing a difficult conversation",
        "sec-when-a-mentorship-is-not-working": "When a mentorship is not working",
        "sec-how-much-time-it-takes": "How much time it takes",
        "sec-confidentiality": "Confidentiality",
        "sec-your-first-meeting": "Your first meeting",
    },
}


class Page(HTMLParser):
    """The parts of a page the tests look at: headings by level with their ids, and links."""

    def __init__(self, body: str) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[str, str | None, str]] = []  # (tag, id, text)
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.ids: set[str] = set()
        self._open: list[list] = []
        self.feed(body)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag in ("h1", "h2", "h3") or tag == "a":
            self._open.append([tag, attrs.get("id") if tag != "a" else attrs.get("href"), []])

    def handle_data(self, data):
        for item in self._open:
            item[2].append(data)

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            name, key, text = self._open.pop()
            text = " ".join("".join(text).split())
            (self.links if name == "a" else self.headings).append(
                (key, text) if name == "a" else (name, key, text)
            )

    def hrefs(self, text: str) -> list[str]:
        return [href for href, label in self.links if label == text]


def page(client, path: str) -> Page:
    response = client.get(path)
    assert response.status_code == 200, path
    return Page(response.get_data(as_text=True))


# The pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["mentor", "mentee"])
def test_a_handbook_has_its_title_and_every_section_it_promises(client, slug):
    shown = page(client, f"/resources/{slug}")
    assert [text for tag, _id, text in shown.headings if tag == "h1"] == [
        handbooks.BY_SLUG[slug].title
    ]
    sections = {id_: text for tag, id_, text in shown.headings if tag == "h2"}
    for anchor, title in REQUIRED[slug].items():
        assert sections.get(anchor) == title, anchor


@pytest.mark.parametrize("slug", ["mentor", "mentee"])
def test_the_contents_list_links_to_each_section_in_order(client, slug):
    shown = page(client, f"/resources/{slug}")
    sections = [(id_, text) for tag, id_, text in shown.headings if tag == "h2" and id_]
    sections = [(id_, text) for id_, text in sections if id_.startswith("sec-")]
    listed = [(href[1:], text) for href, text in shown.links if href.startswith("#sec-")]
    assert listed[: len(sections)] == sections  # the contents come first, in the page's order
    assert len(sections) >= 8


@pytest.mark.parametrize("slug", ["mentor", "mentee"])
def test_every_link_inside_a_handbook_leads_somewhere_on_the_page(client, slug):
    shown = page(client, f"/resources/{slug}")
    inside = [href for href, _text in shown.links if href.startswith("#")]
    assert inside and all(href[1:] in shown.ids for href in inside)


def test_the_time_section_gives_numbers_a_person_can_plan_with(client):
    text = client.get("/resources/mentor").get_data(as_text=True)
    section = text.split('id="sec-how-much-time-it-takes"')[1].split("<h2")[0]
    assert "every two weeks" in section and "60 minutes" in section
    assert "3 to 6 months" in section


def test_the_index_lists_both_handbooks_and_their_sections(client):
    shown = page(client, "/resources/")
    assert shown.hrefs("Mentor handbook") == ["/resources/mentor"]
    assert shown.hrefs("Mentee handbook") == ["/resources/mentee"]
    assert shown.hrefs("Giving upward feedback") == ["/resources/mentor#sec-giving-upward-feedback"]
    assert "/resources/mentee#sec-receiving-feedback-without-getting-defensive" in shown.hrefs(
        "Receiving feedback without getting defensive"
    )


def test_the_handbooks_are_public_and_signed_in_people_read_them_too(client, login, make_user):
    """They hold advice and nobody's data: a person thinking of joining may read them first."""
    for path in ("/resources/", "/resources/mentor", "/resources/mentee"):
        assert client.get(path).status_code == 200
    login(make_user())
    for path in ("/resources/", "/resources/mentor", "/resources/mentee"):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/resources/coach", "/resources/MENTOR", "/resources/mentor.md"])
def test_an_unknown_handbook_is_404(client, path):
    assert client.get(path).status_code == 404


def test_the_footer_links_to_the_handbooks(client):
    assert page(client, "/auth/login").hrefs("Handbooks for mentors and mentees") == ["/resources/"]


# The one pipeline -------------------------------------------------------------------------


@pytest.fixture
def fresh_cache():
    def clear():  # a function without a cache has nothing to clear (and fails its test)
        getattr(handbooks._rendered, "cache_clear", lambda: None)()

    clear()
    yield
    clear()


@pytest.mark.parametrize("slug", ["mentor", "mentee"])
def test_a_handbook_is_its_markdown_through_the_one_pipeline(slug, fresh_cache):
    source = (handbooks.FOLDER / f"{slug}.md").read_text(encoding="utf-8")
    assert handbooks.handbook(slug).html == render(source)


def test_raw_html_in_a_handbook_does_not_reach_the_page(monkeypatch, tmp_path, fresh_cache):
    (tmp_path / "mentor.md").write_text(
        "## Safe\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
        '<a href="javascript:alert(3)">click</a> <div style="color:red" onclick="x()">text</div>\n'
        "\n[link](javascript:alert(4))\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(handbooks, "FOLDER", tmp_path)
    shown = handbooks.handbook("mentor").html
    for unsafe in ("<script", "alert(1)", "onerror", 'href="javascript', "style=", "onclick"):
        assert unsafe not in shown
    assert '<h2 id="sec-safe">Safe</h2>' in shown and "text" in shown


def test_the_handbooks_themselves_are_plain_markdown():
    """No raw HTML in the sources: what they show is what the pipeline makes of Markdown."""
    for path in sorted(Path(handbooks.FOLDER).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<[a-zA-Z/!]", text), path.name
        assert not re.search(r"^# ", text, re.M), f"{path.name}: the page has its own h1"


def test_a_handbook_is_rendered_once_not_on_each_request(client, monkeypatch, fresh_cache):
    calls = []

    def counting(text):
        calls.append(text)
        return render(text)

    monkeypatch.setattr(handbooks, "render", counting)
    for _ in range(3):
        client.get("/resources/mentor")
        client.get("/resources/")
    assert len(calls) == 2  # the mentor's and the mentee's, once each


def test_the_contents_come_from_the_rendered_headings():
    body = render("## One & two\n\ntext\n\n### Not listed\n\n## Three\n")
    assert handbooks.contents(body) == (
        handbooks.Section("sec-one-two", "One & two"),
        handbooks.Section("sec-three", "Three"),
    )


# Where people find them ---------------------------------------------------------------------


def test_the_feedback_form_links_to_how_to_say_it(client, login, world, submit):
    item = submit()
    login(world.mentor)
    shown = page(client, f"/submissions/{item.id}")
    link = "/resources/mentor#sec-giving-upward-feedback"
    assert shown.hrefs("How to say this: giving feedback to someone senior") == [link]
    assert "sec-giving-upward-feedback" in page(client, "/resources/mentor").ids


def test_the_mentee_reading_feedback_sees_no_writing_help(client, login, world, submit):
    item = submit()
    login(world.mentee)
    assert not page(client, f"/submissions/{item.id}").hrefs(
        "How to say this: giving feedback to someone senior"
    )


def test_the_observation_form_links_to_the_model(client, login, world):
    login(world.mentor)
    shown = page(client, f"/people/{world.mentee.id}/observe?topic={topic_id('accessibility')}")
    assert shown.hrefs("How to say this: situation, behaviour, impact, with worked examples") == [
        "/resources/mentor#sec-situation-behaviour-impact"
    ]


def test_the_observation_form_shown_again_with_errors_keeps_the_link(client, login, world):
    login(world.mentor)
    rubric = current_rubric(topic_id("accessibility"))
    url = f"/people/{world.mentee.id}/observe?topic={rubric.topic_id}"
    response = client.post(url, data={"strengths": ""})
    assert response.status_code == 422
    assert "/resources/mentor#sec-situation-behaviour-impact" in response.get_data(as_text=True)


@pytest.mark.parametrize(("who", "book"), [("mentor", "mentor"), ("mentee", "mentee")])
def test_the_mentorship_page_links_to_each_persons_own_handbook(client, login, world, who, book):
    mentorship = db.session.scalar(select(Mentorship))
    login(getattr(world, who))
    shown = page(client, f"/mentorships/{mentorship.id}")
    assert shown.hrefs(f"{book} handbook") == [f"/resources/{book}"]
    assert shown.hrefs("when it is not working") == [
        f"/resources/{book}#sec-when-a-mentorship-is-not-working"
    ]
    assert f"/resources/{'mentee' if book == 'mentor' else 'mentor'}#" not in str(shown.links)
