"""The mentor and mentee handbooks: Markdown in this folder, rendered once by the one pipeline.

Pure (no Flask): `handbook(slug)` reads the file, renders it through `lessons.markdown.render`
(the sanitizer included) the first time it is asked for, and keeps the result for the life of
the process; the contents list is read from the rendered headings, so it always matches them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from lessons.markdown import render

FOLDER = Path(__file__).parent


@dataclass(frozen=True)
class About:
    """What the index says about a handbook before it is opened."""

    slug: str
    title: str
    audience: str
    summary: str


@dataclass(frozen=True)
class Section:
    anchor: str  # the heading's id from the pipeline, e.g. "sec-giving-upward-feedback"
    title: str


@dataclass(frozen=True)
class Handbook:
    about: About
    html: str
    contents: tuple[Section, ...]
    minutes: int  # reading time at about 200 words a minute


CATALOGUE = (
    About(
        "mentor",
        "Mentor handbook",
        "For the person sharing what they know — in reverse mentoring, usually the more junior "
        "colleague.",
        "Giving feedback to someone senior, the situation–behaviour–impact model with worked "
        "examples, preparing a difficult conversation, and what to do when it is not working.",
    ),
    About(
        "mentee",
        "Mentee handbook",
        "For the person learning — in reverse mentoring, usually the more senior colleague.",
        "Making it safe for a junior colleague to be honest with you, hearing feedback without "
        "getting defensive, and getting the most out of a few hours a month.",
    ),
)
BY_SLUG = {about.slug: about for about in CATALOGUE}


def handbook(slug: str) -> Handbook | None:
    """The handbook with this slug, rendered; None for a handbook that does not exist."""
    about = BY_SLUG.get(slug)
    return _rendered(about) if about else None


@functools.cache
def _rendered(about: About) -> Handbook:
    body = render((FOLDER / f"{about.slug}.md").read_text(encoding="utf-8"))
    reader = _read(body)
    return Handbook(about, body, tuple(reader.sections), max(1, round(reader.words / 200)))


def contents(body: str) -> tuple[Section, ...]:
    """The second-level headings of rendered HTML, with their ids, in page order."""
    return tuple(_read(body).sections)


def _read(body: str) -> _Headings:
    reader = _Headings()
    reader.feed(body)
    reader.close()
    return reader


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[Section] = []
        self._anchor: str | None = None
        self._text: list[str] = []
        self.words = 0

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self._anchor, self._text = dict(attrs).get("id"), []

    def handle_data(self, data):
        self.words += len(data.split())
        if self._anchor is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "h2" and self._anchor is not None:
            title = "".join(self._text).strip()
            self.sections.append(Section(self._anchor, title))
            self._anchor = None
