"""Who may see and do what with practice and feedback: every role against every page/POST.

Roles: the mentee who owns the work, another mentee, the owner's mentor, another mentor,
a coordinator, and an anonymous visitor. "login" means: sent to the sign-in page.
"""

import pytest
from sqlalchemy import func, select

from feedback.models import Feedback
from feedback.rubrics import current_rubric
from portal.extensions import db
from tests.conftest import feedback_form_data, topic_id

ROLES = ("owner", "other_mentee", "mentor", "other_mentor", "coordinator", "anonymous")

MATRIX = {
    # (method, path): expected per role, in ROLES order
    ("GET", "/submissions/{submission}"): (200, 403, 200, 403, 200, "login"),
    ("POST", "/submissions/{submission}"): (403, 403, 302, 403, 403, "login"),
    ("GET", "/progress/{owner}"): (302, 403, 200, 403, 200, "login"),
    ("GET", "/progress/{owner}/feedback.csv"): (200, 403, 200, 403, 200, "login"),
    ("GET", "/progress/{owner}/progress.csv"): (200, 403, 200, 403, 200, "login"),
    ("GET", "/people/{owner}/observe"): (403, 403, 200, 403, 403, "login"),
    ("POST", "/people/{owner}/observe"): (403, 403, 302, 403, 403, "login"),
    ("GET", "/progress/"): (200, 200, 200, 200, 200, "login"),
    ("GET", "/mentorships/"): (200, 200, 200, 200, 200, "login"),
    ("POST", "/tasks/{task2}"): (302, 302, 403, 302, 302, "login"),
}
CASES = [
    (method, path, role, expected[i])
    for (method, path), expected in MATRIX.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("method", "path", "role", "expected"), CASES)
def test_access(client, login, world, submit, method, path, role, expected):
    submission = submit()
    person = {
        "owner": world.mentee,
        "other_mentee": world.other_mentee,
        "mentor": world.mentor,
        "other_mentor": world.other_mentor,
        "coordinator": world.coordinator,
    }.get(role)
    if person:
        login(person)
    url = path.format(submission=submission.id, owner=world.mentee.id, task2=world.task2.id)
    rubric = current_rubric(topic_id("accessibility"))
    data = {**feedback_form_data(rubric, outcome="accept"), "body": "My answer."}
    response = client.get(url) if method == "GET" else client.post(url, data=data)
    if expected == "login":
        assert response.status_code == 302 and response.location.startswith("/auth/login")
    else:
        assert response.status_code == expected, (method, url, role)
    if method == "POST" and expected != 302:
        assert db.session.scalar(select(func.count()).select_from(Feedback)) == 0


def test_missing_things_are_404(client, login, world):
    login(world.mentor)
    for url in (
        "/submissions/999999",
        "/progress/999999",
        "/people/999999/observe",
        "/progress/999999/feedback.csv",
        "/topics/nope/rubric",
    ):
        assert client.get(url).status_code in (404, 403), url
    assert client.get("/submissions/999999").status_code == 404
    assert client.get("/progress/999999").status_code == 404
