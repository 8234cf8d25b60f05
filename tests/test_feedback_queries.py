"""Dashboards and progress pages run a fixed number of SQL queries whatever the data size.

The data varies in topic, rubric, task and person, so a missing eager load shows up as
extra queries instead of hiding behind the session's identity map.
"""

import itertools

from feedback.services import give_feedback
from lessons import practice
from portal.accounts import mentorships
from tests.conftest import feedback_data, topic_id

TOPICS = itertools.cycle(["accessibility", "social-media", "leadership"])


def _pair(mentee, mentor, topic):
    ship = mentorships.request_mentorship(mentee, mentor, "mentee", [topic_id(topic)])
    mentorships.respond(ship, mentor, accept=True)


def grow(world, make_lesson, make_user, lessons: int) -> None:
    """More lessons, answers and feedback for the mentee; more mentees waiting for the mentor."""
    for _ in range(lessons):
        topic = next(TOPICS)
        author = make_user(seniority=2)
        _pair(world.mentee, author, topic)
        for task in make_lesson(author, topic=topic, tasks=2).tasks:
            submission = practice.submit(task, world.mentee.id, practice.Answer(body="An answer."))
            give_feedback(author, submission, feedback_data(topic, 3, "revise"))
        waiting = make_user()
        _pair(waiting, world.mentor, topic)
        own_lesson = make_lesson(world.mentor, topic=topic, tasks=1)
        practice.submit(own_lesson.tasks[0], waiting.id, practice.Answer(body="Please review."))


def queries(client, count_queries, path) -> int:
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def test_pages_are_constant_in_the_amount_of_practice(
    client, login, world, make_lesson, make_user, count_queries
):
    grow(world, make_lesson, make_user, 2)
    pages = {
        world.mentee: [
            "/",
            "/lessons/mine",
            "/progress/",
            f"/progress/{world.mentee.id}/feedback.csv",
        ],
        world.mentor: ["/", f"/progress/{world.mentee.id}"],
    }
    small = {}
    for person, paths in pages.items():
        login(person)
        small.update({(person.id, p): queries(client, count_queries, p) for p in paths})
    grow(world, make_lesson, make_user, 12)
    for person, paths in pages.items():
        login(person)
        for path in paths:
            assert queries(client, count_queries, path) == small[(person.id, path)], path
