"""A mentor schedules a group session for three mentees; they accept; the mentor records
attendance and sees everyone in the feedback grid."""

import re
from datetime import datetime, timedelta

from playwright.sync_api import expect

from tests.browser import harness
from tests.browser.plan import MENTOR

MENTEES = {
    "margaret@flipside.example": "Margaret Okafor",
    "thomas@flipside.example": "Thomas Berg",
    "priya@flipside.example": "Priya Nair",
}


def _start_now(server_database, title: str) -> None:
    """Move the session's start into the past, in the server's database."""
    from sqlalchemy import update

    from lessons.sessions.models import GroupSession
    from portal import create_app
    from portal.clock import utcnow
    from portal.extensions import db

    workdir, url = server_database
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "FLIPSIDE_INSTANCE_PATH": str(workdir)})
    with app.app_context():
        db.session.execute(
            update(GroupSession)
            .where(GroupSession.title == title)
            .values(starts_at=utcnow() - timedelta(minutes=10))
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def test_group_session_with_three_mentees(page, browser, server, server_database):
    harness.sign_in(page, MENTOR)
    page.get_by_role("link", name="Sessions", exact=True).click()
    page.get_by_role("link", name="Schedule a session").click()
    page.get_by_label("Lesson").select_option(
        label="Alt text that helps: describing images for screen-reader users"
    )
    page.get_by_label("Title").fill("Alt text for the finance team")
    start = (datetime.now() + timedelta(days=10)).strftime("%Y-%m-%dT10:00")
    page.get_by_label("Starts").fill(start)
    page.get_by_label("Duration (minutes)").fill("45")
    page.get_by_label("Place or meeting link").fill("Room 2.01")
    page.get_by_label("Capacity").fill("4")
    invitees = page.get_by_role("group", name="Invite people")
    for name in MENTEES.values():
        invitees.get_by_label(re.compile(f"^{name}")).check()
    page.get_by_role("button", name="Schedule session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alt text for the finance team")
    session_url = page.url

    for email in MENTEES:
        mentee = browser.new_context(base_url=server).new_page()
        harness.sign_in(mentee, email)
        sessions = mentee.get_by_role("region", name="Group sessions")
        expect(sessions).to_contain_text("Invited — please answer")
        invitation = sessions.get_by_role("listitem").filter(
            has_text="Alt text for the finance team"
        )
        invitation.get_by_role("button", name="Accept").click()  # right on the dashboard
        expect(mentee.get_by_role("status")).to_contain_text("See you there!")
        mentee.context.close()

    page.goto(session_url)
    expect(page.get_by_role("heading", name="Who is coming (3 of 4)")).to_be_visible()
    expect(
        page.get_by_text("You can record who came once the session has started.")
    ).to_be_visible()
    _start_now(server_database, "Alt text for the finance team")  # ten days later…
    page.reload()
    attendance = page.get_by_role("group", name="Who attended?")
    attendance.get_by_label("Margaret Okafor").check()
    attendance.get_by_label("Thomas Berg").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_role("status")).to_contain_text("Attendance saved.")
    grid = page.get_by_role("region", name="Feedback grid")
    for name in MENTEES.values():
        expect(grid.get_by_role("rowheader", name=re.compile(name))).to_be_visible()
    expect(grid.get_by_role("rowheader", name=re.compile("Priya Nair"))).to_contain_text("(absent)")
