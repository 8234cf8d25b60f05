"""The feedback coach on the feedback and observation forms: advice on check and on send,
never a gate."""

import pytest
from sqlalchemy import func, select

from feedback.models import Feedback
from feedback.rubrics import current_rubric
from portal.extensions import db
from tests.conftest import feedback_form_data, topic_id

JUDGING = {
    "strengths": "Great job, really well done!",
    "improvements": "You are arrogant in the comments and you never answer questions.",
    "next_step": "Be more open.",
}


@pytest.fixture
def rubric():
    return current_rubric(topic_id("accessibility"))


def feedback_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Feedback))


def test_check_shows_the_hints_beside_the_fields_and_saves_nothing(
    client, login, world, submit, rubric
):
    submission = submit()
    login(world.mentor)
    # only the text is written: checking it asks for no scores and no outcome
    response = client.post(
        f"/submissions/{submission.id}", data={**JUDGING, "check": "Check my feedback"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Feedback coach: 3 suggestions" in page
    assert 'href="#improvements">Improvements</a>' in page
    assert "<q>You are arrogant</q>" in page and "<q>you never answer</q>" in page
    assert "<q>Great job</q>" in page and "<q>Be more open</q>" in page
    assert "(situation)" in page and "(impact)" in page
    assert 'href="/resources/mentor#sec-situation-behaviour-impact">How to say this</a>' in page
    assert "Please fix" not in page  # no errors for the scores not chosen yet
    assert "You are arrogant in the comments" in page  # the text is kept in the form
    assert feedback_count() == 0


def test_check_of_good_feedback_says_so(client, login, world, submit, rubric):
    submission = submit()
    login(world.mentor)
    data = feedback_form_data(rubric, check="Check my feedback")
    page = client.post(f"/submissions/{submission.id}", data=data).get_data(as_text=True)
    assert "Feedback coach:</strong> nothing to point out" in page
    assert feedback_count() == 0


def test_send_goes_through_with_hints_and_the_author_sees_them_afterwards(
    client, login, world, submit, rubric
):
    submission = submit()
    login(world.mentor)
    response = client.post(
        f"/submissions/{submission.id}",
        data=feedback_form_data(rubric, **JUDGING),
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert feedback_count() == 1
    assert "Feedback sent to Margaret Mentee." in page
    assert "The feedback coach has 3 suggestions for next time" in page
    assert "Feedback coach: 3 suggestions for next time (only you see this)" in page
    login(world.mentee)
    mentee_page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "You are arrogant in the comments" in mentee_page
    assert "Feedback coach" not in mentee_page


def test_an_invalid_send_shows_the_errors_and_the_hints(client, login, world, submit, rubric):
    submission = submit()
    login(world.mentor)
    data = feedback_form_data(rubric, outcome=None, **JUDGING)
    response = client.post(f"/submissions/{submission.id}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose accept or revise." in page and "Feedback coach: 3 suggestions" in page
    assert feedback_count() == 0


def test_the_observation_form_has_the_coach_too(client, login, world, rubric):
    login(world.mentor)
    url = f"/people/{world.mentee.id}/observe?topic={topic_id('accessibility')}"
    assert "Check my feedback" in client.get(url).get_data(as_text=True)
    checked = client.post(url, data={**JUDGING, "check": "Check my feedback"})
    assert checked.status_code == 200
    assert "Feedback coach: 3 suggestions" in checked.get_data(as_text=True)
    assert f'formaction="/people/{world.mentee.id}/observe?topic=' in checked.get_data(as_text=True)
    assert feedback_count() == 0
    sent = client.post(
        url, data=feedback_form_data(rubric, outcome=None, **JUDGING), follow_redirects=True
    )
    page = sent.get_data(as_text=True)
    assert feedback_count() == 1
    assert "Observation recorded for Margaret Mentee." in page
    assert "Feedback coach: 3 suggestions for next time (only you see this)" in page


def test_a_stranger_cannot_use_the_check_to_reach_the_form(client, login, world, submit):
    submission = submit()
    login(world.other_mentor)
    data = {**JUDGING, "check": "Check my feedback"}
    assert client.post(f"/submissions/{submission.id}", data=data).status_code == 404
    assert client.post(f"/people/{world.mentee.id}/observe", data=data).status_code == 404
    login(world.mentee)  # sees the answer, reviews nothing
    assert client.post(f"/submissions/{submission.id}", data=data).status_code == 403
