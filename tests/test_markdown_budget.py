"""The Markdown work budget at the forms: a text too dense to render quickly is refused beside
its field, nothing is saved, and the writer's text is shown again. (The budget itself, the
corpus and the realistic lessons it must accept are in test_markdown.py.)"""

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from lessons import markdown
from lessons.forms import LessonForm, SubmissionForm, TaskForm
from lessons.models import Attempt, Lesson, Submission
from lessons.sessions.forms import NotesForm
from portal.database import db
from tests.test_lessons import form

# 4,000 characters: far under every field's length limit, far over the work budget.
DENSE = "[" * 4_000


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def field_errors(app, form_class, field: str, text: str) -> list[str]:
    """The errors one field of a form gives for `text` (the field's own validators only)."""
    with app.test_request_context(method="POST"):
        posted = form_class(formdata=MultiDict({field: text}), meta={"csrf": False})
        posted[field].validate(posted)
        return posted[field].errors


# Every field whose Markdown is rendered and stored.
MARKDOWN_FIELDS = [
    (LessonForm, "body"),
    (TaskForm, "prompt"),
    (TaskForm, "done_when"),
    (SubmissionForm, "body"),
    (NotesForm, "notes"),
]


@pytest.mark.parametrize(("form_class", "field"), MARKDOWN_FIELDS)
def test_every_markdown_field_refuses_a_text_over_the_budget(app, form_class, field):
    assert markdown.TOO_DENSE in field_errors(app, form_class, field, DENSE)
    assert field_errors(app, form_class, field, "[a](https://example.org) " * 40) == []


def test_a_lesson_over_the_budget_is_not_saved_and_the_text_is_kept(client, make_user, login):
    login(make_user())
    for button in ({"save": "Save draft"}, {"publish": "Save and publish"}):
        data = form(body="Intro " + DENSE)
        data.pop("save")
        response = client.post("/lessons/new", data={**data, **button})
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert markdown.TOO_DENSE in page and "Intro [[[[" in page
    assert count(Lesson) == 0


def test_a_preview_over_the_budget_shows_the_message_instead(client, make_user, login):
    login(make_user())
    data = form(body=DENSE, preview="Preview")
    del data["save"]
    response = client.post("/lessons/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and markdown.TOO_DENSE in page
    assert "Preview (not saved yet)" not in page


def test_a_lesson_longer_than_the_limit_is_told_the_limit(client, make_user, login):
    login(make_user())
    response = client.post("/lessons/new", data=form(body="a " * 15_001))
    assert response.status_code == 422
    assert "Keep the lesson under 30,000 characters" in response.get_data(as_text=True)
    assert count(Lesson) == 0


def test_an_answer_over_the_budget_saves_nothing(client, login, world):
    login(world.mentee)
    response = client.post(f"/tasks/{world.task.id}", data={"body": DENSE})
    assert response.status_code == 422 and markdown.TOO_DENSE in response.get_data(as_text=True)
    assert count(Submission) == 0 and count(Attempt) == 0


def test_a_text_over_the_length_limit_is_never_parsed(app, monkeypatch):
    """Length first: an answer of half a megabyte gets the length message and costs nothing."""
    parsed = []
    monkeypatch.setattr(markdown, "_converted", lambda text: parsed.append(text) or "")
    markdown.render.cache_clear()
    errors = field_errors(app, SubmissionForm, "body", "a\n" * 250_000)
    assert errors == ["Field cannot be longer than 20000 characters."]
    assert parsed == []


def test_many_short_lines_are_priced_before_the_parser_runs(monkeypatch):
    """A paragraph's continuation lines are block work the inline budget would see too late:
    15,000 lines are refused before parsing starts."""
    calls = []
    real_parse = markdown._md.parse
    monkeypatch.setattr(markdown._md, "parse", lambda *a: calls.append(1) or real_parse(*a))
    markdown.render.cache_clear()
    with pytest.raises(markdown.MarkupTooDense):
        markdown.render("a\n" * 15_000)
    assert calls == []
