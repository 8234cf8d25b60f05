"""Accessibility warnings for lesson authors, found in the rendered HTML.

They never block saving: they teach. Each warning says what is wrong and how to fix it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

VAGUE_LINK_TEXT = frozenset(
    {"click here", "here", "click", "read more", "more", "link", "this link", "this", "go"}
)
_URL_TEXT = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class AuthoringWarning:
    code: str
    message: str


class _Lint(HTMLParser):
    def __init__(self, top_level: int):
        super().__init__(convert_charrefs=True)
        self.warnings: list[AuthoringWarning] = []
        self.last_heading = top_level
        self.link_text: list[str] | None = None
        self.tables: list[dict] = []

    def warn(self, code: str, message: str) -> None:
        self.warnings.append(AuthoringWarning(code, message))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img":
            self._image(attributes)
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading(int(tag[1]))
        elif tag == "a":
            self.link_text = []
        elif tag == "table":
            self.tables.append({"has_header": False, "rows": 0})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"] += 1
        elif tag == "th" and self.tables and self.tables[-1]["rows"] <= 1:
            self.tables[-1]["has_header"] = True

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self.link_text is not None:
            self.link_text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self.link_text is not None:
            self._link(" ".join("".join(self.link_text).split()))
            self.link_text = None
        elif tag == "table" and self.tables:
            if not self.tables.pop()["has_header"]:
                self.warn(
                    "table-header",
                    "A table has no header row. Start it with a row of column names "
                    "(in Markdown: `| Name | Value |` followed by `|---|---|`).",
                )

    def _image(self, attributes: dict) -> None:
        alt = (attributes.get("alt") or "").strip()
        src = attributes.get("src") or "an image"
        if not alt:
            self.warn(
                "img-alt",
                f"The image {src} has no alt text. Describe what it shows: "
                "![What the picture shows](address).",
            )

    def _heading(self, level: int) -> None:
        if level > self.last_heading + 1:
            self.warn(
                "heading-skip",
                f"A level-{level} heading follows a level-{self.last_heading} one, skipping "
                f"a level. Use a level-{self.last_heading + 1} heading "
                f"({'#' * (self.last_heading + 1)}) instead.",
            )
        elif level == 1:
            self.warn(
                "heading-h1",
                "The lesson title is the page's only level-1 heading. "
                "Start sections at level 2 (##).",
            )
        self.last_heading = level

    def _link(self, text: str) -> None:
        if text.lower().strip(".!:… ") in VAGUE_LINK_TEXT:
            self.warn(
                "link-text",
                f'The link text "{text}" does not say where it goes. '
                "Name the destination, e.g. [the WCAG quick reference](…).",
            )
        elif _URL_TEXT.match(text):
            self.warn(
                "link-url",
                f"The link {text} shows a bare web address, which screen readers spell out. "
                "Give it a name: [what the page is](address).",
            )
        elif not text:
            self.warn("link-empty", "A link has no text. Give every link words that name it.")


def lint(html: str, top_level: int = 1) -> list[AuthoringWarning]:
    """Accessibility warnings for a lesson body rendered to HTML.

    `top_level` is the heading level of the page title the HTML sits under.
    """
    parser = _Lint(top_level)
    parser.feed(html)
    parser.close()
    return parser.warnings
