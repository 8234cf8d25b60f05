"""A person's own data: the download of everything the portal holds about them, and the
deletion of their account.

Every area adds its part through this registry (as panels add sections to pages): `portal`
never imports `lessons` or `feedback`, and an area built later (meetings, comments) adds its
section and its erasure with a few lines in its `init_app`:

    register_section(app, Section("meetings", "Meetings you took part in", meeting_rows))
    register_erasure(app, Erasure("meetings", erase_meetings, describe_meetings))

A section's `rows(user)` returns plain dicts (the same keys in each row) of what is the
person's own: never other people's private notes, never anonymous survey answers.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from flask import Flask, current_app

from portal.accounts.models import User
from portal.clock import utcnow
from portal.downloads import csv_text

SECTIONS_KEY = "flipside_personal_data_sections"
ERASURES_KEY = "flipside_personal_data_erasures"
FORMAT = "flipside-personal-data/1"
FORMER_MEMBER = "Former member"

Rows = list[dict]


@dataclass(frozen=True)
class Section:
    """One part of the download: `<name>.csv` and `sections.<name>` in `data.json`."""

    name: str
    title: str
    rows: Callable[[User], Rows]
    order: int = 50


@dataclass(frozen=True)
class Deletion:
    """What the person chose on the deletion page."""

    delete_lessons: bool = False


@dataclass(frozen=True)
class Erasure:
    """One area's part of deleting an account: `erase(user, deletion)` runs inside the
    deletion's one transaction (no commit); `describe(user)` returns the (lost, kept) lines
    of the confirmation page."""

    name: str
    erase: Callable[[User, Deletion], None]
    describe: Callable[[User], tuple[list[str], list[str]]] = lambda user: ([], [])
    order: int = 50


def register_section(app: Flask, section: Section) -> None:
    """Add a section to every person's download."""
    sections = app.extensions.setdefault(SECTIONS_KEY, [])
    if any(s.name == section.name for s in sections):
        raise ValueError(f"a personal-data section named {section.name!r} exists already")
    sections.append(section)
    sections.sort(key=lambda s: (s.order, s.name))


def register_erasure(app: Flask, erasure: Erasure) -> None:
    """Add an area's part to every account deletion."""
    erasures = app.extensions.setdefault(ERASURES_KEY, [])
    erasures.append(erasure)
    erasures.sort(key=lambda e: (e.order, e.name))


def sections() -> list[Section]:
    return list(current_app.extensions.get(SECTIONS_KEY, []))


def erasures() -> list[Erasure]:
    return list(current_app.extensions.get(ERASURES_KEY, []))


# The download ------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def collect(user: User) -> dict:
    """Everything about `user`, section by section, as plain JSON-ready values."""
    return {
        "format": FORMAT,
        "exported_at": utcnow().isoformat(),
        "person_id": user.id,
        "sections": {
            s.name: {
                "title": s.title,
                "rows": [{k: _plain(v) for k, v in row.items()} for row in s.rows(user)],
            }
            for s in sections()
        },
    }


def _csv(rows: Rows) -> str:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    return csv_text([columns, *([row.get(c, "") for c in columns] for row in rows)])


README = """Your data from Flipside, exported {when} (UTC).

data.json holds everything in one document; each CSV file holds one section of it:
{listing}

Not included: anonymous survey answers (the portal cannot tell whose they are), and other
people's private notes (such as a coordinator's notes on a check-in).
"""


def archive(user: User) -> bytes:
    """The download: a zip of data.json, one CSV per section and a README."""
    data = collect(user)
    listing = "\n".join(
        f"  {name}.csv: {part['title']} ({len(part['rows'])})"
        for name, part in data["sections"].items()
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", README.format(when=data["exported_at"], listing=listing))
        zf.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for name, part in data["sections"].items():
            zf.writestr(f"{name}.csv", _csv(part["rows"]))
    return out.getvalue()


def archive_name(user: User) -> str:
    return f"flipside-my-data-{utcnow():%Y-%m-%d}.zip"


# Deletion ----------------------------------------------------------------------------------


@dataclass
class Consequences:
    lost: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def consequences(user: User) -> Consequences:
    """What deleting this account loses and keeps, as every area says it."""
    said = Consequences()
    for erasure in erasures():
        lost, kept = erasure.describe(user)
        said.lost += lost
        said.kept += kept
    return said
