"""The lesson editor's preview is limited per person: each one renders up to 30,000 characters."""

import limits.storage.memory

from lessons.views import PREVIEW_LIMITED
from tests.test_hardening import FakeClock
from tests.test_lessons import form, lesson_count


def preview(client, body="## Draft\n\nText."):
    data = form(body=body, preview="Preview")
    del data["save"]
    return client.post("/lessons/new", data=data)


def test_the_31st_preview_in_a_minute_shows_the_form_with_a_message(
    client, make_user, login, monkeypatch
):
    clock = FakeClock()
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    login(make_user())
    assert [preview(client).status_code for _ in range(30)] == [200] * 30
    refused = preview(client, body="## Kept\n\nMy unsaved words.")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert PREVIEW_LIMITED in page and "My unsaved words." in page  # the text is not lost
    assert "Preview (not saved yet)" not in page
    assert client.post("/lessons/new", data=form()).status_code == 302  # saving still works
    assert lesson_count() == 1
    clock.now += 61
    assert preview(client).status_code == 200


def test_one_persons_previews_do_not_limit_another(client, make_user, login, monkeypatch):
    monkeypatch.setattr(limits.storage.memory, "time", FakeClock())
    login(make_user(email="first@example.org"))
    for _ in range(31):
        preview(client)
    client.post("/auth/logout")
    login(make_user(email="second@example.org"))
    assert preview(client).status_code == 200
