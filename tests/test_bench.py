"""The benchmark's own measuring: the workers' CPU time it divides by the requests."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.run import cpu_seconds, explanation

BUSY_CHILD = """
import sys, time
end = time.process_time() + 0.4
while time.process_time() < end:
    pass
print("done", flush=True)
sys.stdin.read()
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_cpu_of_a_busy_child_process_is_counted():
    before, _ = cpu_seconds(os.getpid())
    child = subprocess.Popen(
        [sys.executable, "-c", BUSY_CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "done"
        used = cpu_seconds(os.getpid())[0] - before
        assert 0.35 <= used < 5
    finally:
        child.communicate("")
    # Only children count: a process with none has used nothing.
    assert cpu_seconds(child.pid)[0] == 0.0


def _row(label, rps, cpu_ms, db_cpu_ms=None):
    measured = {"rps": rps, "p50": 1.0, "p99": 2.0, "errors": 0}
    return (label, {**measured, "cpu_ms": cpu_ms, "db_cpu_ms": db_cpu_ms}, 3, 1.0)


def test_the_report_explains_the_gap_with_the_measured_costs():
    rows = [
        _row("Ceiling: plain `/hello`", 2000, 0.5),
        _row("Lesson page", 300, 4.0),
        _row("Mentee dashboard", 100, 10.0),
        _row("Task submission POST", 80, 9.0),
    ]
    text = "\n".join(explanation(rows, "SQLite (WAL)"))
    assert "`/hello` costs 0.50 ms" in text
    assert "4.0–10.0 ms, 8–20 times as much" in text
    assert "The POST costs 9.0 ms" in text and "write lock" in text
    assert "write lock" not in "\n".join(explanation(rows, "PostgreSQL"))
    assert "database server" not in text  # no PostgreSQL figures: nothing said about it
    # Without /proc nothing was measured, and nothing is claimed.
    assert explanation([_row(label, r["rps"], None) for label, r, *_ in rows], "SQLite") == []


def test_on_postgresql_the_rows_the_database_bounds_are_named():
    rows = [
        _row("Ceiling: plain `/hello`", 2000, 0.5, 0.01),
        _row("Library with a search", 90, 6.0, 9.0),  # the database works harder
        _row("Lesson page", 300, 4.0, 0.5),
        _row("Task submission POST", 150, 9.0, 2.0),
    ]
    text = "\n".join(explanation(rows, "PostgreSQL"))
    assert "the database that bounds the row: library with a search 9.0 ms." in text
