"""`make screenshots`: narrow (375 px) and wide (1280 px) pictures of the main pages.

Writes docs/screenshots/<name>-<width>.png from a fresh demo database.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from tests.browser import harness
from tests.browser.plan import COORDINATOR, MENTEE, MENTOR

OUT = harness.ROOT / "docs" / "screenshots"
WIDTHS = (375, 1280)
# (file name, who is signed in, path); "{lesson}" is the mentor's first published lesson.
SHOTS = [
    ("landing", None, "/"),
    ("sign-in", None, "/auth/login"),
    ("dashboard-mentee", MENTEE, "/"),
    ("library", MENTEE, "/lessons/"),
    ("my-lessons", MENTEE, "/lessons/mine"),
    ("lesson", MENTEE, "{lesson}"),
    ("topics", MENTEE, "/topics/"),
    ("dashboard-mentor", MENTOR, "/"),
    ("lesson-author", MENTOR, "{lesson}"),
    ("editor-preview", MENTOR, "preview"),
    ("revisions", MENTOR, "{lesson}/revisions"),
    ("feedback-form", MENTOR, "{waiting}"),
    ("progress-of-mentee", MENTOR, "{progress}"),
    ("progress", MENTEE, "/progress/"),
    ("session-mentor", MENTOR, "{session}"),
    ("sessions", MENTEE, "/sessions/"),
    ("rubric", COORDINATOR, "/topics/leadership"),
    ("program", COORDINATOR, "/programs/1"),
    ("matching", COORDINATOR, "/programs/1/matching"),
    ("report", COORDINATOR, "/programs/1/report"),
    ("profile", COORDINATOR, "/profile/edit"),
    ("notifications", MENTOR, "/notifications"),
    ("notification-preferences", MENTEE, "/notifications/preferences"),
    ("programs", COORDINATOR, "/programs/?state=closed"),
]


def _lesson_path(page) -> str:
    page.goto("/lessons/?q=alt+text+that+helps")
    page.get_by_role("link", name="Alt text that helps").first.click()
    return "/" + page.url.split("/", 3)[3]


def _waiting_submission(page) -> str:
    """The first submission in the signed-in mentor's feedback queue."""
    page.goto("/")
    return (
        page.get_by_role("region", name=re.compile("Awaiting your feedback"))
        .get_by_role("link")
        .first.get_attribute("href")
    )


def _show_preview(page) -> None:
    page.goto("/lessons/new")
    page.get_by_label("Title").fill("Describing charts")
    page.get_by_label("Summary").fill("Give the point of a chart in one sentence.")
    page.get_by_label("Lesson (Markdown)").fill(
        "## The one-sentence rule\n\nSay what the chart **shows**, not what it looks like.\n\n"
        "![](sales.png)\n\n| Chart | Alt text |\n|---|---|\n| Sales | Sales doubled in 2026 |\n\n"
        "[click here](https://www.w3.org/WAI/tutorials/images/complex/) for more."
    )
    page.get_by_role("button", name="Preview").click()


def main() -> int:
    from playwright.sync_api import sync_playwright

    chromium = harness.chromium_path()
    if chromium is None:
        print(harness.INSTALL_HINT, file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, harness.portal_server(Path(tmp)) as (url, _env):
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=harness.LAUNCH_ARGS)
            for width in WIDTHS:
                _shoot_all(browser, url, width)
            browser.close()
    print(f"Screenshots written to {OUT.relative_to(harness.ROOT)}/")
    return 0


def _shoot_all(browser, url: str, width: int) -> None:
    person, page, lesson = object(), None, None
    for name, who, path in SHOTS:
        if who != person:
            if page:
                page.context.close()
            page = browser.new_context(
                base_url=url, viewport={"width": width, "height": 900}
            ).new_page()
            if who:
                harness.sign_in(page, who)
            person = who
        if path == "preview":
            _show_preview(page)
        else:
            if "{lesson}" in path:
                lesson = lesson or _lesson_path(page)
                path = path.format(lesson=lesson)
            elif path == "{waiting}":
                path = _waiting_submission(page)
            elif path == "{session}":
                page.goto("/sessions/")
                link = page.get_by_role("link", name=re.compile("web team")).first
                path = link.get_attribute("href")
            elif path == "{progress}":
                page.goto("/mentorships/")
                path = page.get_by_role("link", name=re.compile("^Progress")).first.get_attribute(
                    "href"
                )
            page.goto(path)
        page.screenshot(path=OUT / f"{name}-{width}.png", full_page=True)
    page.context.close()


if __name__ == "__main__":
    sys.exit(main())
