"""Reading a people CSV and deciding what importing it would do. Pure: no Flask, no database.

`read(data, topics)` turns the uploaded bytes into rows, each checked on its own (bad email,
unknown topic, duplicate in the file, seniority not a number…); a problem with the file as a
whole (size, encoding, columns, too many rows) raises `FileRefused` before any row is read.
`plan(rows, existing)` compares the rows with the accounts that already exist and says, per
row, new / updated / unchanged / error. The same bytes and the same accounts always give the
same plan, and `digest(plan)` names it: the import applies a plan only if it is the one that
was previewed.

Decisions, so a coordinator's file means one thing:
- UTF-8 only (with or without a byte-order mark). Anything else is refused with a message
  naming Excel's "CSV UTF-8" format; guessing cp1252 would turn some names into mojibake
  without anyone noticing.
- Columns are found by their header (any order, any case; a few spellings each). `name` and
  `email` are required; the others are optional, and an unknown header is refused (a typo
  must not silently drop a column). Commas, semicolons or tabs separate the cells.
- An empty cell, or a missing optional column, leaves that field of an existing account as
  it is; a filled topics cell replaces that list. Topics are named by slug or name,
  separated by `;`, `,` or `|`.
- Cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab
  or a carriage return) are refused, not rewritten: a name must arrive as written.
- Any row error blocks the whole import; the preview lists them all to fix at once.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

MAX_BYTES = 2 * 1024 * 1024  # 5,000 full rows are about 600 kB; 2 MB leaves room
MAX_ROWS = 5000
NAME_MAX, TITLE_MAX, EMAIL_MAX = 120, 120, 254
SENIORITY_MIN, SENIORITY_MAX = 1, 10
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TOPIC_SEPARATORS = (";", ",", "|")

NEW, UPDATED, UNCHANGED, ERROR = "new", "updated", "unchanged", "error"

# The header spellings each column answers to (compared lower-cased, spaces for _ and -).
COLUMNS = {
    "name": ("name", "full name"),
    "email": ("email", "e mail", "email address"),
    "job_title": ("job title", "title", "role"),
    "seniority": ("seniority", "level", "grade", "job grade"),
    "teaches": ("topics they teach", "teaches", "can teach", "expertise"),
    "learns": ("topics they learn", "learns", "wants to learn", "interests"),
}
REQUIRED = ("name", "email")
HEADER_HELP = "name, email, job title, seniority, topics they teach, topics they learn"


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Row:
    """One person as the file gives them. None means the file leaves that field as it is."""

    line: int
    email: str
    name: str
    job_title: str | None = None
    seniority: int | None = None
    teaches: frozenset[int] | None = None
    learns: frozenset[int] | None = None
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    """What an existing account holds, for comparison."""

    name: str
    job_title: str
    seniority: int
    teaches: frozenset[int]
    learns: frozenset[int]


@dataclass(frozen=True)
class Outcome:
    row: Row
    kind: str  # NEW, UPDATED, UNCHANGED or ERROR
    changes: tuple[str, ...] = ()  # the fields an update changes


@dataclass
class Plan:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for o in self.outcomes if o.kind == kind)

    @property
    def blocked(self) -> bool:
        """Any error stops the whole import."""
        return any(o.kind == ERROR for o in self.outcomes)

    @property
    def changes_anything(self) -> bool:
        return any(o.kind in (NEW, UPDATED) for o in self.outcomes)


def _key(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())


_HEADERS = {_key(spelling): column for column, names in COLUMNS.items() for spelling in names}


def topic_lookup(topics) -> dict[str, int]:
    """{slug or name, compared case-insensitively: id} for (id, slug, name) triples."""
    lookup = {}
    for topic_id, slug, name in topics:
        lookup[_key(slug)] = topic_id
        lookup[_key(name)] = topic_id
    return lookup


def decode(data: bytes) -> str:
    """The file's text, or FileRefused when it is too big or not UTF-8."""
    if len(data) > MAX_BYTES:
        raise FileRefused(
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is "
            f"{MAX_BYTES // 1_048_576} MB ({MAX_ROWS:,} people). Split it into smaller files."
        )
    if not data.strip():
        raise FileRefused("The file is empty. Choose a CSV file with a header row and people.")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise FileRefused(
            "The file is UTF-16 (Excel's “Unicode text”). Save it as “CSV UTF-8 (comma "
            "delimited)” and upload that."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRefused(
            f"The file is not UTF-8 (line {line} has bytes that are not). In Excel choose "
            "Save as › “CSV UTF-8 (comma delimited)”; in LibreOffice pick the UTF-8 character "
            "set."
        ) from None


def _dialect(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=counts.get)


def _columns(header: list[str]) -> dict[str, int]:
    columns, unknown = {}, []
    for index, title in enumerate(header):
        column = _HEADERS.get(_key(title))
        if column is None:
            if title.strip():
                unknown.append(title.strip())
        elif column in columns:
            raise FileRefused(f"The header names the column “{title.strip()}” twice.")
        else:
            columns[column] = index
    if unknown:
        raise FileRefused(
            f"Unknown column{'s' if len(unknown) > 1 else ''}: "
            f"{', '.join(f'“{u[:40]}”' for u in unknown[:5])}. The columns are {HEADER_HELP}."
        )
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise FileRefused(
            f"The header has no {' or '.join(missing)} column. The first row must name the "
            f"columns: {HEADER_HELP} (name and email are required)."
        )
    return columns


def read(data: bytes, topics: Mapping[str, int]) -> list[Row]:
    """The rows of an uploaded file, each with its own errors; FileRefused for the file."""
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(first_line)))
    except csv.Error as exc:
        raise FileRefused(f"The file is not a readable CSV file ({exc}).") from None
    if not records:
        raise FileRefused("The file is empty. Choose a CSV file with a header row and people.")
    columns = _columns(records[0])
    rows, seen = [], {}
    for line, cells in enumerate(records[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # blank lines, often at the end
        if len(rows) == MAX_ROWS:
            raise FileRefused(
                f"The file has more than {MAX_ROWS:,} people. Split it into smaller files."
            )
        row = _row(line, cells, columns, topics, len(records[0]))
        if row.email and row.email in seen:
            row = _with_error(row, f"The email {row.email} is already on line {seen[row.email]}.")
        elif row.email:
            seen[row.email] = line
        rows.append(row)
    if not rows:
        raise FileRefused("The file has a header but nobody in it.")
    return rows


def _with_error(row: Row, message: str) -> Row:
    return Row(**{**row.__dict__, "errors": (*row.errors, message)})


def _row(line: int, cells, columns: dict[str, int], topics, width: int) -> Row:
    errors: list[str] = []

    def cell(column: str) -> str | None:
        index = columns.get(column)
        if index is None or index >= len(cells) or not cells[index].strip():
            return None
        value = unicodedata.normalize("NFC", cells[index].strip())
        if value.startswith(FORMULA_START) and column != "seniority":
            errors.append(f"The {_label(column)} starts with “{value[0]}”, like a formula.")
            return None
        return value

    if len(cells) > width:
        errors.append(f"The line has {len(cells)} cells; the header has {width}.")
    email = _email(cell("email"), errors)
    name = _text(cell("name"), "name", NAME_MAX, errors, required=True)
    job_title = _text(cell("job_title"), "job title", TITLE_MAX, errors)
    return Row(
        line=line,
        email=email,
        name=name or "",
        job_title=job_title,
        seniority=_seniority(cell("seniority"), errors),
        teaches=_topics(cell("teaches"), topics, errors),
        learns=_topics(cell("learns"), topics, errors),
        errors=tuple(errors),
    )


def _label(column: str) -> str:
    return {"job_title": "job title", "teaches": "topics taught", "learns": "topics learnt"}.get(
        column, column
    )


def _email(value: str | None, errors: list[str]) -> str:
    if value is None:
        if not any(e.startswith("The email") for e in errors):
            errors.append("The email is missing.")
        return ""
    if len(value) > EMAIL_MAX or _control(value):
        errors.append("The email is not an address like name@example.org.")
        return ""
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        errors.append(f"“{value[:60]}” is not an email address like name@example.org.")
        return ""
    return checked.normalized.lower()


def _control(value: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value)


def _text(value, label: str, limit: int, errors: list[str], required=False) -> str | None:
    if value is None:
        if required and not any(e.startswith(f"The {label}") for e in errors):
            errors.append(f"The {label} is missing.")
        return None
    if _control(value):
        errors.append(f"The {label} has a line break, tab or control character.")
        return None
    if len(value) > limit:
        errors.append(f"The {label} is {len(value)} characters; at most {limit}.")
        return None
    return value


def _seniority(value: str | None, errors: list[str]) -> int | None:
    if value is None:
        return None
    if not value.isascii() or not value.isdigit():
        errors.append(f"The seniority “{value[:20]}” is not a whole number.")
        return None
    level = int(value)
    if not SENIORITY_MIN <= level <= SENIORITY_MAX:
        errors.append(f"The seniority {level} is not a level from 1 to 10.")
        return None
    return level


def _topics(value: str | None, topics: Mapping[str, int], errors: list[str]):
    if value is None:
        return None
    for separator in TOPIC_SEPARATORS[1:]:
        value = value.replace(separator, TOPIC_SEPARATORS[0])
    found, unknown = set(), []
    for name in filter(None, (_key(part) for part in value.split(TOPIC_SEPARATORS[0]))):
        if name in topics:
            found.add(topics[name])
        else:
            unknown.append(name)
    if unknown:
        errors.append(
            f"Unknown topic{'s' if len(unknown) > 1 else ''}: "
            f"{', '.join(f'“{u[:40]}”' for u in unknown[:5])}."
        )
        return None
    return frozenset(found)


def plan(rows: list[Row], existing: Mapping[str, Person]) -> Plan:
    """Each row's outcome against the accounts that exist (keyed by lower-cased email)."""
    result = Plan()
    for row in rows:
        if row.errors:
            result.outcomes.append(Outcome(row, ERROR))
            continue
        person = existing.get(row.email)
        if person is None:
            result.outcomes.append(Outcome(row, NEW))
            continue
        changes = tuple(
            name
            for name, wanted in (
                ("name", row.name),
                ("job_title", row.job_title),
                ("seniority", row.seniority),
                ("teaches", row.teaches),
                ("learns", row.learns),
            )
            if wanted is not None and wanted != getattr(person, name)
        )
        result.outcomes.append(Outcome(row, UPDATED if changes else UNCHANGED, changes))
    return result


def digest(result: Plan) -> str:
    """A fingerprint of what the plan would do: the same plan, the same digest."""
    parts = [
        [
            o.kind,
            o.row.line,
            o.row.email,
            o.row.name,
            o.row.job_title,
            o.row.seniority,
            sorted(o.row.teaches) if o.row.teaches is not None else None,
            sorted(o.row.learns) if o.row.learns is not None else None,
            list(o.changes),
        ]
        for o in result.outcomes
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()
