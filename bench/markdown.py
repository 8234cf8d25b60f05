"""The Markdown part of `make bench`: how long `render` takes on the worst text a form accepts.

Runs alone in a minute or two (`python bench/markdown.py`, or `python bench/run.py
--markdown-only`) and rewrites only its own section of docs/benchmarks.md. For each shape of
lessons.markdown_corpus it finds the longest text of that shape the work budget accepts (the
whole field, or less), renders it and half of it: the worst must stay under the time budget,
and twice the text must cost about twice the time (a ratio near 4 is a quadratic parser).
Real lessons repeated to the field's limit show what an ordinary long text costs.
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
        markdown.render.cache_clear()  # render keeps its last results; time the work
        started = time.thread_time()
        markdown.render(text)
        best = min(best, time.thread_time() - started)
    return best * 1000


def accepted(text: str) -> bool:
    try:
        markdown.render(text)
    except markdown.MarkupTooDense:
        return False
    return True


def longest_accepted(build, limit: int = MAX_LENGTH) -> int:
    """The longest size of a shape the budget accepts (a shape only grows with its size)."""
    if accepted(build(limit)):
        return limit
    low, high = 0, limit  # accepted at low, refused at high
    while high - low > 16:
        middle = (low + high) // 2
        low, high = (middle, high) if accepted(build(middle)) else (low, middle)
    return low


def real_lessons() -> dict:
    """The demo lessons, each repeated up to the limit: ordinary Markdown at its longest."""
    shapes = {}
    for path in sorted((ROOT / "lessons" / "demo_content").glob("*.md")):
        text = path.read_text() + "\n\n"
        shapes[f"real lesson {path.stem}, repeated"] = lambda size, text=text: (
            text * (size // len(text) + 1)
        )[:size]
    return shapes


def measure(size: int = MAX_LENGTH) -> list[dict]:
    rows = []
    for name, build in {**SHAPES, **real_lessons()}.items():
        longest = longest_accepted(build, size)
        text, half = build(longest), build(longest // 2)
        full_ms, half_ms = cost_ms(text), cost_ms(half)
        rows.append(
            {
                "name": name,
                "chars": len(text),
                "refused_beyond": longest < size,
                "ms": full_ms,
                "growth": full_ms / half_ms if half_ms > 0.5 else None,
            }
        )
        print(f"{full_ms:8.1f} ms  {len(text):6,} chars  {name}", flush=True)
    return rows


def section(rows: list[dict]) -> str:
    worst = max(rows, key=lambda row: row["ms"])
    over = [row for row in rows if row["ms"] >= BUDGET_MS]
    steep = [row for row in rows if row["growth"] and row["growth"] > 3]
    refused = [row for row in rows if row["refused_beyond"]]
    verdict = "pass" if not over else f"**fail**: {len(over)} of {len(rows)} entries over"
    lines = [
        START,
        "## Markdown: the worst text a form accepts",
        "",
        f"`render()` (markdown-it-py {_version('markdown-it-py')} within the work budget, "
        f"nh3 {_version('nh3')}) in-process, best of {RUNS} CPU times, on each shape of "
        "`lessons/markdown_corpus.py` at the longest length the work budget accepts: the "
        f"whole field ({MAX_LENGTH:,} characters, the lesson body's limit and the longest "
        "Markdown field), or where the budget starts refusing the shape (*refused beyond*; the "
        "form then says so beside the field). *Growth* is the time at that length over the "
        "time at half of it: about 2 for a linear parser, about 4 for a quadratic one. The "
        "last rows are the demo lessons repeated to the limit: ordinary Markdown at its longest.",
        "",
        f"Budget: every accepted text under {BUDGET_MS} ms. Worst: {worst['name']}, "
        f"{worst['ms']:.0f} ms — {verdict}. Shapes refused before the field's limit: "
        f"{len(refused)} of {len(rows)}. Entries growing faster than linear (growth > 3): "
        f"{', '.join(row['name'] for row in steep) or 'none'}.",
        "",
        "| Input | Longest accepted | ms | Growth ×2 | Budget |",
        "|---|---:|---:|---:|---|",
    ]
    for row in sorted(rows, key=lambda row: -row["ms"]):
        growth = "" if row["growth"] is None else f"{row['growth']:.1f}"
        budget = "pass" if row["ms"] < BUDGET_MS else "fail"
        length = f"{row['chars']:,}" + (" (refused beyond)" if row["refused_beyond"] else "")
        lines.append(
            f"| {row['name'].replace('|', '&#124;')} | {length} | {row['ms']:.1f} "
            f"| {growth} | {budget} |"
        )
    return "\n".join(lines + ["", END])


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def write_section(
    text: str, path: Path = ROOT / "docs" / "benchmarks.md", marks: tuple[str, str] = (START, END)
) -> None:
    """Replace this section in `path` (or add it at the end), leaving the rest alone."""
    start, end = marks
    current = path.read_text() if path.exists() else ""
    if start in current and end in current:
        before, rest = current.split(start, 1)
        current = before + text + rest.split(end, 1)[1]
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
