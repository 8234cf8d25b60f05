"""What each kind of subject is, as its own area says (registered at start-up), and the one
Markdown renderer (handed over by the lessons area: portal code cannot import it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from flask import Flask, current_app

from portal.accounts.models import User

SUBJECTS_KEY = "flipside_conversation_subjects"
RENDERER_KEY = "flipside_conversation_renderer"


@dataclass(frozen=True)
class Found:
    """One subject as its area sees it now."""

    people: Sequence[User]  # the participants: they, and nobody else, read and write
    path: str  # the page that shows the thread ("/submissions/12")
    label: str  # what the thread is about, for notifications: "the answer to “Alt text”"
    writable: bool = True  # False: read only (an ended mentorship), with `why`
    why: str = ""

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(person.id for person in self.people)


@dataclass(frozen=True)
class Subject:
    kind: str
    find: Callable[[int], Found | None]  # None: there is no such subject
    # Called in the comment's transaction after it is added (e.g. reopen a support request).
    posted: Callable[[int, User], None] | None = field(default=None)


def register_subject(app: Flask, subject: Subject) -> None:
    """An area says who takes part in its kind of subject and where its thread is shown."""
    app.extensions.setdefault(SUBJECTS_KEY, {})[subject.kind] = subject


class Renderer(NamedTuple):
    render: Callable[[str], str]  # text -> sanitized HTML; ValueError when over the budget
    version: int  # stored beside the HTML: another version is rendered again
    stored: Callable[[str], str]  # for text accepted before: never raises


def register_renderer(
    app: Flask, render: Callable[[str], str], *, version: int, stored: Callable[[str], str]
) -> None:
    """The Markdown pipeline (lessons.markdown's render, RENDERER_VERSION, render_stored)."""
    app.extensions[RENDERER_KEY] = Renderer(render, version, stored)


def renderer() -> Renderer:
    return current_app.extensions[RENDERER_KEY]


def subject(kind: str) -> Subject | None:
    return current_app.extensions.get(SUBJECTS_KEY, {}).get(kind)


def lookup(kind: str, subject_id: int) -> Found | None:
    """The subject of this kind and id, or None when there is none (or no such kind)."""
    registered = subject(kind)
    return registered.find(subject_id) if registered else None


def render(text: str) -> str:
    """Markdown to safe HTML through the registered pipeline; ValueError when too dense."""
    return renderer().render(text)
