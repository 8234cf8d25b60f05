"""The mentee schedules a one-on-one meeting from the mentorship page, starting the agenda
from a template; the mentor sees it on his dashboard, adds an action item for her, and she
ticks it off."""

from datetime import date, datetime, timedelta

from playwright.sync_api import expect

from tests.browser import harness
from tests.browser.plan import MENTEE, MENTOR


def test_the_mentee_schedules_a_meeting_and_the_mentor_sees_it(page, browser, server):
    harness.sign_in(page, MENTEE)
    page.get_by_role("region", name="Your mentorships").get_by_role(
        "link", name="Leo Martins"
    ).first.click()
    meetings = page.get_by_role("region", name="Meetings")
    meetings.get_by_role("link", name="Schedule a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule a meeting with Leo Martins")
    page.get_by_role("link", name="Preparing a difficult conversation").click()
    expect(page.get_by_label("Agenda", exact=True)).to_contain_text("The facts: the situation")
    start = datetime.now() + timedelta(days=20)
    page.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT09:30"))
    page.get_by_label("Duration (minutes)").fill("30")
    page.get_by_label("Place or meeting link").fill("htps://meet.example.com/x")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_role("alert")).to_contain_text("Use a link starting with https://")
    page.get_by_label("Place or meeting link").fill("https://meet.example.com/journey")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_role("status")).to_contain_text("Meeting scheduled")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meeting with Leo Martins")
    expect(page.get_by_role("link", name="https://meet.example.com/journey")).to_be_visible()
    meeting_url = page.url

    mentor = browser.new_context(base_url=server).new_page()
    harness.sign_in(mentor, MENTOR)
    mentor.goto("/notifications")
    expect(mentor.get_by_role("main")).to_contain_text("Margaret Okafor invited you to a meeting")
    mentor.goto(meeting_url)
    expect(mentor.get_by_role("heading", level=1)).to_have_text("Meeting with Margaret Okafor")
    mentor.get_by_label("Action", exact=True).fill("Say the first sentence out loud twice")
    mentor.get_by_role("radio", name="Margaret Okafor").check()
    mentor.get_by_label("Due", exact=True).fill((date.today() + timedelta(days=21)).isoformat())
    mentor.get_by_role("button", name="Add action item").click()
    expect(mentor.get_by_role("status")).to_contain_text("Action item added")
    mentor.context.close()

    page.goto("/")
    dashboard = page.get_by_role("region", name="Meetings")
    expect(dashboard).to_contain_text("Say the first sentence out loud twice")
    dashboard.get_by_role("link", name="Say the first sentence out loud twice").click()
    page.get_by_role("button", name="Tick off Say the first sentence out loud twice").click()
    expect(page.get_by_role("status")).to_contain_text("Ticked off")
