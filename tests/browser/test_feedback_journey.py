"""A mentee practises and a mentor gives structured feedback, in two browsers at once:
find the lesson, submit, get "revise", resubmit, get "accept", see the progress chart."""

import re

from playwright.sync_api import expect

from tests.browser import harness
from tests.browser.plan import MENTEE, MENTOR

LESSON = "Accessible documents in fifteen minutes: headings, links and contrast"


def give_feedback(page, level: int, outcome: str, strengths: str) -> None:
    form = page.get_by_role("region", name=re.compile("Give feedback"))
    for group in form.locator("fieldset:has(input[name^=criterion_])").all():
        group.get_by_label(re.compile(rf"^{level} —")).check()
    form.get_by_label("Strengths: what worked").fill(strengths)
    form.get_by_label("Improvements: what to change").fill("Two links still read 'click here'.")
    form.get_by_label("Next step").fill("Rename the two links after their destinations.")
    form.get_by_label(re.compile(f"^{outcome.capitalize()} —")).check()
    form.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("status")).to_contain_text("Feedback sent to Margaret Okafor.")


def test_submit_revise_resubmit_accept_and_see_progress(page, browser, server):
    # The mentee finds the lesson through search and answers its second task.
    harness.sign_in(page, MENTEE)
    page.get_by_role("link", name="Lessons", exact=True).click()
    page.get_by_label("Search").fill("contrast")
    page.get_by_role("button", name="Show lessons").click()
    page.get_by_role("link", name=LESSON).click()
    page.get_by_role("link", name=re.compile("^Do task 2")).click()
    page.get_by_label("Your answer (Markdown)").fill(
        "Rewrote the links in three emails:\n\n- *here* → the travel policy"
    )
    page.get_by_label("Link").fill("https://intranet.example.org/emails/42")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_text("Awaiting feedback").first).to_be_visible()
    submission_url = page.url

    # The mentor sees it waiting on the dashboard and asks for a revision.
    mentor = browser.new_context(base_url=server).new_page()
    harness.sign_in(mentor, MENTOR)
    queue = mentor.get_by_role("region", name=re.compile("Awaiting your feedback"))
    queue.get_by_role("link", name=re.compile(r"Accessible documents.*task 2")).click()
    expect(mentor.get_by_text("the travel policy")).to_be_visible()
    give_feedback(mentor, 2, "revise", "You rewrote real links from your own emails.")

    # The mentee is told, reads the feedback and revises.
    page.goto("/")
    news = page.get_by_role("region", name=re.compile("Feedback for you"))
    expect(news).to_contain_text("Leo Martins")
    news.get_by_role("link", name=LESSON).click()
    expect(page.get_by_text("You rewrote real links from your own emails.")).to_be_visible()
    page.get_by_role("link", name="Revise your answer").click()
    page.get_by_label("Your answer (Markdown)").fill("All five links now name their destination.")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("heading", name=re.compile("Attempt 2"))).to_be_visible()

    # The mentor accepts the second attempt.
    mentor.goto(submission_url)
    give_feedback(mentor, 4, "accept", "Every link now says where it goes; well done.")
    mentor.context.close()

    # The mentee sees the decision and the progress chart with its data table.
    page.goto(submission_url)
    expect(page.get_by_text("Accepted").first).to_be_visible()
    page.goto("/progress/")
    section = page.get_by_role("region", name="Accessibility")
    expect(
        section.get_by_role("img", name=re.compile("Average rubric score in Accessibility"))
    ).to_be_visible()
    section.get_by_text("The chart's data").first.click()
    expect(section.get_by_role("table").nth(1)).to_contain_text("4.00")
