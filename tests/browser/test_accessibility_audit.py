"""Two engines on every page, per role, with forms showing errors: axe-core (WCAG 2.0/2.1 A
and AA) and HTML_CodeSniffer (WCAG2AA errors).

Each page state is also checked for: a focus indicator with 3:1 contrast on every focusable
element; after a failed submit, focus on the error summary and "Error: " in the title, and
summary links, in page order, that move focus to a field of their question; radio and
checkbox targets of 24 × 24 px; no sideways scrolling at 320, 375 and 640 px (a 1280 px
window zoomed to 400 % and 200 %), nor at 320 px with the text-spacing override; and at 320
px, chart text of 12 px or more and every sideways-scrolling area reachable by keyboard.
"""

from __future__ import annotations

import pytest

from tests.browser.checks import (
    error_focus_problems,
    error_link_problems,
    focus_contrast_problems,
    htmlcs_errors,
    narrow_problems,
    reflow_problems,
    target_problems,
)
from tests.browser.plan import PLAN, Visit, fill

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def describe(path: str, violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{path}: [{violation['id']}] {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.append(f"    {node.get('failureSummary', '').replace(chr(10), ' ')[:300]}")
    return "\n".join(lines)


def act(page, visit: Visit) -> None:
    """Bring the page into the state the visit audits."""
    form = page.locator("main form[method=post]").last
    if visit.action == "errors":
        for field in form.locator(
            "input[type=text], input[type=email], input[type=password], "
            "input[type=number], textarea"
        ).all():
            field.fill("")
        # The form's own button, not a people picker's Search (which saves nothing).
        form.locator("[type=submit]:not([name$='find'])").first.click()
    elif visit.action == "preview":
        page.get_by_label("Title").fill("Preview check")
        page.get_by_label("Summary").fill("What the preview shows.")
        page.get_by_label("Lesson (Markdown)").fill(
            "## A section\n\n![](x.png)\n\n| A |\n|---|\n| 1 |"
        )
        page.get_by_role("button", name="Preview").click()
    elif visit.action == "coach":
        page.get_by_label("Strengths: what worked").fill("Great job, really well done!")
        page.get_by_label("Improvements: what to change").fill(
            "Sorry, I might be wrong, but you are always a bit rushed in meetings."
        )
        page.get_by_label("Next step").fill("Be more patient.")
        page.get_by_role("button", name="Check my feedback").click()
    elif visit.action == "too-long":
        form.locator("textarea").first.fill("I will try this. " * 30)
        form.locator("[type=submit]").first.click()


def audit(page, path: str, visit: Visit, axe) -> list[str]:
    problems = []
    response = page.goto(path)
    if visit.action is None and response.status != visit.status:
        problems.append(f"{path}: status {response.status}, expected {visit.status}")
    if visit.action:
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            act(page, visit)
        if posted.value.status != visit.status:
            problems.append(f"{path} ({visit.action}): status {posted.value.status}")
        page.wait_for_load_state()
    label = f"{path}{' (' + visit.action + ')' if visit.action else ''}"
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    if violations:
        problems.append(describe(label, violations))
    if page.locator("h1").count() != 1:
        problems.append(f"{label}: {page.locator('h1').count()} h1 elements, expected one")
    problems += error_focus_problems(page, label)  # first: the others move focus
    problems += htmlcs_errors(page, label)
    problems += target_problems(page, label)
    problems += reflow_problems(page, label)
    problems += narrow_problems(page, label)
    problems += focus_contrast_problems(page, label)
    problems += error_link_problems(page, label)  # last: following the links moves the page
    return problems


@pytest.mark.parametrize("role", list(PLAN))
def test_pages_have_no_accessibility_violations(page, sign_in, demo_ids, role):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    if role != "anonymous":
        sign_in(role)
    problems = []
    for visit in PLAN[role]:
        problems += audit(page, fill(visit.path, demo_ids), visit, axe)
    assert not problems, "\n" + "\n".join(problems)


def test_the_audit_reports_a_violation_it_is_shown(page, sign_in):
    """The harness itself can fail: an injected unlabelled input and low contrast are caught."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto("/auth/login")
    page.evaluate(
        """() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', '<input type="text" id="unlabelled">');
        const faint = document.createElement('p');
        faint.textContent = 'faint text';
        faint.style.color = '#bbb';  // the CSP blocks style attributes, not the CSSOM
        main.append(faint);
    }"""
    )
    ids = {v["id"] for v in Axe().run(page, options=AXE_OPTIONS).response["violations"]}
    assert {"label", "color-contrast"} <= ids
