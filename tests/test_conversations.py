"""Conversations: under an answer (across its attempts), under an observation, on a pair's page,
and a support request to the program's coordinator — each private to the people concerned.

The world: Leo mentors Margaret in accessibility (an active mentorship, confirmed by Cora's
program) and wrote the lesson she answered; Olga is another mentee, Omar another mentor, Otto
a signed-in outsider. Cora coordinates the program: she sees Margaret's record, and must still
read none of the pair's threads — only the support request written to her.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from feedback.services import record_observation
from portal.accounts.mentorships import open_between
from portal.conversations import access, services
from portal.conversations.models import Comment
from portal.errors import DomainError, NotFound
from portal.extensions import db
from portal.notifications.models import Notification
from portal.programs import services as programs
from portal.programs import support
from portal.programs.models import SupportRequest
from tests.conftest import feedback_data, topic_id

ROLES = ("mentee", "mentor", "other_mentee", "other_mentor", "coordinator", "outsider", "anonymous")


@pytest.fixture
def talk(world, make_user, submit):
    """The world, a program that confirmed the pair, an answer, an observation, a support
    request, and one comment with a marker in each thread."""
    w = world
    w.outsider = make_user("Otto Outsider")
    program = programs.save_program(
        None,
        programs.ProgramData(
            name="Pilot",
            focus="leadership",
            goal_statement="Better feedback.",
            goal_metric="Survey mean",
            goal_baseline=3.0,
            goal_target=3.6,
            target_kind="absolute",
            goal_achievable="",
            goal_relevant="",
            starts_on=date.today() - timedelta(days=30),
            ends_on=date.today() + timedelta(days=90),
        ),
        w.coordinator.id,
    )
    topics = [topic_id("accessibility")]
    programs.invite(program, [w.mentor.id], "mentor")
    programs.invite(program, [w.mentee.id, w.other_mentee.id], "mentee")
    programs.respond(program, w.mentor, True, capacity=1, topic_ids=topics)
    programs.respond(program, w.mentee, True, topic_ids=topics)
    programs.run_matching(program)
    programs.confirm(program, w.coordinator)
    w.program = program
    w.pair = open_between(w.mentor.id, w.mentee.id)
    assert support.program_of(w.pair).id == program.id
    w.submission = submit()
    w.observation = record_observation(
        w.mentor, w.mentee, topic_id("accessibility"), feedback_data("accessibility", 3)
    )
    w.request = support.ask(w.mentee, w.pair, "conversation", "SECRET-support: help me.")
    w.subjects = {
        "submission": (w.submission.id, f"/submissions/{w.submission.id}"),
        "observation": (w.observation.id, f"/observations/{w.observation.id}"),
        "mentorship": (w.pair.id, f"/mentorships/{w.pair.id}"),
        "support": (w.request.id, f"/support/{w.request.id}"),
    }
    w.comments = {}
    for kind, (subject_id, _page) in w.subjects.items():
        if kind != "support":
            services.post(w.mentee, kind, subject_id, f"SECRET-{kind}: a question.")
    db.session.commit()
    return w


# Who takes part in each kind of thread (reads it and writes in it); everyone else signed in
# is told it does not exist, and the anonymous visitor is asked to sign in.
PARTICIPANTS = {
    "submission": {"mentee", "mentor"},
    "observation": {"mentee", "mentor"},
    "mentorship": {"mentee", "mentor"},
    "support": {"mentee", "coordinator"},
}
# The subject's page is still shown (without the thread) to these people.
PAGE_WITHOUT_THREAD = {"submission": {"coordinator"}}


def _as(client, login, talk, role):
    client.post("/auth/logout")
    if role != "anonymous":
        login(getattr(talk, role))


def _outcome(response):
    if response.status_code == 302 and response.location.startswith("/auth/login"):
        return "login"
    return response.status_code


@pytest.mark.parametrize("kind", list(PARTICIPANTS))
def test_only_the_participants_read_a_thread(client, login, talk, kind):
    _subject_id, page = talk.subjects[kind]
    wrong = []
    for role in ROLES:
        _as(client, login, talk, role)
        response = client.get(page)
        shown = f"SECRET-{kind}" in response.get_data(as_text=True)
        if role == "anonymous":
            expected = ("login", False)
        elif role in PARTICIPANTS[kind]:
            expected = (200, True)
        elif role in PAGE_WITHOUT_THREAD.get(kind, ()):
            expected = (200, False)
        else:
            expected = (404, False)
        if (_outcome(response), shown) != expected:
            wrong.append((role, expected, (_outcome(response), shown)))
    assert wrong == []


@pytest.mark.parametrize("kind", list(PARTICIPANTS))
def test_only_the_participants_write_in_a_thread(client, login, talk, kind):
    subject_id, page = talk.subjects[kind]
    before = db.session.scalar(select(func.count(Comment.id)))
    wrong, written = [], 0
    for role in ROLES:
        _as(client, login, talk, role)
        response = client.post(f"/conversations/{kind}/{subject_id}", data={"comment-body": "Hi."})
        allowed = role in PARTICIPANTS[kind]
        expected = 302 if allowed else ("login" if role == "anonymous" else 404)
        if _outcome(response) != expected:
            wrong.append((role, expected, _outcome(response)))
        if allowed and response.status_code == 302:
            assert response.location.startswith(page + "#comment-")
            written += 1
    assert wrong == []
    assert db.session.scalar(select(func.count(Comment.id))) == before + written


def test_the_edit_and_delete_pages_are_the_authors(client, login, talk):
    """The other participant may not change a comment (403); anyone else is told there is no
    such comment (404), like a comment that does not exist."""
    comment = db.session.scalar(select(Comment).order_by(Comment.id.desc()))  # the mentee's
    for role, expected in (
        ("mentee", 200),
        ("mentor", 403),
        ("coordinator", 404),
        ("other_mentee", 404),
        ("outsider", 404),
        ("anonymous", "login"),
    ):
        _as(client, login, talk, role)
        for action in ("edit", "delete"):
            url = f"/comments/{comment.id}/{action}"
            assert _outcome(client.get(url)) == expected, (role, action)
            posted = client.post(url, data={"body": "Changed.", "confirm": "yes"})
            assert _outcome(posted) == (302 if role == "mentee" else expected), (role, action)
            if role == "mentee":
                break  # the edit is checked; the delete below
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).body == "Changed."
    login(talk.mentee)
    assert client.get("/comments/999999/edit").status_code == 404


def test_the_coordinator_reads_nothing_of_the_pair_and_the_partner_nothing_of_support(
    client, login, talk
):
    login(talk.coordinator)
    page = client.get(f"/submissions/{talk.submission.id}").get_data(as_text=True)
    assert "SECRET-submission" not in page and 'id="conversation"' not in page
    assert client.get(f"/mentorships/{talk.pair.id}").status_code == 404
    login(talk.mentor)
    page = client.get(f"/mentorships/{talk.pair.id}").get_data(as_text=True)
    assert "SECRET-mentorship" in page
    assert "SECRET-support" not in page and f"/support/{talk.request.id}" not in page
    login(talk.mentee)
    page = client.get(f"/mentorships/{talk.pair.id}").get_data(as_text=True)
    assert f"/support/{talk.request.id}" in page  # her own request, listed for her


# Notifications --------------------------------------------------------------------------------


def _notices(user, kind="comment_posted"):
    return db.session.scalars(
        select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
    ).all()


def test_each_comment_tells_the_other_participants_and_links_to_it(talk):
    from portal.notifications.models import OutboxMessage

    def emails():
        return db.session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.to_address == talk.mentee.email
            )
        )

    mentor_before, emails_before = len(_notices(talk.mentor)), emails()
    comment = services.post(talk.mentor, "submission", talk.submission.id, "Yes, the footer.")
    assert emails() == emails_before + 1  # by email too, through the same outbox
    mentee_notices = _notices(talk.mentee)
    assert mentee_notices[-1].link == f"/submissions/{talk.submission.id}#comment-{comment.id}"
    assert "Leo Mentor wrote in your conversation" in mentee_notices[-1].text
    assert len(_notices(talk.mentor)) == mentor_before  # never told of one's own comment
    assert _notices(talk.coordinator) == []


def test_a_support_request_tells_the_coordinator_and_only_them(talk):
    [told] = _notices(talk.coordinator, "support_requested")
    assert told.link.startswith(f"/support/{talk.request.id}#comment-")
    assert "Margaret Mentee asks for support in Pilot" in told.text
    assert _notices(talk.mentor, "support_requested") == []
    services.post(talk.coordinator, "support", talk.request.id, "Happy to help: Tuesday?")
    assert _notices(talk.mentee)[-1].link.startswith(f"/support/{talk.request.id}#comment-")
    assert all(not n.link.startswith("/support/") for n in _notices(talk.mentor))


def test_a_failed_comment_leaves_no_notification(talk):
    before = db.session.scalar(select(func.count(Notification.id)))
    with pytest.raises(DomainError):
        services.post(talk.mentor, "submission", talk.submission.id, "   ")
    db.session.rollback()
    assert db.session.scalar(select(func.count(Notification.id))) == before


# Editing, deleting, sanitizing ------------------------------------------------------------------


@pytest.fixture
def later(monkeypatch):
    """Move the clock the comment rules read (portal.clock.utcnow) on by some minutes."""
    from portal.clock import utcnow

    def move(minutes: float) -> None:
        moved = lambda: utcnow() + timedelta(minutes=minutes)  # noqa: E731
        monkeypatch.setattr(services, "utcnow", moved)
        monkeypatch.setattr(access, "utcnow", moved)

    return move


def test_the_author_edits_within_ten_minutes_only(client, login, talk, later):
    comment = services.post(talk.mentee, "mentorship", talk.pair.id, "Thursday at 9?")
    login(talk.mentee)
    later(9)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 200
    page = client.get(f"/mentorships/{talk.pair.id}").get_data(as_text=True)
    assert f"/comments/{comment.id}/edit" in page
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "Thursday at 10?"})
    assert response.status_code == 302
    page = client.get(f"/mentorships/{talk.pair.id}").get_data(as_text=True)
    assert "Thursday at 10?" in page and "edited" in page
    later(11)
    page = client.get(f"/mentorships/{talk.pair.id}").get_data(as_text=True)
    assert f"/comments/{comment.id}/edit" not in page  # the link goes with the window
    assert client.get(f"/comments/{comment.id}/edit").status_code == 302  # back, with a word
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "Friday?"})
    assert response.status_code == 409
    assert "10 minutes after it is sent" in response.get_data(as_text=True)
    assert "Friday?" in response.get_data(as_text=True)  # the new text is kept to copy
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).body == "Thursday at 10?"


def test_the_window_is_checked_when_writing(talk, later):
    comment = services.post(talk.mentee, "mentorship", talk.pair.id, "First.")
    later(10.5)
    with pytest.raises(DomainError, match="10 minutes"):
        services.edit(talk.mentee, comment, "Second.")
    assert db.session.get(Comment, comment.id).body == "First."


def test_a_deleted_comment_shows_as_deleted_without_its_text(client, login, talk):
    comment = services.post(talk.mentee, "mentorship", talk.pair.id, "Regrettable words.")
    login(talk.mentee)
    confirm = client.get(f"/comments/{comment.id}/delete")
    assert confirm.status_code == 200 and "Delete your comment?" in confirm.get_data(as_text=True)
    assert client.post(f"/comments/{comment.id}/delete").status_code == 200  # asks first
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).deleted_at is None
    response = client.post(f"/comments/{comment.id}/delete", data={"confirm": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Comment, comment.id)
    assert stored.deleted_at is not None and stored.body == "" and stored.body_html == ""
    login(talk.mentor)
    page = client.get(f"/mentorships/{talk.pair.id}").get_data(as_text=True)
    assert "Regrettable words" not in page and "This message was deleted" in page
    login(talk.mentee)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403


def test_markdown_is_sanitized_on_write_and_shown_from_the_cache(client, login, talk):
    body = (
        'Look: <script>alert("x")</script> **bold** [a](javascript:alert(1)) '
        "<img src=x onerror=alert(1)>"
    )
    comment = services.post(talk.mentee, "mentorship", talk.pair.id, body)
    assert "<strong>bold</strong>" in comment.body_html
    for bad in ("<script", 'href="javascript:', "onerror"):
        assert bad not in comment.body_html
    login(talk.mentor)
    page = client.get(f"/mentorships/{talk.pair.id}").get_data(as_text=True)
    assert "<strong>bold</strong>" in page
    assert 'alert("x")' not in page and "onerror" not in page


def test_a_very_long_message_is_refused_beside_its_field(client, login, talk):
    login(talk.mentee)
    before = db.session.scalar(select(func.count(Comment.id)))
    response = client.post(
        f"/conversations/mentorship/{talk.pair.id}", data={"comment-body": "x" * 20_001}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "up to 5,000 characters; this one has 20,001" in page
    assert 'aria-invalid="true"' in page
    assert db.session.scalar(select(func.count(Comment.id))) == before
    with pytest.raises(DomainError, match="up to 5,000"):
        services.post(talk.mentee, "mentorship", talk.pair.id, "y" * 5_001)


def test_an_empty_message_is_refused(client, login, talk):
    login(talk.mentee)
    response = client.post(f"/conversations/mentorship/{talk.pair.id}", data={"comment-body": "  "})
    assert response.status_code == 422
    assert "Write your message first." in response.get_data(as_text=True)


def test_an_ended_mentorship_keeps_its_conversation_read_only(client, login, talk):
    from portal.accounts import mentorships

    mentorships.end(talk.pair, talk.mentor)
    login(talk.mentee)
    page = client.get(f"/mentorships/{talk.pair.id}").get_data(as_text=True)
    assert "SECRET-mentorship" in page and "no longer open" in page
    assert 'action="/conversations/mentorship/' not in page
    response = client.post(f"/conversations/mentorship/{talk.pair.id}", data={"comment-body": "Hi"})
    assert response.status_code == 403


def test_ending_the_mentorship_ends_the_mentors_part_in_the_answers_thread(talk):
    from portal.accounts import mentorships

    mentorships.end(talk.pair, talk.mentee)
    # Leo wrote the lesson too, so he may still review the answer as its author; without
    # that lesson on her list, the thread is the mentee's alone.
    from lessons.models import Assignment

    db.session.execute(Assignment.__table__.delete())
    db.session.commit()
    with pytest.raises(NotFound):
        services.post(talk.mentor, "submission", talk.submission.id, "Still there?")


def test_one_thread_across_all_attempts(talk, submit):
    from feedback.services import give_feedback

    give_feedback(talk.mentor, talk.submission, feedback_data("accessibility", 2, "revise"))
    again = submit(body="Second attempt.")
    assert again.id == talk.submission.id and again.attempt_count == 2
    page = services.thread_page("submission", again.id)
    assert [c.body for c in page.comments] == ["SECRET-submission: a question."]


# Pages of a thread -----------------------------------------------------------------------------


def _fill(talk, n: int) -> None:
    for i in range(n):
        author = talk.mentee if i % 2 else talk.mentor
        services.post(author, "mentorship", talk.pair.id, f"Message number {i + 1}.")


@pytest.mark.parametrize("size", [4, 45])
def test_a_page_of_a_thread_takes_two_queries(talk, count_queries, size):
    _fill(talk, size)
    pair_id = talk.pair.id
    db.session.expire_all()
    assert talk.mentee.name  # the viewer is loaded, as on a page
    with count_queries() as statements:
        page = services.thread_page("mentorship", pair_id, viewer=talk.mentee)
        [c.author.name for c in page.comments]
    assert len(statements) == 2


def test_the_mentorship_page_runs_as_many_queries_at_two_sizes(client, login, talk, count_queries):
    login(talk.mentee)
    counted = []
    for size in (3, 40):
        _fill(talk, size)
        with count_queries() as statements:
            assert client.get(f"/mentorships/{talk.pair.id}").status_code == 200
        counted.append(len(statements))
    assert counted[0] == counted[1]


def test_the_newest_page_comes_first_and_earlier_ones_are_linked(client, login, talk):
    _fill(talk, services.PER_PAGE + 5)  # and the fixture's one: 26 messages, two pages
    login(talk.mentor)
    page = client.get(f"/mentorships/{talk.pair.id}").get_data(as_text=True)
    assert "Message number 25." in page and "Message number 5." not in page
    assert "Page 2 of 2" in page and "?comments=1#conversation" in page
    earlier = client.get(f"/mentorships/{talk.pair.id}?comments=1").get_data(as_text=True)
    assert "SECRET-mentorship" in earlier and "Message number 19." in earlier
    assert "Message number 20." not in earlier


# Support --------------------------------------------------------------------------------------


def test_the_coordinator_sees_open_requests_on_the_dashboard_and_resolves_them(client, login, talk):
    login(talk.coordinator)
    page = client.get("/").get_data(as_text=True)
    assert "Support requests (1)" in page and "Waiting for your reply" in page
    services.post(talk.coordinator, "support", talk.request.id, "Let's talk on Tuesday.")
    page = client.get("/").get_data(as_text=True)
    assert "Support requests (1)" in page and "Waiting for your reply" not in page
    assert client.post(f"/support/{talk.request.id}/resolve").status_code == 302
    assert "Support requests" not in client.get("/").get_data(as_text=True)
    services.post(talk.mentee, "support", talk.request.id, "One more thing.")
    db.session.expire_all()
    assert db.session.get(SupportRequest, talk.request.id).closed_at is None  # open again
    login(talk.mentee)
    assert client.post(f"/support/{talk.request.id}/resolve").status_code == 403
    login(talk.other_mentor)
    assert client.post(f"/support/{talk.request.id}/resolve").status_code == 404


@pytest.mark.parametrize("extra", [1, 12])
def test_the_support_panel_takes_a_fixed_number_of_queries(talk, make_user, count_queries, extra):
    from portal.programs.panels import support_requests

    for _ in range(extra):
        support.ask(talk.mentor, talk.pair, "not_working", "We never meet.")
    db.session.expire_all()
    assert talk.coordinator.is_coordinator  # the viewer is loaded, as on a page
    with count_queries() as statements:
        context = support_requests(talk.coordinator)
        [(r.requester.name, r.mentorship.mentor.name, r.program.name) for r in context["requests"]]
    assert len(context["requests"]) == extra + 1
    assert len(statements) == 2


def test_asking_for_support_from_the_page(client, login, talk):
    login(talk.mentor)
    page = client.get(f"/mentorships/{talk.pair.id}").get_data(as_text=True)
    assert "Ask Cora Coordinator for support" in page
    form = client.get(f"/mentorships/{talk.pair.id}/support")
    assert form.status_code == 200
    empty = client.post(f"/mentorships/{talk.pair.id}/support", data={"body": ""})
    assert empty.status_code == 422
    assert "Choose what you need help with." in empty.get_data(as_text=True)
    sent = client.post(
        f"/mentorships/{talk.pair.id}/support",
        data={"reason": "not_working", "body": "Our meetings keep moving."},
    )
    assert sent.status_code == 302 and sent.location.startswith("/support/")
    page = client.get(sent.location).get_data(as_text=True)
    assert "Our meetings keep moving." in page and "This mentorship is not working" in page
    for role in ("other_mentee", "coordinator", "outsider"):
        _as(client, login, talk, role)
        assert client.get(f"/mentorships/{talk.pair.id}/support").status_code == 404, role


def test_a_pair_outside_every_program_is_told_there_is_no_coordinator(
    client, login, world, make_user
):
    from portal.accounts import mentorships

    pair = mentorships.request_mentorship(
        world.other_mentee, world.other_mentor, "mentee", [topic_id("leadership")]
    )
    mentorships.respond(pair, world.other_mentor, accept=True)
    login(world.other_mentee)
    page = client.get(f"/mentorships/{pair.id}").get_data(as_text=True)
    assert "not part of a program, so there is no coordinator to ask" in page
    response = client.post(
        f"/mentorships/{pair.id}/support", data={"reason": "other", "body": "Help."}
    )
    assert response.status_code == 200 and "not part of a program" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count(SupportRequest.id))) == 0


def test_the_progress_page_links_an_observation_to_its_conversation_for_its_two_people(
    client, login, talk
):
    link = f"/observations/{talk.observation.id}#conversation"
    for role, shown in (("mentee", True), ("mentor", True), ("coordinator", False)):
        _as(client, login, talk, role)
        path = "/progress/" if role == "mentee" else f"/progress/{talk.mentee.id}"
        page = client.get(path).get_data(as_text=True)
        assert (link in page) is shown, role


def test_flask_rerender_renders_comments_of_an_older_renderer_again(app, talk, runner):
    comment = services.post(talk.mentee, "mentorship", talk.pair.id, "**Bold** move.")
    deleted = services.post(talk.mentee, "mentorship", talk.pair.id, "Gone.")
    services.delete(talk.mentee, deleted)
    db.session.execute(Comment.__table__.update().values(html_version=0, body_html="<p>stale</p>"))
    db.session.commit()
    result = runner.invoke(args=["rerender"])
    assert "comment(s)" in result.output
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).body_html == "<p><strong>Bold</strong> move.</p>"
    assert db.session.get(Comment, deleted.id).body_html == "<p>stale</p>"  # deleted: left alone
    assert services.rerender_stale() == 0
