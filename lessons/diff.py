"""A readable line diff between two revisions (plain Python)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added" or "removed"
    text: str
    old_number: int | None
    new_number: int | None


def line_diff(old: str, new: str, context: int | None = 3) -> list[DiffLine | None]:
    """Lines of `new` against `old`; None marks skipped unchanged lines."""
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    groups = (
        matcher.get_grouped_opcodes(context) if context is not None else [matcher.get_opcodes()]
    )
    lines: list[DiffLine | None] = []
    for group in groups:
        if lines:
            lines.append(None)
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", a[i], i + 1, j1 + i - i1 + 1) for i in range(i1, i2)]
                continue
            lines += [DiffLine("removed", a[i], i + 1, None) for i in range(i1, i2)]
            lines += [DiffLine("added", b[j], None, j + 1) for j in range(j1, j2)]
    return lines


def summary(lines: list[DiffLine | None]) -> tuple[int, int]:
    """(lines added, lines removed)."""
    added = sum(1 for line in lines if line and line.kind == "added")
    removed = sum(1 for line in lines if line and line.kind == "removed")
    return added, removed
