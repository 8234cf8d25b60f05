"""Acknowledge and commit: "Thanks — I'll try this" on feedback and observations received,
with a commitment that shows on the progress page per topic and can be ticked off."""

import pytest
from sqlalchemy import func, select

from feedback import services
from feedback.models import Acknowledgement
from portal.extensions import db
from portal.notifications.models import Notification, OutboxMessage
from tests import test_access_matrix as matrix
from tests.conftest import feedback_data, topic_id
from tests.test_access_matrix import ROLES, _outcome
from tests.test_feedback_queries import queries

record = matrix.record  # Margaret's record and everyone around it, as a fixture here too
PROMISE = "I will ask one quiet person for their view in each team meeting."


def acknowledgements() -> int:
    return db.session.scalar(select(func.count()).select_from(Acknowledgement))


def told(user, kind="feedback_acknowledged") -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
        )
    )


@pytest.fixture
def given(world, submit):
    """Leo's feedback on Margaret's answer, and his observation of her."""
    submission = submit()
    feedback = services.give_feedback(
        world.mentor, submission, feedback_data("accessibility", 3, "revise")
    )
    observation = services.record_observation(
        world.mentor, world.mentee, topic_id("accessibility"), feedback_data("accessibility", 2)
    )
    return feedback, observation


def ack_data(feedback, commitment=PROMISE) -> dict:
    return {f"ack-{feedback.id}-commitment": commitment}


def test_the_mentee_thanks_commits_and_the_giver_sees_it(client, login, world, given):
    feedback, _ = given
    login(world.mentee)
    page = client.get(f"/submissions/{feedback.submission_id}").get_data(as_text=True)
    assert "Thanks — I&#39;ll try this" in page and f'for="ack-{feedback.id}-commitment"' in page
    response = client.post(
        f"/feedback/{feedback.id}/acknowledge", data=ack_data(feedback), follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Thanks sent to Leo Mentor." in page
    assert "You thanked Leo Mentor for this feedback" in page
    assert f"<q>{PROMISE}</q>" in page and "Thanks — I&#39;ll try this" not in page
    [note] = told(world.mentor)
    assert note.text == (
        f"Margaret Mentee thanked you for your feedback in “Alt text” and will try this: "
        f"“{PROMISE}”"
    )
    assert note.link == f"/submissions/{feedback.submission_id}"
    assert db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.to_address == world.mentor.email)
        .where(OutboxMessage.subject.contains("thanked you"))
    )
    login(world.mentor)
    page = client.get(f"/submissions/{feedback.submission_id}").get_data(as_text=True)
    assert "Margaret Mentee thanked you for this feedback" in page and PROMISE in page
    assert "Thanks — I&#39;ll try this" not in page


def test_commitments_show_per_topic_with_their_date_and_are_ticked_off(client, login, world, given):
    feedback, observation = given
    login(world.mentee)
    client.post(f"/feedback/{feedback.id}/acknowledge", data=ack_data(feedback))
    client.post(f"/feedback/{observation.id}/acknowledge", data=ack_data(observation, ""))
    page = client.get("/progress/").get_data(as_text=True)
    accessibility = page[page.index('id="topic-accessibility"') :]
    assert "Commitments after feedback" in accessibility
    assert accessibility.count("<q>") == 1  # the thanks without a commitment lists nothing
    assert PROMISE in accessibility and "after feedback from Leo Mentor" in accessibility
    [ack] = db.session.scalars(select(Acknowledgement).where(Acknowledgement.commitment != ""))
    assert ack.created_at.strftime("%d %b %Y") in accessibility
    assert "Mark done" in accessibility and "Open" in accessibility
    done = client.post(f"/commitments/{ack.id}", data={"done": "1"}, follow_redirects=True)
    page = done.get_data(as_text=True)
    assert "Commitment marked done" in page and "Not done yet" in page
    db.session.refresh(ack)
    assert ack.done_at is not None
    assert [n.text for n in told(world.mentor)][-1].startswith(
        "Margaret Mentee has done what they committed to after your feedback in “Alt text”"
    )
    again = client.post(f"/commitments/{ack.id}", data={"done": "1"}, follow_redirects=True)
    assert "already marked done" in again.get_data(as_text=True)
    assert len(told(world.mentor)) == 3  # two thanks, one done: not a second "done"
    client.post(f"/commitments/{ack.id}", data={"done": "0"})
    db.session.refresh(ack)
    assert ack.done_at is None


def test_observations_are_acknowledged_on_the_progress_page(client, login, world, given):
    _, observation = given
    login(world.mentee)
    page = client.get("/progress/").get_data(as_text=True)
    assert f'action="/feedback/{observation.id}/acknowledge"' in page
    client.post(f"/feedback/{observation.id}/acknowledge", data=ack_data(observation, ""))
    [note] = told(world.mentor)
    assert note.text == "Margaret Mentee thanked you for your observation on Accessibility."
    assert note.link == f"/progress/{world.mentee.id}"
    login(world.mentor)
    page = client.get(f"/progress/{world.mentee.id}").get_data(as_text=True)
    assert "Margaret Mentee thanked you for this feedback" in page


def test_one_acknowledgement_per_feedback(client, login, world, given):
    feedback, _ = given
    login(world.mentee)
    client.post(f"/feedback/{feedback.id}/acknowledge", data=ack_data(feedback))
    second = client.post(
        f"/feedback/{feedback.id}/acknowledge",
        data=ack_data(feedback, "Something else entirely."),
        follow_redirects=True,
    )
    assert "You have already thanked Leo Mentor for this feedback; nothing changed." in (
        second.get_data(as_text=True)
    )
    assert acknowledgements() == 1
    assert db.session.scalar(select(Acknowledgement.commitment)) == PROMISE
    assert len(told(world.mentor)) == 1
    # the page for it shows what was said, and no second form
    page = client.get(f"/feedback/{feedback.id}/acknowledge").get_data(as_text=True)
    assert "You thanked Leo Mentor" in page and 'name="ack-' not in page


def test_the_service_refuses_a_second_acknowledgement_too(world, given):
    feedback, _ = given
    services.acknowledge(world.mentee, feedback, "")
    with pytest.raises(services.Conflict):
        services.acknowledge(world.mentee, feedback, PROMISE)
    assert acknowledgements() == 1


def test_a_long_commitment_is_refused_with_a_clear_message(client, login, world, given):
    feedback, _ = given
    login(world.mentee)
    response = client.post(
        f"/feedback/{feedback.id}/acknowledge", data=ack_data(feedback, "x" * 301)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Keep it to 300 characters or fewer." in page
    assert f'id="ack-{feedback.id}-commitment-error"' in page
    assert "x" * 301 in page  # the text is kept to shorten
    assert acknowledgements() == 0 and told(world.mentor) == []
    # exactly 300 is fine; spaces around it do not count
    ok = client.post(
        f"/feedback/{feedback.id}/acknowledge", data=ack_data(feedback, f"  {'y' * 300}  ")
    )
    assert ok.status_code == 302 and acknowledgements() == 1


def test_the_giver_cannot_acknowledge_for_the_mentee(world, given):
    feedback, _ = given
    with pytest.raises(services.NotAllowed):
        services.acknowledge(world.mentor, feedback, PROMISE)
    ack = services.acknowledge(world.mentee, feedback, PROMISE)
    with pytest.raises(services.NotAllowed):
        services.mark_commitment(world.mentor, ack, True)


# -- who may: every relationship of the access matrix ----------------------------------------

OK, DO, FB, NO, IN = 200, 302, 403, 404, "login"
# {fa}: the active mentor's feedback on her accessibility answer; {fo}: his observation,
# which she has thanked him for with a commitment, {ack}.
MATRIX = {
    ("GET", "/feedback/{fa}/acknowledge"): (OK, FB, NO, NO, NO, FB, NO, NO, NO, FB, NO, NO, IN),
    ("POST", "/feedback/{fa}/acknowledge"): (DO, FB, NO, NO, NO, FB, NO, NO, NO, FB, NO, NO, IN),
    ("GET", "/feedback/{fo}/acknowledge"): (OK, FB, NO, NO, NO, NO, NO, NO, NO, FB, NO, NO, IN),
    ("POST", "/commitments/{ack}"): (DO, FB, NO, NO, NO, NO, NO, NO, NO, FB, NO, NO, IN),
}  # fmt: skip


@pytest.fixture
def thanked(request):
    record = request.getfixturevalue("record")
    fa = services.give_feedback(
        record.active_mentor, record.sa, feedback_data("accessibility", 3, "accept")
    )
    fo = services.record_observation(
        record.active_mentor,
        record.owner,
        topic_id("accessibility"),
        feedback_data("accessibility", 2),
    )
    ack = services.acknowledge(record.owner, fo, PROMISE)
    return {"fa": fa.id, "fo": fo.id, "ack": ack.id}


@pytest.mark.parametrize(("method", "path"), list(MATRIX))
def test_only_the_mentee_acknowledges_and_ticks_off(client, login, request, thanked, method, path):
    record, wrong = request.getfixturevalue("record"), []
    for role, expected in zip(ROLES, MATRIX[(method, path)], strict=True):
        if expected == DO and role != "owner":
            continue
        client.post("/auth/logout")
        if role != "anonymous":
            login(getattr(record, role))
        url = path.format(**thanked)
        response = (
            client.get(url)
            if method == "GET"
            else client.post(url, data={f"ack-{thanked['fa']}-commitment": "", "done": "1"})
        )
        if _outcome(response) != expected:
            wrong.append((role, expected, _outcome(response)))
    assert wrong == [], f"{method} {path}: (role, expected, got)"
    # nobody but the owner changed anything
    ack = db.session.get(Acknowledgement, thanked["ack"])
    db.session.refresh(ack)
    if path == "/commitments/{ack}":
        assert ack.done_at is not None  # by the owner, the one allowed
    elif method == "POST":
        assert acknowledgements() == 2


def test_missing_feedback_and_commitments_are_404(client, login, world):
    login(world.mentee)
    assert client.get("/feedback/999999/acknowledge").status_code == 404
    assert client.post("/commitments/999999", data={"done": "1"}).status_code == 404


# -- a fixed number of queries ---------------------------------------------------------------


def grow(world, count: int) -> None:
    """More observations for the mentee, each thanked with a commitment, some ticked off."""
    for n in range(count):
        observation = services.record_observation(
            world.mentor, world.mentee, topic_id("accessibility"), feedback_data("accessibility", 3)
        )
        ack = services.acknowledge(world.mentee, observation, f"Commitment number {n}.")
        if n % 2:
            services.mark_commitment(world.mentee, ack, True)
        services.record_observation(
            world.mentor, world.mentee, topic_id("accessibility"), feedback_data("accessibility", 2)
        )  # and one not thanked yet: it has a form


def test_the_progress_page_runs_a_fixed_number_of_queries(client, login, world, count_queries):
    grow(world, 2)
    pages = {world.mentee: "/progress/", world.mentor: f"/progress/{world.mentee.id}"}
    small = {}
    for person, path in pages.items():
        login(person)
        small[path] = queries(client, count_queries, path)
    grow(world, 8)
    for person, path in pages.items():
        login(person)
        page = client.get(path).get_data(as_text=True)
        assert page.count("Commitment number") >= 10
        assert queries(client, count_queries, path) == small[path], path
