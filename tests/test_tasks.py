"""Practice tasks: add, edit, reorder, remove, and read."""

import pytest
from sqlalchemy import func, select

from lessons.models import Task
from portal.extensions import db


def prompts(lesson) -> list[str]:
    db.session.expire_all()
    return [t.prompt for t in lesson.tasks]


@pytest.fixture
def lesson(make_user, make_lesson, login):
    author = make_user()
    login(author)
    return make_lesson(author, title="Alt text")


def test_add_edit_reorder_and_remove(client, lesson):
    for prompt in ("First: describe a chart.", "Second: try a screen reader.", "Third."):
        response = client.post(
            f"/lessons/{lesson.id}/tasks/new",
            data={"prompt": prompt, "done_when": "Done when **checked**."},
        )
        assert response.status_code == 302
    assert prompts(lesson) == ["First: describe a chart.", "Second: try a screen reader.", "Third."]
    first, second, third = lesson.tasks
    assert first.done_when_html == "<p>Done when <strong>checked</strong>.</p>"

    client.post(f"/tasks/{third.id}/move", data={"direction": "up"})
    assert prompts(lesson) == ["First: describe a chart.", "Third.", "Second: try a screen reader."]
    client.post(f"/tasks/{first.id}/move", data={"direction": "up"})  # already first: no change
    client.post(f"/tasks/{first.id}/move", data={"direction": "down"})
    assert prompts(lesson) == ["Third.", "First: describe a chart.", "Second: try a screen reader."]

    client.post(f"/tasks/{second.id}/edit", data={"prompt": "Second, revised.", "done_when": ""})
    client.post(f"/tasks/{third.id}/delete", data={"confirm": "yes"})
    assert prompts(lesson) == ["First: describe a chart.", "Second, revised."]

    page = client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert page.index("First: describe a chart.") < page.index("Second, revised.")


def test_task_page_shows_prompt_done_when_and_position(client, lesson, make_user, login):
    client.post(f"/lessons/{lesson.id}/tasks/new", data={"prompt": "One", "done_when": ""})
    client.post(
        f"/lessons/{lesson.id}/tasks/new",
        data={"prompt": "Write *alt text*", "done_when": "Under 150 characters"},
    )
    task = db.session.scalar(select(Task).where(Task.prompt == "Write *alt text*"))
    login(make_user())
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Practice task 2 of 2" in page and "<em>alt text</em>" in page
    assert "Under 150 characters" in page and "Edit task" not in page


def test_invalid_task_saves_nothing(client, lesson):
    response = client.post(f"/lessons/{lesson.id}/tasks/new", data={"prompt": "  "})
    assert response.status_code == 422 and "Describe the task." in response.get_data(as_text=True)
    too_long = client.post(f"/lessons/{lesson.id}/tasks/new", data={"prompt": "x" * 10_001})
    assert too_long.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Task)) == 0


def test_bad_move_direction_is_refused(client, lesson):
    client.post(f"/lessons/{lesson.id}/tasks/new", data={"prompt": "One"})
    task = db.session.scalar(select(Task))
    assert client.post(f"/tasks/{task.id}/move", data={"direction": "sideways"}).status_code == 400


def test_task_prompts_are_sanitized(client, lesson):
    client.post(
        f"/lessons/{lesson.id}/tasks/new",
        data={"prompt": "<img src=x onerror=alert(1)> [a](javascript:alert(1))"},
    )
    task = db.session.scalar(select(Task))
    names = [name for _tag, attrs in _attributes(task.prompt_html) for name, _value in attrs]
    hrefs = [v for _tag, attrs in _attributes(task.prompt_html) for n, v in attrs if n == "href"]
    assert "onerror" not in names and not any("javascript" in (h or "") for h in hrefs)


def _attributes(html: str) -> list[tuple[str, list]]:
    """Every element of a fragment with its attributes."""
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect().feed(html)
    return found


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/tasks/{id}/edit"),
        ("post", "/tasks/{id}/edit"),
        ("post", "/tasks/{id}/move"),
        ("post", "/tasks/{id}/delete"),
        ("get", "/tasks/{id}/delete"),
        ("get", "/lessons/{lesson}/tasks/new"),
        ("post", "/lessons/{lesson}/tasks/new"),
    ],
)
def test_only_the_author_changes_tasks(client, lesson, make_user, login, method, path):
    client.post(f"/lessons/{lesson.id}/tasks/new", data={"prompt": "Keep me"})
    task = db.session.scalar(select(Task))
    login(make_user())
    url = path.format(id=task.id, lesson=lesson.id)
    response = getattr(client, method)(url, data={"prompt": "Hijacked", "direction": "down"})
    assert response.status_code == 403
    assert prompts(lesson) == ["Keep me"]


def test_tasks_of_drafts_are_hidden_and_missing_tasks_are_404(
    client, make_user, make_lesson, login
):
    draft = make_lesson(status="draft", tasks=1)
    login(make_user())
    assert client.get(f"/tasks/{draft.tasks[0].id}").status_code == 404
    assert client.get("/tasks/999999").status_code == 404
