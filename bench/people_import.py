"""The people-import part of `make bench`: how many rows a second a 5,000-row file is read,
previewed and imported at, on a database that already holds 2,500 people.

In-process, on a fresh SQLite database (or BENCH_DATABASE_URL). The file is the worst the
form accepts in rows: 5,000 people, half of them new (each gets a welcome email written to
the outbox), half updating an existing account's title and topics. Then the same file again,
which changes nothing. Alone: `python bench/run.py --people-import-only`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

START, END = "<!-- people-import-bench:start -->", "<!-- people-import-bench:end -->"
ROWS, EXISTING = 5_000, 2_500  # the file's first half are existing accounts


def _file() -> bytes:
    lines = ["name,email,job title,seniority,topics they teach,topics they learn"]
    for n in range(ROWS):
        number = n if n < ROWS // 2 else 100_000 + n  # the first half exist already
        lines.append(
            f"Person {number},p{number}@bench.example,Analyst {n % 7},{1 + n % 10},"
            f"accessibility;social-media,leadership"
        )
    return ("\n".join(lines) + "\n").encode()


def measure(url: str | None) -> dict:
    from flask_migrate import upgrade
    from sqlalchemy import func, insert, select

    from portal import create_app
    from portal.accounts import importing
    from portal.accounts import people_import as parser
    from portal.accounts.models import User
    from portal.cli import run_setup
    from portal.extensions import db

    workdir = Path(tempfile.mkdtemp(prefix="flipside-bench-import-"))
    database = url or f"sqlite:///{workdir / 'bench.db'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database,
            "FLIPSIDE_INSTANCE_PATH": str(workdir),
            "SECRET_KEY": "benchmark",
        }
    )
    with app.app_context(), app.test_request_context():
        upgrade()
        run_setup("init")
        db.session.execute(
            insert(User),
            [
                {"email": f"p{n}@bench.example", "name": f"Person {n}", "password_hash": "x"}
                for n in range(EXISTING)
            ],
        )
        coordinator = User(email="c@bench.example", name="C", password_hash="x")
        db.session.add(coordinator)
        db.session.commit()
        data = _file()
        timings = {}
        started = time.perf_counter()
        parser.read(data, importing.topics())
        timings["Read and check the file"] = time.perf_counter() - started
        started = time.perf_counter()
        kept, plan = importing.upload(coordinator, "bench.csv", data)
        timings["Upload and preview (read, compare with the accounts)"] = (
            time.perf_counter() - started
        )
        started = time.perf_counter()
        importing.apply(coordinator, kept.id, parser.digest(plan))
        timings["Import (2,500 new with welcome emails, 2,500 updated)"] = (
            time.perf_counter() - started
        )
        again, replan = importing.upload(coordinator, "bench.csv", data)
        started = time.perf_counter()
        importing.apply(coordinator, again.id, parser.digest(replan))
        timings["The same file again (all unchanged)"] = time.perf_counter() - started
        people = db.session.scalar(select(func.count(User.id)))
        db.session.remove()
        db.engine.dispose()
    return {
        "database": "PostgreSQL" if url else "SQLite",
        "timings": timings,
        "people": people,
        "bytes": len(data),
    }


def section(r: dict) -> str:
    lines = [
        START,
        "## People import: a 5,000-row file",
        "",
        f"In-process on {r['database']} (`bench/people_import.py`): a {r['bytes'] / 1024:.0f} kB "
        f"file of {ROWS:,} people against {EXISTING:,} existing accounts; {r['people']:,} "
        "accounts afterwards. Each step is bulk SQL (a fixed number of statements, batched "
        "by the driver), not a query per row.",
        "",
        "| Step | seconds | rows/s |",
        "|---|---:|---:|",
    ]
    for label, seconds in r["timings"].items():
        lines.append(f"| {label} | {seconds:.2f} | {ROWS / seconds:,.0f} |")
    lines.append(END)
    return "\n".join(lines)


def main() -> int:
    from bench.markdown import write_section

    text = section(measure(os.environ.get("BENCH_DATABASE_URL")))
    write_section(text, marks=(START, END))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
