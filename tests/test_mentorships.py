"""Mentorships: asking, answering, ending; and the kind of pairing."""

import pytest
from sqlalchemy import func, select

from portal.accounts.models import Mentorship, pairing_kind
from portal.extensions import db
from tests.conftest import topic_id


@pytest.mark.parametrize(
    ("mentor", "mentee", "kind"), [(2, 8, "reverse"), (5, 5, "peer"), (8, 2, "traditional")]
)
def test_pairing_kind(mentor, mentee, kind):
    assert pairing_kind(mentor, mentee) == kind


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Mentorship))


def ask(client, person, role="mentee", topics=("accessibility",), message="Please?"):
    data = {"m-role": role, "m-topics": [str(topic_id(t)) for t in topics], "m-message": message}
    return client.post(f"/people/{person.id}", data=data)


def test_ask_accept_and_end(client, login, make_user):
    junior, senior = make_user("June Junior", seniority=2), make_user("Sam Senior", seniority=9)
    login(senior)
    assert ask(client, junior).status_code == 302
    mentorship = db.session.scalar(select(Mentorship))
    assert (mentorship.mentor_id, mentorship.mentee_id, mentorship.status) == (
        junior.id,
        senior.id,
        "pending",
    )
    assert mentorship.kind == "reverse"

    login(junior)
    dashboard = client.get("/").get_data(as_text=True)
    assert "Waiting for your answer" in dashboard and "Sam Senior" in dashboard
    client.post(f"/mentorships/{mentorship.id}/accept")
    db.session.refresh(mentorship)
    assert mentorship.status == "active" and mentorship.responded_at is not None
    assert "Reverse" in client.get("/mentorships/").get_data(as_text=True)

    login(senior)  # either person may end it
    client.post(f"/mentorships/{mentorship.id}/end", data={"confirm": "yes"})
    db.session.refresh(mentorship)
    assert mentorship.status == "ended"


def test_offer_to_mentor_and_decline(client, login, make_user):
    a, b = make_user(seniority=4), make_user(seniority=4)
    login(a)
    ask(client, b, role="mentor")
    mentorship = db.session.scalar(select(Mentorship))
    assert (mentorship.mentor_id, mentorship.mentee_id, mentorship.kind) == (a.id, b.id, "peer")
    login(b)
    client.post(f"/mentorships/{mentorship.id}/decline")
    db.session.refresh(mentorship)
    assert mentorship.status == "declined"


def test_only_the_invited_person_answers_once(client, login, make_user):
    a, b, c = make_user(), make_user(), make_user()
    login(a)
    ask(client, b)
    mentorship = db.session.scalar(select(Mentorship))
    assert client.post(f"/mentorships/{mentorship.id}/accept").status_code == 403  # the requester
    login(c)
    assert client.post(f"/mentorships/{mentorship.id}/accept").status_code == 404  # a stranger
    login(b)
    client.post(f"/mentorships/{mentorship.id}/accept")
    again = client.post(f"/mentorships/{mentorship.id}/decline", follow_redirects=True)
    assert "already been answered" in again.get_data(as_text=True)
    db.session.refresh(mentorship)
    assert mentorship.status == "active"


def test_bad_requests_save_nothing(client, login, make_user):
    a, b = make_user(), make_user()
    login(a)
    no_topic = ask(client, b, topics=())
    assert no_topic.status_code == 422 and "Choose at least one topic." in no_topic.get_data(True)
    no_role = client.post(f"/people/{b.id}", data={"m-topics": [str(topic_id("leadership"))]})
    assert no_role.status_code == 422
    assert ask(client, a).status_code == 200  # no form to ask yourself
    assert count() == 0
    ask(client, b)
    duplicate = ask(client, b, role="mentor")
    assert duplicate.status_code == 422
    assert "You already have a pending mentorship" in duplicate.get_data(as_text=True)
    assert count() == 1


@pytest.mark.parametrize(
    ("state", "mentors"),
    [("pending", False), ("declined", False), ("active", True), ("ended", False)],
)
def test_only_an_active_mentorship_makes_someone_a_mentor(make_user, make_lesson, state, mentors):
    """Assigning, observing, reviewing and seeing progress all need the mentorship active."""
    from feedback import access
    from lessons import practice
    from portal.accounts import mentorships
    from portal.errors import NotAllowed

    mentor, mentee = make_user(seniority=2), make_user(seniority=8)
    lesson = make_lesson(mentor)  # no submission: authorship does not count for this mentee
    pair = mentorships.request_mentorship(mentee, mentor, "mentee", [topic_id("accessibility")])
    if state != "pending":
        mentorships.respond(pair, mentor, accept=state != "declined")
    if state == "ended":
        mentorships.end(pair, mentee)
    assert mentorships.is_active_mentor(mentor.id, mentee.id) is mentors
    assert access.can_observe(mentor, mentee.id) is mentors
    assert access.can_view_progress(mentor, mentee.id) is mentors
    if mentors:
        assert (
            practice.assign_lesson(mentor.id, mentee.id, lesson, None).assigned_by_id == mentor.id
        )
    else:
        with pytest.raises(NotAllowed):
            practice.assign_lesson(mentor.id, mentee.id, lesson, None)


def test_the_mentorship_page_is_the_pairs_alone(client, login, make_user):
    junior, senior = make_user("June Junior", seniority=2), make_user("Sam Senior", seniority=9)
    outsider = make_user("Olga Outsider", coordinator=True)
    login(senior)
    ask(client, junior)
    mentorship = db.session.scalar(select(Mentorship))
    page = f"/mentorships/{mentorship.id}"
    login(junior)
    client.post(f"/mentorships/{mentorship.id}/accept")
    assert "You mentor" in client.get(page).get_data(as_text=True)
    login(senior)
    text = client.get(page).get_data(as_text=True)
    assert "Mentorship with June Junior" in text and "mentors you" in text
    assert "End mentorship" in text
    assert page in client.get("/mentorships/").get_data(as_text=True)  # the list links to it
    login(outsider)  # a coordinator included: to anyone else the pair's page does not exist
    assert client.get(page).status_code == 404
    assert client.get("/mentorships/999999").status_code == 404
