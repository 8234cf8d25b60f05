"""Backup and restore: every table as one JSON document, and back into an empty database."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary, func, select, text

from portal.errors import Conflict, DomainError
from portal.extensions import db

FORMAT = "flipside-backup"
VERSION = 1


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):  # uploaded files, encrypted secrets: base64 in the JSON
        return base64.b64encode(value).decode("ascii")
    return value


def export_data() -> dict:
    """All rows of all tables, in an order that can be imported again."""
    tables = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        rows = db.session.execute(select(table).order_by(*order)).mappings()
        tables[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    return {"format": FORMAT, "version": VERSION, "tables": tables}


def _typed(column, value: Any) -> Any:
    if value is None:
        return None
    kind = getattr(column.type, "impl", column.type)  # UTCDateTime wraps DateTime
    if isinstance(kind, DateTime) or isinstance(column.type, DateTime):
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    return value


def import_data(document: dict) -> dict[str, int]:
    """Load a backup into an empty database; returns the rows written per table."""
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise DomainError("This file is not a Flipside backup of a version this release reads.")
    users = db.metadata.tables["users"]
    if db.session.scalar(select(func.count()).select_from(users)):
        raise Conflict("The database is not empty; import only into a freshly created one.")
    known = {t.name: t for t in db.metadata.sorted_tables}
    unknown = set(document["tables"]) - set(known)
    if unknown:
        raise DomainError(f"Unknown tables in the backup: {', '.join(sorted(unknown))}.")
    # Reference data that `init-db` creates (topics, default rubrics) is replaced by the file's.
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    written = {}
    for table in db.metadata.sorted_tables:
        rows = document["tables"].get(table.name, [])
        if rows:
            db.session.execute(
                table.insert(), [{k: _typed(table.c[k], v) for k, v in row.items()} for row in rows]
            )
        written[table.name] = len(rows)
    _reset_sequences()
    db.session.commit()
    return written


def _reset_sequences() -> None:
    """PostgreSQL sequences continue after the imported ids (SQLite needs nothing)."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key:
            quoted = f'"{table.name}"'
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {quoted}), 0) + 1, false)"
                )
            )


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
