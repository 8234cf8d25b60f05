"""A mentor signs up, writes an accessible lesson with help from the checker, adds tasks."""

import re

from playwright.sync_api import expect

FIRST_DRAFT = """## Why alt text matters

Screen readers read the alt text aloud.

![](https://example.org/chart.png)

| Situation | Alt text |
|---|---|
| Chart | Its conclusion |

```text
![Bar chart: sign-ups doubled](chart.png)
```
"""


def test_mentor_writes_previews_fixes_and_publishes_a_lesson(page):
    page.goto("/")
    page.get_by_role("link", name="Create an account").first.click()
    page.get_by_label("Full name").fill("Noor Haddad")
    page.get_by_label("Email").fill("noor@example.org")
    page.get_by_label("Job title").fill("Accessibility Tester")
    page.get_by_label("Seniority level").fill("2")
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Repeat password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status")).to_contain_text("sign in with the password you just chose")
    page.get_by_label("Email").fill("noor@example.org")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")

    page.get_by_role("link", name="Lessons", exact=True).click()
    page.get_by_role("link", name="Write a lesson").click()
    page.get_by_label("Title").fill("Alt text in five minutes")
    page.get_by_label("Topic").select_option(label="Accessibility")
    page.get_by_label("Summary").fill("Write alt text that tells the point of an image.")
    page.get_by_label("Lesson (Markdown)").fill(FIRST_DRAFT)
    page.get_by_label("Estimated minutes").fill("5")
    page.get_by_role("button", name="Preview").click()

    preview = page.get_by_role("region", name="Preview (not saved yet)")
    expect(preview.get_by_role("table")).to_be_visible()
    expect(preview.locator("pre code")).to_contain_text("Bar chart")
    expect(preview).to_contain_text("has no alt text")

    fixed = FIRST_DRAFT.replace("![](", "![Line chart: readers doubled in June](")
    page.get_by_label("Lesson (Markdown)").fill(fixed)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("no problems found")).to_be_visible()

    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alt text in five minutes")
    expect(page.get_by_role("status")).to_contain_text("Lesson published.")
    expect(page.get_by_role("img", name="Line chart: readers doubled in June")).to_be_attached()
    lesson_url = page.url

    for prompt in (
        "Add alt text to your last slide deck.",
        "Listen to one slide with a screen reader.",
    ):
        page.get_by_role("link", name="Add a practice task").click()
        page.get_by_label("Task (Markdown)").fill(prompt)
        page.get_by_label('What "done" looks like').fill("Every image is described.")
        page.get_by_role("button", name="Save task").click()
        expect(page).to_have_url(re.compile(re.escape(lesson_url) + "#tasks$"))

    tasks = page.locator("#tasks ol > li")
    expect(tasks).to_have_count(2)
    expect(tasks.nth(0)).to_contain_text("slide deck")
    expect(tasks.nth(1)).to_contain_text("screen reader")
