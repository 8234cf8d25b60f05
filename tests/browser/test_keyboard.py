"""Keyboard only: the skip link works, focus is always visible, the order follows the page,
and nothing traps focus."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.harness import DEMO_PASSWORD
from tests.browser.plan import MENTEE

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 120),
    id: el.id,
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    visible: box.width > 0 && box.height > 0,
    top: box.top + window.scrollY,
  };
}"""


def tab(page, backwards: bool = False) -> dict:
    page.keyboard.press("Shift+Tab" if backwards else "Tab")
    return page.evaluate(FOCUSED)


def tab_to(page, text: str, limit: int = 40) -> dict:
    """Press Tab until the focused element's text is `text`; every stop must show focus."""
    seen = []
    for _ in range(limit):
        focused = tab(page)
        if focused["tag"] == "body":
            continue  # past the last element, focus leaves the page and Tab starts again at the top
        assert focused["outline"] and focused["visible"], f"focus not visible on {focused}; {seen}"
        if focused["text"] == text or focused["id"] == text:
            return focused
        seen.append(focused["text"] or focused["id"])
    raise AssertionError(f"Tab never reached {text!r}; it went through {seen}")


def follow(page, key: str = "Enter") -> None:
    """Press a key that loads another page, and wait for it."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_sign_in_and_read_a_lesson_with_the_keyboard_alone(page):
    page.goto("/auth/login")
    first = tab(page)
    assert first["text"] == "Skip to main content" and first["outline"] and first["visible"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    tab_to(page, "email")
    page.keyboard.type(MENTEE)
    focused = tab(page)
    assert focused["id"] == "password"
    page.keyboard.type(DEMO_PASSWORD)
    remember = tab(page)
    assert remember["id"] == "remember"
    page.keyboard.press("Space")
    assert page.is_checked("#remember")
    page.keyboard.press("Shift+Tab")
    follow(page)  # Enter in the password field submits the form
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello, Margaret")

    tab_to(page, "Lessons")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson library")
    tab_to(page, "q")
    page.keyboard.type("alt text")
    follow(page)
    tab_to(page, "Alt text that helps: describing images for screen-reader users")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alt text that helps")


def test_focus_order_follows_the_page_and_nothing_traps_it(page, sign_in):
    sign_in(MENTEE)
    page.goto("/lessons/")
    assert page.locator("[tabindex]:not([tabindex='-1']):not([tabindex='0'])").count() == 0
    stops, tops = [], []
    for _ in range(80):
        focused = tab(page)
        if focused["tag"] == "body" or (stops and focused["text"] == "Skip to main content"):
            break  # wrapped around: focus left the page, so nothing trapped it
        assert focused["outline"] and focused["visible"], f"focus not visible on {focused}"
        stops.append(focused["text"] or focused["id"])
        tops.append(focused["top"])
    else:
        raise AssertionError(f"focus never left the page: {stops[-10:]}")
    assert stops[:2] == ["Skip to main content", "⇅ Flipside"]
    # Items on one line differ by a few pixels; a real jump back is more than a line.
    jumps = [(a, b) for a, b in zip(tops, tops[1:], strict=False) if b < a - 24]
    assert not jumps, f"focus jumps back up the page: {jumps}"
    back = [tab(page, backwards=True)["text"] for _ in range(2)]
    assert back[-1] in stops  # Shift+Tab walks back into the page


def tab_until(page, starts: str, limit: int = 40) -> dict:
    for _ in range(limit):
        focused = tab(page)
        if focused["tag"] != "body" and focused["text"].startswith(starts):
            assert focused["outline"] and focused["visible"], f"focus not visible on {focused}"
            return focused
    raise AssertionError(f"Tab never reached an element starting {starts!r}")


def test_notifications_and_their_preferences_with_the_keyboard_alone(page, sign_in):
    sign_in(MENTEE)
    page.goto("/")
    link = tab_until(page, "Notifications")
    assert link["text"].endswith("unread")  # the count, with its word for screen readers
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    tab_to(page, "Notification preferences")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Notification preferences")
    tab_to(page, "mentorship_requested-0")  # the first question's checked radio
    page.keyboard.press("ArrowRight")  # radios move with the arrow keys
    tab_to(page, "Save preferences")
    follow(page)
    expect(page.locator(".flash")).to_contain_text("Your notification preferences are saved.")
    assert page.is_checked("input[name=mentorship_requested][value=digest]")


def test_forgot_password_with_the_keyboard_alone(page):
    page.goto("/auth/login")
    tab_to(page, "Forgot your password?")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgot your password?")
    tab_to(page, "email")
    page.keyboard.type("nobody-here@flipside.example")
    follow(page)  # Enter submits
    expect(page.locator(".flash")).to_contain_text("If nobody-here@flipside.example has an account")


def test_a_status_message_takes_focus_so_it_is_read(page):
    page.goto("/auth/login")
    page.get_by_label("Email").fill(MENTEE)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".flashes")).to_contain_text("Welcome back")
    expect(page.locator(".flashes")).to_be_focused()  # once the page's script has run


def test_long_text_counts_its_characters_as_people_type(page, sign_in):
    sign_in(MENTEE)
    page.goto("/lessons/new")
    hint = page.locator("#body-count")
    expect(hint).to_have_text("You can enter up to 30,000 characters.")  # without script: the hint
    page.get_by_label("Lesson (Markdown)").fill("Hello")
    expect(hint).to_have_text("You have 29,995 characters remaining")
    page.get_by_label("Lesson (Markdown)").fill("x" * 30_002)
    expect(hint).to_have_text("You have 2 characters too many")
