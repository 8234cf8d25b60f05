"""Fixtures for browser tests: one server and one Chromium for the session, a page per test."""

from __future__ import annotations

import os

import pytest

from tests.browser import harness
from tests.conftest import postgres_schema


@pytest.fixture(scope="session")
def chromium():
    path = harness.chromium_path()
    if path is None:
        if harness.browser_required():
            pytest.fail(harness.INSTALL_HINT)
        pytest.skip(harness.INSTALL_HINT)
    return path


@pytest.fixture(scope="session")
def server_database(tmp_path_factory):
    """The server's own database URL: a SQLite file, or a schema on the test PostgreSQL."""
    workdir = tmp_path_factory.mktemp("server")
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield workdir, f"sqlite:///{workdir / 'browser.db'}"
        return
    with postgres_schema(url, f"flipside_browser_{os.getpid()}") as settings:
        search_path = settings["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["options"]
        yield workdir, f"{url}?options={search_path.replace('=', '%3D')}"


@pytest.fixture(scope="session")
def server(server_database):
    """The portal with demo data, in its own process."""
    workdir, url = server_database
    with harness.portal_server(workdir, url) as (base_url, _env):
        yield base_url


@pytest.fixture(scope="session")
def demo_ids(server, server_database):
    """Ids of demo objects the audit visits, read from the server's database."""
    from sqlalchemy import select

    from feedback.models import Acknowledgement, Feedback
    from lessons.models import Lesson, Submission, SubmissionStatus
    from lessons.sessions.models import GroupSession
    from portal import create_app
    from portal.accounts.identities import Claims
    from portal.accounts.meetings.models import Meeting
    from portal.accounts.mentorships import open_between
    from portal.accounts.models import PeopleImport
    from portal.accounts.reset import reset_token
    from portal.accounts.services import find_by_email
    from portal.accounts.sso import link_token
    from portal.extensions import db
    from portal.notifications import services as notifications
    from portal.programs import surveys
    from portal.programs.models import Match, Program, Survey
    from tests.browser.harness import SERVER_SECRET_KEY, SSO_SETTINGS
    from tests.browser.plan import MENTEE, MENTOR

    workdir, url = server_database
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "FLIPSIDE_INSTANCE_PATH": str(workdir),
            "SECRET_KEY": SERVER_SECRET_KEY,  # signs the unsubscribe and reset links
            **SSO_SETTINGS,
        }
    )
    with app.app_context():
        mentor = find_by_email(MENTOR)
        lessons = db.session.scalars(
            select(Lesson).where(Lesson.author_id == mentor.id).order_by(Lesson.id)
        ).all()
        published = next(lesson for lesson in lessons if lesson.is_published and lesson.tasks)
        draft = next(lesson for lesson in lessons if lesson.status == "draft")
        mentee = find_by_email(MENTEE)
        survey = db.session.scalar(select(Survey).order_by(Survey.id))
        waiting = db.session.scalar(
            select(Submission.id).where(
                Submission.mentee_id == mentee.id, Submission.status == SubmissionStatus.SUBMITTED
            )
        )
        session = db.session.scalar(select(GroupSession).order_by(GroupSession.starts_at))
        unthanked = db.session.scalar(  # an observation the mentee has not acknowledged yet
            select(Feedback.id)
            .outerjoin(Acknowledgement, Acknowledgement.feedback_id == Feedback.id)
            .where(
                Feedback.mentee_id == mentee.id,
                Feedback.submission_id.is_(None),
                Acknowledgement.id.is_(None),
            )
        )
        draft_program, draft_match = _draft_program(mentor, mentee)
        threads = _conversation_ids(mentor, mentee)
        pair = open_between(mentor.id, mentee.id)
        held, upcoming = db.session.scalars(
            select(Meeting.id).where(Meeting.mentorship_id == pair.id).order_by(Meeting.starts_at)
        ).all()[:2]
        invites = _invite_links(draft_program)
        ids = {
            "mentorship": pair.id,
            "meeting": held,
            "next_meeting": upcoming,
            "participant": next(p.mentee_id for p in session.participants),
            "draft_program": draft_program,
            "draft_match": draft_match,
            "lesson": published.id,
            "draft": draft.id,
            "task": published.tasks[0].id,
            "topic": published.topic.slug,
            "mentor": mentor.id,
            "mentee": mentee.id,
            "stranger": find_by_email("aisha@flipside.example").id,
            "submission": waiting,
            "unthanked": unthanked,
            "session": session.id,
            "program": db.session.scalar(select(Program.id)),
            "match": db.session.scalar(select(Match.id)),
            "survey": survey.id,
            "token": surveys.issue_links(survey, 1)[0],
            "unsubscribe": notifications.unsubscribe_token(mentee.id, "feedback_received"),
            "reset": reset_token(find_by_email("aisha@flipside.example")),
            **threads,
            "sso_link": link_token(
                find_by_email("aisha@flipside.example"),
                Claims(
                    SSO_SETTINGS["FLIPSIDE_OIDC_ISSUER"],
                    "aisha",
                    "aisha@flipside.example",
                    True,
                    "Aisha Khan",
                ),  # fmt: skip
            ),
            "people_import": db.session.scalar(select(PeopleImport.id)),
            **invites,
        }
        db.session.remove()
        db.engine.dispose()
    return ids


def _conversation_ids(mentor, mentee) -> dict[str, int]:
    """Helen's latest observation (from Priya) and her support request, and a message
    Margaret sends now, so that its edit page (open for ten minutes) is there to audit."""
    from sqlalchemy import select

    from feedback.models import Feedback
    from portal.accounts.mentorships import open_between
    from portal.accounts.services import find_by_email
    from portal.conversations import services as conversations
    from portal.extensions import db
    from portal.programs.models import SupportRequest

    helen = find_by_email("helen@flipside.example")
    observation = db.session.scalar(
        select(Feedback.id)
        .where(Feedback.mentee_id == helen.id, Feedback.submission_id.is_(None))
        .order_by(Feedback.created_at.desc())
    )
    pair = open_between(mentor.id, mentee.id)
    comment = conversations.post(mentee, "mentorship", pair.id, "See you on Thursday.")
    return {
        "observation": observation,
        "support": db.session.scalar(select(SupportRequest.id).order_by(SupportRequest.id)),
        "comment": comment.id,
    }


def _invite_links(draft_program: int) -> dict:
    """The demo's links (one open, one revoked), and two to the draft program that the
    coordinator is not in: one any address may use, one for another domain."""
    from datetime import date, timedelta

    from sqlalchemy import select

    from portal.extensions import db
    from portal.programs import invite_links as links
    from portal.programs.models import InviteLink, Program

    demo = db.session.scalars(select(InviteLink).order_by(InviteLink.id)).all()
    active = next(link for link in demo if link.revoked_at is None)
    revoked = next(link for link in demo if link.revoked_at is not None)
    program = db.session.get(Program, draft_program)
    made = {
        domain: links.create(
            program,
            active.created_by,
            links.LinkData("mentee", date.today() + timedelta(days=7), "UTC", domain),
        )
        for domain in ("", "example.com")
    }
    return {
        "invite_link": active.id,
        "invite": links.token_for(active),
        "revoked_invite": links.token_for(revoked),
        "draft_invite": links.token_for(made[""]),
        "foreign_invite": links.token_for(made["example.com"]),
    }


def _draft_program(mentor, mentee) -> tuple[int, int]:
    """A second program still in planning, with one draft pair (the demo's are confirmed)."""
    from dataclasses import replace

    from sqlalchemy import select

    from portal.extensions import db
    from portal.programs import services as programs
    from portal.programs.models import Program
    from portal.topics import all_topics

    demo = db.session.scalar(select(Program).order_by(Program.id))
    data = programs.ProgramData(
        **{f: getattr(demo, f) for f in programs.ProgramData.__dataclass_fields__}
    )
    program = programs.save_program(None, replace(data, name="Next cohort"), demo.created_by_id)
    topics = [t.id for t in all_topics()]
    for person, role in ((mentor, "mentor"), (mentee, "mentee")):
        programs.invite(program, [person.id], role)
        programs.respond(program, person, True, capacity=1, topic_ids=topics)
    programs.run_matching(program)
    return program.id, programs.matches_of(program.id)[0].id


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=harness.LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(page):
    def as_person(email: str) -> None:
        harness.sign_in(page, email)

    return as_person
