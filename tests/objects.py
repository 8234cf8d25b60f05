"""One real object of every kind a POST route names, each owned by someone who may post to it,
and every POST route of the app as a URL built on them.

The hostile-input fuzzer and the CSRF sweep use these, so that no route answers 404 or 403 to
everyone merely because the object in its URL does not exist.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

from portal.extensions import db
from tests.conftest import topic_id


@dataclass
class Objects:
    ids: dict[str, object]  # URL argument -> value, for every route
    per_endpoint: dict[str, dict[str, object]] = field(default_factory=dict)  # exceptions
    people: SimpleNamespace = field(default_factory=SimpleNamespace)


def _program(world, invitee):
    from portal.programs import services as programs

    today = date.today()
    data = programs.ProgramData(
        name="Fuzz program",
        focus="leadership",
        goal_statement="Accessible documents.",
        goal_metric="Survey mean",
        goal_baseline=3.0,
        goal_target=4.0,
        target_kind="absolute",
        goal_achievable="",
        goal_relevant="",
        starts_on=today - timedelta(weeks=2),
        ends_on=today + timedelta(weeks=10),
        checkin_weeks=4,
        weekly_hours_limit=2,
    )
    program = programs.save_program(None, data, world.coordinator.id)
    programs.invite(program, [world.mentor.id], "mentor")
    programs.invite(program, [world.mentee.id, world.other_mentee.id], "mentee")
    topics = [topic_id("accessibility")]
    programs.respond(program, world.mentor, True, capacity=1, topic_ids=topics)
    programs.respond(program, world.mentee, True, topic_ids=topics)
    programs.run_matching(program)
    programs.confirm(program, world.coordinator)  # the mentor and the mentee: confirmed
    programs.invite(program, [world.other_mentor.id], "mentor")
    programs.respond(program, world.other_mentor, True, capacity=1, topic_ids=topics)
    programs.respond(program, world.other_mentee, True, topic_ids=topics)
    programs.run_matching(program)  # the other mentor and the other mentee: a draft
    programs.invite(program, [invitee.id], "mentee")  # invited, not answered yet
    programs.advance(program)
    return program


def every_kind(world, make_user, submission) -> Objects:
    """Add to `world` a program, its pairs, a survey with links, a group session and a
    mentorship request, and say which ids each POST route gets."""
    from lessons.sessions import services as sessions
    from portal.accounts import mentorships
    from portal.accounts.meetings import services as meetings
    from portal.clock import utcnow
    from portal.programs import invite_links, surveys
    from portal.programs.models import Match

    invitee = make_user("Ivy Invitee", seniority=6)
    program = _program(world, invitee)
    confirmed, draft = (
        db.session.scalar(db.select(Match).where(Match.status == status))
        for status in ("confirmed", "draft")
    )
    survey = surveys.create_survey(
        program, world.mentee.id, "Team survey", "baseline", list(surveys.LEADERSHIP_TEMPLATE)
    )
    token = surveys.issue_links(survey, 1)[0]
    session = sessions.create_session(
        world.mentor.id,
        sessions.SessionData(
            title="Alt text clinic",
            starts_at=utcnow() + timedelta(days=2),
            duration_minutes=60,
            place="Room 4",
            capacity=3,
            lesson_id=world.lesson.id,
        ),
        [world.mentee.id, world.other_mentee.id],
    )
    # A comment of the mentee's under her answer, and her support request to the program.
    from portal.accounts.models import Mentorship
    from portal.conversations import services as conversations
    from portal.programs import support

    comment = conversations.post(world.mentee, "submission", submission.id, "What do you mean?")
    pair = db.session.get(Mentorship, confirmed.mentorship_id)
    help_request = support.ask(world.mentee, pair, "conversation", "Help me prepare.")
    # A request the mentor has to answer (the active one with the mentee is the world's).
    request = mentorships.request_mentorship(
        world.other_mentee, world.mentor, "mentee", [topic_id("accessibility")]
    )
    active = mentorships.open_between(world.mentor.id, world.mentee.id)
    meeting = meetings.schedule(
        world.mentee,
        active,
        meetings.MeetingData(utcnow() + timedelta(days=3), 45, "Room 4"),
    )
    item = meetings.add_action_item(
        world.mentee, meeting, world.mentee.id, "Try it once", date.today() + timedelta(days=7)
    )
    # Observations of the mentee: one to acknowledge, one acknowledged with a commitment.
    from feedback import services as feedback
    from tests.conftest import feedback_data

    observed, thanked = (
        feedback.record_observation(
            world.mentor, world.mentee, topic_id("accessibility"), feedback_data("accessibility", 3)
        )
        for _ in range(2)
    )
    acknowledgement = feedback.acknowledge(world.mentee, thanked, "I will describe every chart.")
    link = invite_links.create(
        program,
        world.coordinator,
        invite_links.LinkData("mentee", date.today() + timedelta(days=7), "UTC"),
    )
    # A people file the coordinator uploaded, waiting for its import.
    from portal.accounts import importing

    upload, _plan = importing.upload(
        world.coordinator, "people.csv", b"name,email\nNew Person,new.person@example.org\n"
    )
    ids = {
        "meeting_id": meeting.id,
        "item_id": item.id,
        "feedback_id": observed.id,
        "acknowledgement_id": acknowledgement.id,
        "import_id": upload.id,
        "link_id": link.id,
        "lesson_id": world.lesson.id,
        "task_id": world.task.id,
        "submission_id": submission.id,
        "user_id": world.mentee.id,
        "mentorship_id": request.id,
        "program_id": program.id,
        "session_id": session.id,
        "match_id": draft.id,
        "survey_id": survey.id,
        "mentee_id": world.mentee.id,
        "slug": "accessibility",
        "token": token,
        "comment_id": comment.id,
        "request_id": help_request.id,
    }
    per_endpoint = {
        "programs.checkin": {"match_id": confirmed.id},
        "kudos.send_kudos": {"user_id": world.mentor.id},
        "conversations.post_comment": {"kind": "submission", "subject_id": submission.id},
        "support.ask": {"mentorship_id": confirmed.mentorship_id},
        "meetings.new": {"mentorship_id": active.id},
        "invite_links.open_link": {"token": invite_links.token_for(link)},
    }
    people = SimpleNamespace(
        mentee=world.mentee,
        mentor=world.mentor,
        coordinator=world.coordinator,
        invitee=invitee,
    )
    return Objects(ids, per_endpoint, people)


# Routes that take no data, only pass the request on (their target is checked itself).
REDIRECT_ONLY = frozenset({"static", "auth_shortcuts.shortcut"})
# Routes without a CSRF token by design: the signed token in the address is the authority, and
# mail clients post RFC 8058's one-click unsubscribe without a page (test_notifications.py
# proves a wrong token changes nothing).
CSRF_EXEMPT = frozenset({"notifications.unsubscribe"})
# Single sign-on answers 404 without an OpenID provider; test_sso.py posts hostile input (and no
# CSRF token) to these against the test provider.
NEEDS_PROVIDER = frozenset({"sso.start", "sso.link"})


def post_urls(app, objects: Objects) -> dict[str, str]:
    """Every POST route's URL (one per choice of an `any(...)` part), by `endpoint action`."""
    urls = {}
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if (
            "POST" not in rule.methods
            or rule.endpoint in REDIRECT_ONLY | CSRF_EXEMPT | NEEDS_PROVIDER
        ):
            continue
        choices = {
            arg: sorted(converter.items)
            for arg, converter in rule._converters.items()
            if type(converter).__name__ == "AnyConverter"
        }
        known = {**objects.ids, **objects.per_endpoint.get(rule.endpoint, {})}
        values = {arg: known[arg] for arg in rule.arguments if arg not in choices}
        for picked in itertools.product(*choices.values()) if choices else [()]:
            chosen = dict(zip(choices, picked, strict=True))
            name = " ".join([rule.endpoint, *picked])
            urls[f"{name} {rule.rule}"] = adapter.build(rule.endpoint, {**values, **chosen})
    return urls
