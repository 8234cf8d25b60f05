"""Checks the audit runs on every page state of the plan, beside axe-core: a second engine
(HTML_CodeSniffer), the focus indicator's contrast, error-summary links, and reflow with the
WCAG 1.4.12 text-spacing override."""

from __future__ import annotations

from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HTMLCS = ROOT / "node_modules" / "html_codesniffer" / "build" / "HTMLCS.js"


@cache
def _htmlcs_source() -> str:
    if not HTMLCS.exists():
        raise RuntimeError(f"{HTMLCS} is missing: `npm ci` (make install-test runs it)")
    return HTMLCS.read_text()


def htmlcs_errors(page, label: str) -> list[str]:
    """HTML_CodeSniffer's WCAG2AA errors (its type 1), run inside the page like axe."""
    page.evaluate(_htmlcs_source() + "\n;0")  # evaluated through the debugger: no CSP applies
    messages = page.evaluate(
        """() => new Promise(resolve => HTMLCS.process('WCAG2AA', document, () => resolve(
            HTMLCS.getMessages().filter(m => m.type === 1).map(m => ({
              code: m.code, msg: m.msg, html: (m.element && m.element.outerHTML || '').slice(0, 160)
            })))))"""
    )
    return [f"{label}: [HTMLCS {m['code']}] {m['msg']}\n    at {m['html']}" for m in messages]


# For each focusable element (up to 40): focused, is there an indicator (outline, box shadow or
# a changed background) with 3:1 contrast against what surrounds the element?
FOCUS_CONTRAST = """() => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return a === 0 ? null : [r, g, b]; };
  const lum = ([r, g, b]) => { const f = v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05); };
  const around = el => {
    for (let n = el.parentElement; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c) return c;
    }
    return [255, 255, 255];
  };
  const selector = 'main a[href], main button, main input:not([type=hidden]), main select, ' +
    'main textarea, main summary, header a[href], header button';
  const found = [];
  for (const el of [...document.querySelectorAll(selector)].slice(0, 40)) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
    el.blur();
    const before = parse(getComputedStyle(el).backgroundColor);
    el.focus({preventScroll: true});
    if (document.activeElement !== el) continue;
    const s = getComputedStyle(el), bg = around(el), best = [];
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
      && parse(s.outlineColor);
    if (outline) best.push(ratio(outline, bg));
    for (const m of (s.boxShadow || '').matchAll(/rgba?\\([^)]+\\)/g)) {
      const c = parse(m[0]); if (c) best.push(ratio(c, bg)); }
    const now = parse(s.backgroundColor);
    if (now && (!before || now.join() !== before.join())) best.push(ratio(now, bg));
    const top = Math.max(0, ...best);
    const name = (el.innerText || el.id || el.name || '').trim().slice(0, 40);
    if (top < 3) found.push(`${el.tagName.toLowerCase()} "${name}": indicator ${top.toFixed(2)}:1`);
    el.blur();
  }
  return found;
}"""


def focus_contrast_problems(page, label: str) -> list[str]:
    return [f"{label}: {problem}" for problem in page.evaluate(FOCUS_CONTRAST)]


ERROR_ORDER = """() => {
  const targets = [...document.querySelectorAll('.error-summary a')]
    .map(a => document.getElementById(decodeURIComponent((a.getAttribute('href') || '').slice(1))))
    .filter(Boolean);
  const later = (a, b) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING;
  return targets.every((t, i) => i === 0 || later(targets[i - 1], t));
}"""

ERROR_LINKS = """() => [...document.querySelectorAll('.error-summary a')].map(a => {
  const id = decodeURIComponent((a.getAttribute('href') || '').slice(1));
  const target = id && document.getElementById(id);
  a.click();
  const focused = document.activeElement;
  const ok = !!target && focused === target
    && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
  return ok ? null : `error link "${a.innerText.slice(0, 60)}" -> #${id}: ` +
    (target ? `focus on ${focused.tagName.toLowerCase()}#${focused.id}` : 'no such element');
}).filter(Boolean)"""


def error_link_problems(page, label: str) -> list[str]:
    """Each error-summary link focuses a field of its question, and the summary lists them in
    the order the page asks them."""
    problems = [] if page.evaluate(ERROR_ORDER) else [f"{label}: errors not in page order"]
    return problems + [f"{label}: {problem}" for problem in page.evaluate(ERROR_LINKS)]


TEXT_SPACING = """() => {
  const sheet = document.styleSheets[0];  // the CSSOM: not blocked by the CSP
  sheet.insertRule('* { line-height: 1.5 !important; letter-spacing: 0.12em !important; ' +
    'word-spacing: 0.16em !important; }', sheet.cssRules.length);
  sheet.insertRule('p { margin-bottom: 2em !important; }', sheet.cssRules.length);
  return sheet.cssRules.length - 2;
}"""


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def reflow_problems(page, label: str, widths=(320, 375, 640)) -> list[str]:
    """No sideways scrolling at these widths, with and without the text-spacing override."""
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        if (extra := overflow(page)) > 0:
            problems.append(f"{label}: scrolls sideways by {extra} px at {width} px wide")
    page.set_viewport_size({"width": 320, "height": 800})
    index = page.evaluate(TEXT_SPACING)
    if (extra := overflow(page)) > 0:
        problems.append(f"{label}: scrolls sideways by {extra} px at 320 px with text spacing")
    page.evaluate(
        f"() => {{ const s = document.styleSheets[0]; s.deleteRule({index + 1}); "
        f"s.deleteRule({index}); }}"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    return problems


NARROW_CHARTS = """() => {
  const found = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const smallest = Math.min(...[...svg.querySelectorAll('text')]
      .map(t => parseFloat(t.getAttribute('font-size') || '16') * scale));
    if (smallest < 12) found.push(`chart text at ${smallest.toFixed(1)} px`);
  }
  for (const frame of document.querySelectorAll('.table, .prose table, .grid-wrap, .chart-frame')) {
    if (frame.scrollWidth > frame.clientWidth + 1 && frame.tabIndex < 0)
      found.push(`a ${frame.className || frame.tagName} that scrolls is not keyboard-reachable`);
  }
  return found;
}"""

TARGETS = """() => [...document.querySelectorAll('input[type=radio], input[type=checkbox]')]
  .filter(el => el.getBoundingClientRect().width > 0)
  .map(el => [el.id || el.name, el.getBoundingClientRect()])
  .filter(([, box]) => box.width < 24 || box.height < 24)
  .map(([name, box]) => `${name}: ${box.width.toFixed(0)} × ${box.height.toFixed(0)} px target`)"""


def narrow_problems(page, label: str) -> list[str]:
    """At 320 px: chart text stays 12 px or more, and whatever scrolls sideways is reachable."""
    page.set_viewport_size({"width": 320, "height": 800})
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    found = page.evaluate(NARROW_CHARTS)
    page.set_viewport_size({"width": 1280, "height": 900})
    return [f"{label}: {problem}" for problem in found]


def target_problems(page, label: str) -> list[str]:
    return [f"{label}: {problem}" for problem in page.evaluate(TARGETS)]


def error_focus_problems(page, label: str) -> list[str]:
    """A page shown again with errors: focus on the summary, "Error: " first in the title."""
    if not page.locator(".error-summary").count():
        return []
    problems = []
    if not page.evaluate("document.activeElement.classList.contains('error-summary')"):
        problems.append(f"{label}: focus is not on the error summary")
    if not page.title().startswith("Error: "):
        problems.append(f"{label}: the title does not start with 'Error: ' ({page.title()})")
    return problems
