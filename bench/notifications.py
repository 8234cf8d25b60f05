"""The notifications part of `make bench`: what the header's unread count costs every page,
and what an event's notification and email cost its POST.

In-process, on a fresh SQLite database (or BENCH_DATABASE_URL), with one person holding
10,000 notifications among 100,000. Each figure is a ratio to a reference measured in the same
run: the count against the cheapest query there is (`SELECT 1`), the event against the same
commit without a notification. Alone: `python bench/run.py --notifications-only`.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

START, END = "<!-- notifications-bench:start -->", "<!-- notifications-bench:end -->"
REPEAT = 300


def _median_us(action, repeat: int = REPEAT) -> float:
    for _ in range(20):  # warm: SQLAlchemy's statement cache, the database's pages
        action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def measure(url: str | None) -> dict:
    from flask_migrate import upgrade
    from sqlalchemy import insert, text

    from portal import create_app
    from portal.accounts.models import User
    from portal.cli import analyze, run_setup
    from portal.clock import utcnow
    from portal.extensions import db
    from portal.notifications import services
    from portal.notifications.models import Notification, OutboxMessage

    workdir = Path(tempfile.mkdtemp(prefix="flipside-bench-notifications-"))
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
        now = utcnow()
        people = [
            {"email": f"p{n}@bench.example", "name": f"Person {n}", "password_hash": "x"}
            for n in range(1_000)
        ]
        db.session.execute(insert(User), people)
        ids = list(db.session.scalars(text("SELECT id FROM users ORDER BY id")))
        heavy, light = ids[0], ids[1]
        rows = [
            {
                "user_id": heavy if n < 10_000 else ids[2 + n % (len(ids) - 2)],
                "kind": "kudos_received",
                "text": "Thanks!",
                "link": "/",
                "created_at": now,
                "read_at": None if n % 2 else now,
                "in_digest": False,
            }
            for n in range(100_000)
        ]
        db.session.execute(insert(Notification), rows)
        db.session.commit()
        analyze()
        dialect = db.engine.dialect.name
        count_sql = (
            "SELECT count(*) FROM (SELECT notifications.id FROM notifications "
            "WHERE notifications.user_id = :u AND notifications.read_at IS NULL LIMIT 100)"
        )
        explain = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
        plan = " / ".join(
            str(row[-1]) for row in db.session.execute(text(explain + count_sql), {"u": heavy})
        )
        reference = _median_us(lambda: db.session.execute(text("SELECT 1")).scalar())
        counts = {
            "a person with no notifications": _median_us(lambda: services.unread_count(light)),
            "a person with 10,000 (5,000 unread)": _median_us(lambda: services.unread_count(heavy)),
        }
        person = db.session.get(User, light)
        mentor = db.session.get(User, ids[2])

        def plain_commit():
            person.bio = "x" if person.bio != "x" else "y"
            db.session.commit()

        def event_commit():
            person.bio = "x" if person.bio != "x" else "y"
            services.notify(mentor, "kudos_received", "Person 1 sent you kudos.", "/people/3")
            db.session.commit()

        plain = _median_us(plain_commit, 200)
        event = _median_us(event_commit, 200)
        outbox_rows = db.session.query(OutboxMessage).count()
        db.session.remove()
        db.engine.dispose()
    return {
        "database": dialect,
        "plan": plan,
        "reference": reference,
        "counts": counts,
        "plain": plain,
        "event": event,
        "outbox_rows": outbox_rows,
    }


def section(r: dict) -> str:
    lines = [
        START,
        "## Notifications: the header's count and an event's writes",
        "",
        f"In-process on {r['database']}, 1,000 people and 100,000 notifications (one person "
        f"holds 10,000), median of {REPEAT} runs (`bench/notifications.py`).",
        "",
        "| What | µs | × the reference |",
        "|---|---:|---:|",
        f"| Reference: `SELECT 1` | {r['reference']:.0f} | 1.0 |",
    ]
    for label, us in r["counts"].items():
        lines.append(f"| Header's unread count, {label} | {us:.0f} | {us / r['reference']:.1f} |")
    lines += [
        f"| Reference: a POST's commit of one changed row | {r['plain']:.0f} | 1.0 |",
        f"| The same commit with one notification and its email (two templates rendered, "
        f"two rows written) | {r['event']:.0f} | {r['event'] / r['plain']:.1f} |",
        "",
        f"The count is one indexed query per page (`ix_notifications_user_unread`); the plan: "
        f"`{r['plan']}`. It reads at most 100 index entries (the header then shows “99+”), so "
        "its cost stops growing with a person's unread notifications there. Each event adds one "
        "notification row per recipient and, when they want email now, one outbox row with the "
        f"rendered text and HTML ({r['outbox_rows']} written here); the worker sends them "
        "after the POST has answered.",
        "",
        END,
    ]
    return "\n".join(lines)


def main() -> int:
    from bench.markdown import write_section

    text = section(measure(os.environ.get("BENCH_DATABASE_URL")))
    write_section(text, marks=(START, END))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
