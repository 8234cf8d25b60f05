"""Structured constructive feedback, observations, rubrics, ratings and self-assessment."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from feedback.models import Feedback, Rating, Rubric, Score, SelfAssessment
from feedback.rubrics import current_rubric
from lessons.models import Submission
from portal.extensions import db
from tests.conftest import PASSWORD, feedback_form_data, topic_id


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def rubric():
    return current_rubric(topic_id("accessibility"))


def test_every_seeded_topic_has_a_sensible_rubric(app):
    for slug in ("social-media", "accessibility", "leadership"):
        rubric = current_rubric(topic_id(slug))
        assert 3 <= len(rubric.criteria) <= 5
        for criterion in rubric.criteria:
            assert [lvl.level for lvl in criterion.levels] == [1, 2, 3, 4]
            assert all(len(lvl.descriptor) > 10 for lvl in criterion.levels)
    names = [c.name for c in current_rubric(topic_id("leadership")).criteria]
    assert "Motivating the team" in names and "Conducting assessments" in names


def test_revise_then_resubmit_then_accept(client, login, world, submit, rubric):
    submission = submit()
    login(world.mentor)
    form_page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "2 — Alt text present but vague or redundant." in form_page  # descriptors by choices
    response = client.post(f"/submissions/{submission.id}", data=feedback_form_data(rubric, 2))
    assert response.status_code == 302
    db.session.refresh(submission)
    assert submission.status == "needs_revision"
    feedback = db.session.scalar(select(Feedback))
    assert feedback.outcome == "revise" and feedback.attempt_id == submission.attempts[0].id
    assert sorted(s.level for s in feedback.scores) == [2] * len(rubric.criteria)

    login(world.mentee)
    dashboard = client.get("/").get_data(as_text=True)
    assert "Needs your revision (1)" in dashboard and "Rewrite the photo" in dashboard
    thread = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "The team photo needs names" in thread and "Revise your answer" in thread
    seen = client.get("/").get_data(as_text=True)  # read, but still waiting for the revision
    assert "Needs your revision (1)" in seen and "New (" not in seen

    client.post(f"/tasks/{world.task.id}", data={"body": "Now with names and actions."})
    assert "Needs your revision" not in client.get("/").get_data(as_text=True)  # sent again
    login(world.mentor)
    assert "Awaiting your feedback (1)" in client.get("/").get_data(as_text=True)
    client.post(f"/submissions/{submission.id}", data=feedback_form_data(rubric, 4, "accept"))
    db.session.refresh(submission)
    assert submission.status == "accepted" and count(Feedback) == 2
    assert "Awaiting your feedback" not in client.get("/").get_data(as_text=True)


def test_a_long_queue_shows_its_oldest_answers_and_counts_them_all(
    client, login, world, make_user, make_lesson
):
    from datetime import timedelta

    from feedback.services import QUEUE_SHOWN
    from lessons import practice
    from portal.clock import utcnow

    task = make_lesson(world.mentor, tasks=1).tasks[0]
    waiting = QUEUE_SHOWN + 3
    now = utcnow()
    for n in range(waiting):  # the later a person answered here, the longer ago (n days)
        person = make_user(f"Waiting {n:02d}")
        submission = practice.submit(task, person.id, practice.Answer(body="Please look."))
        submission.updated_at = now - timedelta(days=n)
    db.session.commit()
    login(world.mentor)
    page = client.get("/").get_data(as_text=True)
    assert f"Awaiting your feedback ({waiting})" in page
    assert f"The oldest {QUEUE_SHOWN} are shown" in page
    shown = [n for n in range(waiting) if f"Waiting {n:02d}" in page]
    assert shown == list(range(3, waiting))  # the three newest wait for the next visit
    assert page.index(f"Waiting {waiting - 1:02d}") < page.index("Waiting 03")  # oldest first


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"strengths": ""}, "Say what worked, specifically"),
        ({"strengths": "Good"}, "Say what worked, specifically"),
        ({"improvements": "fine."}, "Say what to change, specifically"),
        ({"next_step": "  "}, "Give one concrete next step"),
        ({"outcome": None}, "Choose accept or revise."),
        ({"outcome": "maybe"}, "Not a valid choice"),
    ],
)
def test_incomplete_feedback_is_refused(client, login, world, submit, rubric, change, message):
    submission = submit()
    login(world.mentor)
    response = client.post(
        f"/submissions/{submission.id}", data=feedback_form_data(rubric, **change)
    )
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(Feedback) == 0 and count(Score) == 0
    db.session.refresh(submission)
    assert submission.status == "submitted"


def test_scores_must_cover_every_criterion_within_one_to_four(client, login, world, submit, rubric):
    submission = submit()
    login(world.mentor)
    first = f"criterion_{rubric.criteria[0].id}"
    missing = client.post(
        f"/submissions/{submission.id}", data=feedback_form_data(rubric, **{first: None})
    )
    assert missing.status_code == 422 and f"Score “{rubric.criteria[0].name}”" in missing.get_data(
        True
    )
    for bad in ("5", "0", "three"):
        response = client.post(
            f"/submissions/{submission.id}", data=feedback_form_data(rubric, **{first: bad})
        )
        assert response.status_code == 422
    assert count(Feedback) == 0


def test_only_the_mentees_mentors_give_feedback(client, login, world, submit, rubric):
    submission = submit()
    for person, status in (
        (world.other_mentor, 404),  # may not see it: it does not exist for them
        (world.mentee, 403),  # sees it, may not review it
        (world.coordinator, 404),  # runs no program the mentee is in
    ):
        login(person)
        assert (
            client.post(
                f"/submissions/{submission.id}", data=feedback_form_data(rubric)
            ).status_code
            == status
        )
    assert count(Feedback) == 0


def test_double_clicked_feedback_is_stored_once(client, login, world, submit, rubric):
    submission = submit()
    login(world.mentor)
    client.post(f"/submissions/{submission.id}", data=feedback_form_data(rubric))
    again = client.post(f"/submissions/{submission.id}", data=feedback_form_data(rubric))
    page = again.get_data(as_text=True)
    assert again.status_code == 422 and "already has feedback" in page
    assert "The team photo needs names" in page  # the text typed is shown again, not lost
    assert count(Feedback) == 1


def test_two_mentors_at_once_make_one_decision(app, world, submit, rubric, make_lesson):
    from portal.accounts import mentorships

    ship = mentorships.request_mentorship(
        world.mentee, world.other_mentor, "mentee", [topic_id("accessibility")]
    )
    mentorships.respond(ship, world.other_mentor, accept=True)
    submission = submit()
    data = feedback_form_data(rubric)
    people = [world.mentor.email, world.other_mentor.email] * 3
    submission_id = submission.id

    def review(email):
        client = app.test_client()
        client.post("/auth/login", data={"email": email, "password": PASSWORD})
        response = client.post(f"/submissions/{submission_id}", data=data)
        page = response.get_data(as_text=True)
        return response.status_code, "a moment ago" in page or "already has feedback" in page

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(review, people))
    db.session.rollback()
    assert count(Feedback) == 1
    assert sum(status == 302 for status, _ in results) == 1
    assert all(told for status, told in results if status != 302)  # the others are told why
    assert all(status in (302, 422) for status, _ in results)
    assert db.session.get(Submission, submission_id).status == "needs_revision"


def test_observation_without_a_submission(client, login, world, rubric):
    login(world.mentor)
    url = f"/people/{world.mentee.id}/observe?topic={topic_id('accessibility')}"
    data = feedback_form_data(rubric, outcome=None)
    assert client.post(url, data=data).status_code == 302
    observation = db.session.scalar(select(Feedback))
    assert observation.submission_id is None and observation.outcome is None
    login(world.mentee)
    page = client.get("/progress/").get_data(as_text=True)
    assert "Observations" in page and "The team photo needs names" in page

    login(world.other_mentor)
    assert client.post(url, data=data).status_code == 404
    assert count(Feedback) == 1


def test_observation_uses_the_chosen_topics_rubric(client, login, world):
    from portal.accounts.models import Mentorship
    from portal.topics import Topic

    mentorship = db.session.scalar(select(Mentorship))
    mentorship.topics.append(db.session.get(Topic, topic_id("leadership")))
    db.session.commit()
    login(world.mentor)
    leadership = current_rubric(topic_id("leadership"))
    url = f"/people/{world.mentee.id}/observe?topic={leadership.topic_id}"
    assert "Motivating the team" in client.get(url).get_data(as_text=True)
    client.post(url, data=feedback_form_data(leadership, outcome=None))
    assert db.session.scalar(select(Feedback.topic_id)) == leadership.topic_id


def test_editing_a_rubric_keeps_scores_already_given(client, login, world, submit, rubric):
    submission = submit()
    login(world.mentor)
    client.post(f"/submissions/{submission.id}", data=feedback_form_data(rubric, 3))
    old_names = sorted(c.name for c in rubric.criteria)

    login(world.coordinator)
    data = {}
    for i in range(3):
        data[f"criteria-{i}-name"] = f"New criterion {i}"
        data[f"criteria-{i}-description"] = "What it looks at"
        for n in (1, 2, 3, 4):
            data[f"criteria-{i}-level_{n}"] = f"Level {n} of criterion {i}"
    assert client.post("/topics/accessibility/rubric", data=data).status_code == 302
    new = current_rubric(topic_id("accessibility"))
    assert new.version == 2 and [c.name for c in new.criteria][0] == "New criterion 0"

    feedback = db.session.scalar(select(Feedback))
    assert feedback.rubric_id == rubric.id
    assert sorted(s.criterion.name for s in feedback.scores) == old_names
    assert count(Rubric) == 4  # three seeded topics, plus the new version


def test_rubric_editing_rules(client, login, world):
    login(world.mentor)
    assert client.get("/topics/accessibility/rubric").status_code == 403
    login(world.coordinator)
    two = {
        f"criteria-{i}-{k}": "x"
        for i in range(2)
        for k in ("name", "level_1", "level_2", "level_3", "level_4")
    }
    response = client.post("/topics/accessibility/rubric", data=two)
    assert response.status_code == 422 and "A rubric has 3 to 5 criteria." in response.get_data(
        True
    )
    half = {"criteria-0-name": "Only a name"}
    assert "Describe all four levels" in client.post(
        "/topics/accessibility/rubric", data=half
    ).get_data(True)
    assert count(Rubric) == 3


def test_a_new_topic_gets_a_rubric(client, login, world):
    login(world.coordinator)
    client.post("/topics/new", data={"name": "Public speaking", "slug": "public-speaking"})
    assert len(current_rubric(topic_id("public-speaking")).criteria) == 3
    assert "Feedback rubric" in client.get("/topics/public-speaking").get_data(as_text=True)


def test_ratings_are_given_by_mentees_and_aggregated_for_the_author(
    client, login, world, make_user
):
    login(world.mentee)
    assert (
        client.post(
            f"/lessons/{world.lesson.id}/rate",
            data={"rating-helpfulness": "5", "rating-clarity": "4"},
        ).status_code
        == 403
    )
    client.post(f"/lessons/{world.lesson.id}/start")
    client.post(
        f"/lessons/{world.lesson.id}/rate",
        data={"rating-helpfulness": "5", "rating-clarity": "4", "rating-comment": "Eye-opening"},
    )
    client.post(
        f"/lessons/{world.lesson.id}/rate",  # rating again replaces it
        data={"rating-helpfulness": "4", "rating-clarity": "4", "rating-comment": "Eye-opening"},
    )
    login(world.other_mentee)
    client.post(f"/lessons/{world.lesson.id}/start")
    client.post(
        f"/lessons/{world.lesson.id}/rate", data={"rating-helpfulness": "2", "rating-clarity": "3"}
    )
    bad = client.post(
        f"/lessons/{world.lesson.id}/rate",
        data={"rating-helpfulness": "9", "rating-clarity": "3"},
        follow_redirects=True,
    )
    assert "Choose a rating from 1 to 5" in bad.get_data(as_text=True)
    assert count(Rating) == 2

    login(world.mentor)
    page = client.get("/").get_data(as_text=True)
    assert "How mentees rate your lessons" in page
    assert "<strong>3.0</strong> helpfulness" in page and "<strong>3.5</strong> clarity" in page
    assert "Eye-opening" in page


def test_self_assessment_over_time(client, login, world):
    login(world.mentee)
    for confidence in ("2", "4"):
        client.post(
            "/progress/",
            data={
                "self-topic": str(topic_id("leadership")),
                "self-confidence": confidence,
                "self-note": "ok",
            },
        )
    assert count(SelfAssessment) == 2
    bad = client.post(
        "/progress/", data={"self-topic": str(topic_id("leadership")), "self-confidence": "6"}
    )
    assert bad.status_code == 422 and count(SelfAssessment) == 2
    page = client.get("/progress/").get_data(as_text=True)
    assert "Confidence over time" in page and "<strong>4</strong> latest confidence" in page
