"""A mentee asks about "revise" feedback and the mentor answers, in two browsers at once:
Aisha asks Thomas to revise his post, Thomas asks what she means under his answer, Aisha is
told and replies, Thomas reads the reply and they schedule a meeting to talk it through;
nobody else sees the conversation."""

import re
from datetime import datetime, timedelta

from playwright.sync_api import expect

from tests.browser import harness
from tests.browser.plan import COORDINATOR

MENTOR, MENTEE = "aisha@flipside.example", "thomas@flipside.example"
LESSON = "Write a LinkedIn post people actually read"


def test_the_mentee_replies_to_revise_feedback_and_the_mentor_answers(page, browser, server):
    # Aisha finds Thomas's second answer waiting and asks for a revision.
    harness.sign_in(page, MENTOR)
    queue = page.get_by_role("region", name=re.compile("Awaiting your feedback"))
    queue.get_by_role("link", name=re.compile(rf"{LESSON}, task 2")).click()
    form = page.get_by_role("region", name=re.compile("Give feedback"))
    for group in form.locator("fieldset:has(input[name^=criterion_])").all():
        group.get_by_label(re.compile(r"^2 —")).check()
    form.get_by_label("Strengths: what worked").fill("You measured the post after 48 hours.")
    form.get_by_label("Improvements: what to change").fill("The numbers have no comparison.")
    form.get_by_label("Next step").fill("Compare it with your last three posts.")
    form.get_by_label(re.compile("^Revise —")).check()
    form.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("status")).to_contain_text("Feedback sent to Thomas Berg.")
    answer_url = page.url

    # Thomas opens the feedback from his dashboard and asks what she means.
    thomas = browser.new_context(base_url=server).new_page()
    harness.sign_in(thomas, MENTEE)
    news = thomas.get_by_role("region", name=re.compile("Feedback for you"))
    news.get_by_role("link", name=re.compile(rf"{LESSON}, task 2")).click()
    expect(thomas.get_by_text("The numbers have no comparison.")).to_be_visible()
    talk = thomas.get_by_role("region", name="Questions about this answer")
    expect(talk).to_contain_text("Private to you and Aisha Khan")
    talk.get_by_label("Your message").fill(
        "Which posts should I compare with — **mine**, or the team's?"
    )
    talk.get_by_role("button", name="Send message").click()
    expect(thomas.get_by_role("status")).to_contain_text("Message sent.")
    question = thomas.get_by_role("article", name=re.compile("^You"))
    expect(question.locator("strong")).to_have_text("mine")  # Markdown, rendered

    # Aisha is told, follows the notification to the question and answers it.
    page.goto("/notifications")
    told = page.get_by_role("link", name=re.compile("Thomas Berg wrote in your conversation"))
    told.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(answer_url) + "#comment-"))
    talk = page.get_by_role("region", name="Questions about this answer")
    expect(talk.get_by_role("article", name=re.compile("^Thomas Berg"))).to_contain_text(
        "Which posts should I compare with"
    )
    talk.get_by_label("Your message").fill("Your own last three: you know what they reached.")
    talk.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("status")).to_contain_text("Message sent.")

    # Thomas reads the reply; a coordinator who sees his record sees none of it.
    thomas.reload()
    talk = thomas.get_by_role("region", name="Questions about this answer")
    expect(talk.get_by_role("article", name=re.compile("^Aisha Khan"))).to_contain_text(
        "Your own last three"
    )
    # They agree to talk it through: Thomas schedules a meeting from their mentorship's page.
    thomas.goto("/mentorships/")
    thomas.get_by_role("link", name="Aisha Khan", exact=True).first.click()
    expect(thomas.get_by_role("heading", level=1)).to_have_text("Mentorship with Aisha Khan")
    thomas.get_by_role("region", name="Meetings").get_by_role(
        "link", name="Schedule a meeting"
    ).click()
    start = datetime.now() + timedelta(days=3)
    thomas.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT10:00"))
    thomas.get_by_label("Duration (minutes)").fill("30")
    thomas.get_by_label("Place or meeting link").fill("Room 4, second floor")
    thomas.get_by_role("button", name="Schedule meeting").click()
    expect(thomas.get_by_role("status")).to_contain_text("Meeting scheduled")
    thomas.context.close()
    page.goto("/notifications")
    expect(page.get_by_role("main")).to_contain_text("Thomas Berg invited you to a meeting")

    sam = browser.new_context(base_url=server).new_page()
    harness.sign_in(sam, COORDINATOR)
    sam.goto(answer_url)
    expect(sam.get_by_role("heading", level=1)).to_have_text("Thomas Berg’s answer")
    expect(sam.get_by_text("Your own last three")).to_have_count(0)
    expect(sam.get_by_role("region", name="Questions about this answer")).to_have_count(0)
    sam.context.close()
