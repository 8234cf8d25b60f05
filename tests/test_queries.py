"""List and detail pages run a fixed number of SQL queries, whatever the amount of data.

Each lesson gets its own author and a rotating topic, so a missing eager load shows up as
extra queries (one shared author would hide it behind the session's identity map).
"""

import itertools

import pytest

TOPICS = itertools.cycle(["accessibility", "social-media", "leadership"])


def queries_for(client, count_queries, path) -> int:
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


@pytest.mark.parametrize(
    "path", ["/lessons/", "/lessons/?q=lesson", "/topics/accessibility", "/topics/", "/"]
)
def test_list_pages_are_constant_in_the_number_of_lessons(
    app, client, login, make_user, make_lesson, count_queries, path
):
    author = make_user()
    login(author)
    app.config["LESSONS_PER_PAGE"] = 100  # every lesson on one page: any N+1 would show
    make_lesson(author, tasks=2)
    for _ in range(4):
        make_lesson(make_user(), topic=next(TOPICS), tasks=2)
    small = queries_for(client, count_queries, path)
    for _ in range(45):
        make_lesson(make_user(), topic=next(TOPICS), tasks=2)
    large = queries_for(client, count_queries, path)
    assert small == large, (path, small, large)


def test_lesson_and_task_pages_are_constant_in_the_number_of_tasks(
    client, login, make_user, make_lesson, count_queries
):
    author = make_user()
    login(author)
    few, many = make_lesson(author, tasks=5), make_lesson(author, tasks=50)
    assert queries_for(client, count_queries, f"/lessons/{few.id}") == queries_for(
        client, count_queries, f"/lessons/{many.id}"
    )
    assert queries_for(client, count_queries, f"/tasks/{few.tasks[0].id}") == queries_for(
        client, count_queries, f"/tasks/{many.tasks[0].id}"
    )
