"""Practice: lesson status, starting and assigning lessons, submitting and resubmitting."""

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lessons import practice
from lessons.models import Assignment, Attempt, Submission
from lessons.practice import lesson_status
from portal.errors import DomainError
from portal.extensions import db
from tests.conftest import PASSWORD, feedback_data


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ({}, "not started"),
        ({1: "submitted"}, "in progress"),
        ({1: "accepted"}, "in progress"),
        ({1: "submitted", 2: "accepted"}, "awaiting feedback"),
        ({1: "needs_revision", 2: "accepted"}, "needs revision"),
        ({1: "accepted", 2: "accepted"}, "completed"),
    ],
)
def test_lesson_status(statuses, expected):
    assert lesson_status([1, 2], statuses, marked_done=False) == expected


def test_lesson_without_tasks_is_completed_when_marked_done():
    assert lesson_status([], {}, marked_done=False) == "not started"
    assert lesson_status([], {}, marked_done=True) == "completed"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_start_a_lesson_and_see_it_on_the_dashboard(client, login, world):
    login(world.other_mentee)
    client.post(f"/lessons/{world.lesson.id}/start")
    client.post(f"/lessons/{world.lesson.id}/start")  # twice: still one
    assert count(Assignment) == 1
    page = client.get("/").get_data(as_text=True)
    assert "My learning" in page and "Alt text" in page and "Not started" in page
    assert "Read the lesson and try the first task." in page


def test_mentor_assigns_with_a_due_date(client, login, world):
    login(world.mentor)
    due = (date.today() + timedelta(days=7)).isoformat()
    response = client.post(
        f"/lessons/{world.lesson.id}/assign",
        data={"assign-mentee": str(world.mentee.id), "assign-due": due},
    )
    assert response.status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assert assignment.assigned_by_id == world.mentor.id and assignment.due_at is not None
    login(world.mentee)
    assert "assigned by Leo Mentor" in client.get(f"/lessons/{world.lesson.id}").get_data(True)


def test_assigning_needs_an_active_mentee_and_a_future_date(client, login, world):
    login(world.mentor)
    past = (date.today() - timedelta(days=3)).isoformat()
    refused = client.post(
        f"/lessons/{world.lesson.id}/assign",
        data={"assign-mentee": str(world.mentee.id), "assign-due": past},
        follow_redirects=True,
    )
    assert "Choose a due date in the future." in refused.get_data(as_text=True)
    stranger = client.post(
        f"/lessons/{world.lesson.id}/assign",
        data={"assign-mentee": str(world.other_mentee.id)},
        follow_redirects=True,
    )
    assert "Not a valid choice" in stranger.get_data(as_text=True)
    login(world.other_mentor)  # mentors nobody: no assign form, no assigning
    assert (
        client.post(
            f"/lessons/{world.lesson.id}/assign", data={"assign-mentee": str(world.mentee.id)}
        ).status_code
        == 403
    )
    with pytest.raises(DomainError):
        practice.assign_lesson(world.other_mentor.id, world.mentee.id, world.lesson, None)
    assert count(Assignment) == 0


def test_submit_an_answer_with_a_link(client, login, world):
    login(world.mentee)
    response = client.post(
        f"/tasks/{world.task.id}",
        data={
            "body": "I wrote **alt text** <script>x()</script>",
            "link": "https://www.linkedin.com/posts/123",
        },
    )
    submission = db.session.scalar(select(Submission))
    assert response.location == f"/submissions/{submission.id}"
    assert submission.status == "submitted" and submission.mentee_id == world.mentee.id
    attempt = submission.attempts[0]
    assert "<strong>alt text</strong>" in attempt.body_html and "<script>" not in attempt.body_html
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert 'href="https://www.linkedin.com/posts/123" rel="nofollow noopener"' in page
    assert "Waiting for feedback from your mentor." in page
    assert count(Assignment) == 1  # submitting starts the lesson


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": "", "link": ""}, "Write an answer or give a link (or both)."),
        ({"body": "x", "link": "javascript:alert(1)"}, "Enter a web address starting with"),
        ({"body": "x", "link": "ftp://example.org/f"}, "Enter a web address starting with"),
        ({"body": "x" * 20_001}, "Field cannot be longer than 20000 characters."),
    ],
)
def test_bad_answers_save_nothing(client, login, world, data, message):
    login(world.mentee)
    response = client.post(f"/tasks/{world.task.id}", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(Submission) == 0 and count(Attempt) == 0


def test_resubmit_only_after_a_revise_and_every_attempt_is_kept(client, login, world, submit):
    submission = submit(body="First try")
    login(world.mentee)
    early = client.post(f"/tasks/{world.task.id}", data={"body": "Second try"})
    assert early.status_code == 409 and "waiting for feedback" in early.get_data(as_text=True)

    submission.status = "needs_revision"
    db.session.commit()
    client.post(f"/tasks/{world.task.id}", data={"body": "Second try"})
    db.session.refresh(submission)
    assert [a.body for a in submission.attempts] == ["First try", "Second try"]
    assert submission.status == "submitted" and submission.attempt_count == 2
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert page.index("Attempt 1") < page.index("First try") < page.index("Attempt 2")

    submission.status = "accepted"
    db.session.commit()
    late = client.post(f"/tasks/{world.task.id}", data={"body": "Third"})
    assert late.status_code == 409 and "already accepted" in late.get_data(as_text=True)
    assert count(Attempt) == 2


def test_double_clicked_submit_stores_one_answer(client, login, world):
    login(world.mentee)
    first = client.post(f"/tasks/{world.task.id}", data={"body": "Once"})
    second = client.post(f"/tasks/{world.task.id}", data={"body": "Once"})
    assert first.status_code == 302 and second.status_code == 409
    assert count(Submission) == 1 and count(Attempt) == 1


def test_concurrent_first_submits_store_one_answer(app, world):
    email, task_id = world.mentee.email, world.task.id

    def post(_):
        client = app.test_client()
        client.post("/auth/login", data={"email": email, "password": PASSWORD})
        return client.post(f"/tasks/{task_id}", data={"body": "Same answer"}).status_code

    with ThreadPoolExecutor(6) as pool:
        statuses = sorted(pool.map(post, range(6)))
    db.session.rollback()
    assert statuses == [302] + [409] * 5
    assert count(Submission) == 1 and count(Attempt) == 1


def test_an_answer_racing_a_start_of_its_lesson_is_stored_with_one_assignment(
    client, login, world, monkeypatch
):
    """Submitting puts the lesson on the list in the answer's own transaction. When another
    request starts the lesson between the look-up and the insert, the clash undoes only that
    insert (a savepoint): the answer is still stored, against the assignment that stands."""
    practice.start_lesson(world.mentee.id, world.lesson)  # the other request's, already in
    look_up, calls = practice._assignment, []

    def missed_it_first(lesson_id, mentee_id):
        calls.append(lesson_id)
        return None if len(calls) == 1 else look_up(lesson_id, mentee_id)

    monkeypatch.setattr(practice, "_assignment", missed_it_first)
    login(world.mentee)
    response = client.post(f"/tasks/{world.task.id}", data={"body": "Raced"})
    assert response.status_code == 302 and len(calls) == 2
    db.session.rollback()
    assert count(Assignment) == 1 and count(Submission) == 1
    assert db.session.scalar(select(Attempt.body)) == "Raced"


def test_unpublished_lessons_take_no_answers(client, login, world, make_lesson):
    draft = make_lesson(world.mentor, status="draft", tasks=1)
    login(world.mentee)
    assert client.post(f"/tasks/{draft.tasks[0].id}", data={"body": "x"}).status_code == 404
    with pytest.raises(DomainError, match="not published"):
        practice.submit(draft.tasks[0], world.mentee.id, practice.Answer(body="x"))
    login(world.mentor)  # the author sees the draft task but does not answer it
    assert client.post(f"/tasks/{draft.tasks[0].id}", data={"body": "x"}).status_code == 403
    assert count(Submission) == 0


def test_lesson_without_tasks_can_be_marked_done(client, login, world, make_lesson):
    reading = make_lesson(world.mentor, title="Just read this", tasks=0)
    login(world.mentee)
    client.post(f"/lessons/{reading.id}/done")
    assert "Completed" in client.get("/").get_data(as_text=True)
    assert client.post(f"/lessons/{world.lesson.id}/done").status_code == 400


def test_the_dashboard_shows_the_lessons_that_need_the_mentee_most(
    client, login, world, make_lesson
):
    from feedback.services import give_feedback

    mentee, mentor = world.mentee, world.mentor
    for i in range(3):
        practice.mark_done(mentee.id, make_lesson(mentor, title=f"Finished {i}"))
    for i in range(6):
        practice.start_lesson(mentee.id, make_lesson(mentor, title=f"Unread {i}", tasks=1))
    waiting = make_lesson(mentor, title="Waiting for Leo", tasks=1)
    practice.submit(waiting.tasks[0], mentee.id, practice.Answer(body="My answer."))
    revise = make_lesson(mentor, title="Fix the alt text", tasks=1)
    answer = practice.submit(revise.tasks[0], mentee.id, practice.Answer(body="My answer."))
    give_feedback(mentor, answer, feedback_data("accessibility", 2, "revise"))

    login(mentee)
    page = client.get("/").get_data(as_text=True)
    shown = re.findall(r'<a href="/lessons/\d+">([^<]+)</a>\s*(?:<br>.*?)?</td>', page)
    assert len(shown) == practice.LEARNING_SHOWN == 8
    assert shown[0] == "Fix the alt text" and shown[-1] == "Waiting for Leo"
    assert not any(title.startswith("Finished") for title in shown)
    assert "These are the 8 that need you most, of 11 lessons (3 completed)." in page
    everything = client.get("/lessons/mine").get_data(as_text=True)
    titles = re.findall(r'<a href="/lessons/\d+">([^<]+)</a>', everything)
    assert len(titles) == 11 and titles[0] == "Fix the alt text"
    assert {t for t in titles if t.startswith("Finished")} == {f"Finished {i}" for i in range(3)}


def test_a_short_list_shows_whole_and_an_empty_one_says_where_to_start(client, login, world):
    login(world.mentee)
    client.post(f"/lessons/{world.lesson.id}/start")
    page = client.get("/").get_data(as_text=True)
    assert "Alt text" in page and "All of my learning" not in page
    login(world.other_mentee)
    assert "No lessons on your list yet" in client.get("/lessons/mine").get_data(as_text=True)
