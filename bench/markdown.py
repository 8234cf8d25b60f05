"""The Markdown part of `make bench`: how long `render` takes on each pathological input.

Runs alone in a minute or two (`python bench/markdown.py`, or `python bench/run.py
--markdown-only`) and rewrites only its own section of docs/benchmarks.md. Each entry of
lessons.markdown_corpus is rendered at the longest length a form accepts and at half of it:
the worst case must stay under the budget, and twice the text must cost about twice the time
(a ratio near 4 is a quadratic parser, the failure this section exists to catch).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lessons import markdown  # noqa: E402
from lessons.markdown_corpus import MAX_LENGTH, SHAPES  # noqa: E402

BUDGET_MS = 100
RUNS = 3  # the best of three CPU times: the cost of the work, not of a neighbour's load
START, END = "<!-- markdown-bench:start -->", "<!-- markdown-bench:end -->"


def cost_ms(text: str, runs: int = RUNS) -> float:
    """The smallest CPU time, in ms, `render(text)` took in `runs` tries."""
    best = float("inf")
    for _ in range(runs):
        started = time.thread_time()
        markdown.render(text)
        best = min(best, time.thread_time() - started)
    return best * 1000


def measure(size: int = MAX_LENGTH) -> list[dict]:
    rows = []
    for name, build in SHAPES.items():
        text, half = build(size), build(size // 2)
        full_ms, half_ms = cost_ms(text), cost_ms(half)
        rows.append(
            {
                "name": name,
                "chars": len(text),
                "ms": full_ms,
                "growth": full_ms / half_ms if half_ms > 0.5 else None,
            }
        )
        print(f"{full_ms:8.1f} ms  {name}", flush=True)
    return rows


def section(rows: list[dict]) -> str:
    worst = max(rows, key=lambda row: row["ms"])
    over = [row for row in rows if row["ms"] >= BUDGET_MS]
    steep = [row for row in rows if row["growth"] and row["growth"] > 3]
    verdict = "pass" if not over else f"**fail**: {len(over)} of {len(rows)} entries over"
    lines = [
        START,
        "## Markdown: the pathological corpus",
        "",
        f"`render()` (markdown-it-py {_version('markdown-it-py')}, bleach "
        f"{_version('bleach')}) in-process on each entry of `lessons/markdown_corpus.py`, "
        f"best of {RUNS} CPU times, at {MAX_LENGTH:,} characters (the lesson body's limit, "
        "the longest Markdown field) and at half that. *Growth* is the time at full length "
        "over the time at half: about 2 for a linear parser, about 4 for a quadratic one.",
        "",
        f"Budget: every entry under {BUDGET_MS} ms. Worst: {worst['name']}, "
        f"{worst['ms']:.0f} ms — {verdict}. Entries growing faster than linear "
        f"(growth > 3): {', '.join(row['name'] for row in steep) or 'none'}.",
        "",
        "| Input | Characters | ms | Growth ×2 | Budget |",
        "|---|---:|---:|---:|---|",
    ]
    for row in sorted(rows, key=lambda row: -row["ms"]):
        growth = "" if row["growth"] is None else f"{row['growth']:.1f}"
        budget = "pass" if row["ms"] < BUDGET_MS else "fail"
        lines.append(
            f"| {row['name'].replace('|', '&#124;')} | {row['chars']:,} | {row['ms']:.1f} "
            f"| {growth} | {budget} |"
        )
    return "\n".join(lines + ["", END])


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def write_section(text: str, path: Path = ROOT / "docs" / "benchmarks.md") -> None:
    """Replace this section in `path` (or add it at the end), leaving the rest alone."""
    current = path.read_text() if path.exists() else ""
    if START in current and END in current:
        before, rest = current.split(START, 1)
        current = before + text + rest.split(END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(current)


def main() -> int:
    text = section(measure())
    write_section(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
