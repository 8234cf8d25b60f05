"""Judging a program's goal from each mentee's own surveys. Pure: no Flask, no database.

A mentee counts when both phases are known for them: their earliest baseline survey with
results (or, when no baseline survey has results at all, the baseline the coordinator typed)
and their latest follow-up with results. The change is taken per mentee, then averaged. The
goal is judged only once enough of the matched mentees count; before the end date the verdict
says whether the program is on the straight line from baseline to target, never "Reached".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from statistics import fmean

NOT_ENOUGH = "Not enough data yet"
ON_TRACK = "On track"
BEHIND = "Behind"
REACHED = "Reached"
NOT_REACHED = "Not reached"

MEASURED, TYPED = "measured", "typed"


@dataclass(frozen=True)
class Measure:
    """One survey's overall mean and the number of answers behind it."""

    mean: float
    responses: int
    title: str = ""


@dataclass
class MenteeResult:
    mentee_id: int
    name: str
    baselines: list[Measure] = field(default_factory=list)  # oldest first
    follow_ups: list[Measure] = field(default_factory=list)  # oldest first

    @property
    def baseline(self) -> Measure | None:
        return self.baselines[0] if self.baselines else None

    @property
    def follow_up(self) -> Measure | None:
        return self.follow_ups[-1] if self.follow_ups else None


@dataclass(frozen=True)
class Row:
    """A mentee's line in the report: the two values compared and the change."""

    name: str
    baseline: float | None
    baseline_responses: int | None  # None: the typed baseline, not a survey
    follow_up: float | None
    follow_up_responses: int | None
    counted: bool

    @property
    def change(self) -> float | None:
        if self.baseline is None or self.follow_up is None:
            return None
        return round(self.follow_up - self.baseline, 2)


@dataclass(frozen=True)
class Goal:
    verdict: str
    reason: str
    rows: list[Row]
    matched: int  # mentees in confirmed pairs
    needed: int  # how many of them must count before the goal is judged
    coverage: int  # the program's setting, in %
    baseline_source: str | None  # MEASURED, TYPED or None
    baseline: float | None  # mean over the mentees counted (or the best available)
    latest: float | None  # mean follow-up over the mentees counted
    target: float | None
    expected_now: float | None = None  # where the straight line to the target stands today

    @property
    def paired(self) -> int:
        return sum(r.counted for r in self.rows)

    @property
    def change(self) -> float | None:
        changes = [r.change for r in self.rows if r.counted]
        return round(fmean(changes), 2) if changes else None

    @property
    def judged(self) -> bool:
        return self.verdict != NOT_ENOUGH


def needed_for(matched: int, coverage: int) -> int:
    """Mentees with paired data the coverage asks for: at least one, rounded up."""
    return max(math.ceil(matched * coverage / 100), 1)


def _rows(mentees: list[MenteeResult], typed: float | None) -> tuple[list[Row], str | None]:
    measured = any(m.baseline for m in mentees)
    source = MEASURED if measured else (TYPED if typed is not None else None)
    rows = []
    for m in mentees:
        base, answers = (m.baseline.mean, m.baseline.responses) if m.baseline else (None, None)
        if source == TYPED:
            base = typed
        after = m.follow_up
        rows.append(
            Row(
                m.name,
                base,
                answers,
                after.mean if after else None,
                after.responses if after else None,
                base is not None and after is not None,
            )
        )
    return rows, source


def _target(baseline: float | None, target: float | None, kind: str) -> float | None:
    if target is None or kind != "relative":
        return target
    return None if baseline is None else round(baseline * (1 + target / 100), 2)


def _mean(values: list[float]) -> float | None:
    return round(fmean(values), 2) if values else None


def evaluate(
    mentees: list[MenteeResult],
    *,
    typed_baseline: float | None,
    target: float | None,
    target_kind: str,
    coverage: int,
    starts_on: date,
    ends_on: date,
    today: date,
) -> Goal:
    """The goal's verdict, with the figures and the reason behind it."""
    rows, source = _rows(mentees, typed_baseline)
    counted = [r for r in rows if r.counted]
    # The baseline of the mentees compared; until someone is, the best one known.
    known = [r.baseline for r in (counted or rows) if r.baseline is not None]
    baseline = _mean(known) if known else (typed_baseline if source == TYPED else None)
    latest = _mean([r.follow_up for r in counted])
    goal_target = _target(baseline, target, target_kind)
    matched, needed = len(mentees), needed_for(len(mentees), coverage)
    figures = {
        "rows": rows,
        "matched": matched,
        "needed": needed,
        "coverage": coverage,
        "baseline_source": source,
        "baseline": baseline,
        "latest": latest,
        "target": goal_target,
    }
    if goal_target is None:
        return Goal(NOT_ENOUGH, "The goal has no target to compare with.", **figures)
    if source is None:
        return Goal(
            NOT_ENOUGH,
            "There is no baseline yet: no baseline survey has results and none was typed in.",
            **figures,
        )
    if len(counted) < needed or not matched:
        return Goal(
            NOT_ENOUGH,
            f"{len(counted)} of {matched} matched mentees have a baseline and a follow-up; "
            f"the goal is judged once {needed} do ({coverage} %).",
            **figures,
        )
    rising = goal_target >= baseline
    if today > ends_on:
        reached = latest >= goal_target if rising else latest <= goal_target
        return Goal(
            REACHED if reached else NOT_REACHED,
            f"The program ended on {ends_on:%d %b %Y}: the mean follow-up is {latest} "
            f"against a target of {goal_target}.",
            **figures,
        )
    span = max((ends_on - starts_on).days, 1)
    share = min(max((today - starts_on).days / span, 0.0), 1.0)
    expected = round(baseline + (goal_target - baseline) * share, 2)
    on_track = latest >= expected if rising else latest <= expected
    return Goal(
        ON_TRACK if on_track else BEHIND,
        f"The program runs until {ends_on:%d %b %Y}, {round(share * 100)} % of its time has "
        f"passed: a straight line from {baseline} to {goal_target} stands at {expected} today, "
        f"and the mean follow-up is {latest}.",
        expected_now=expected,
        **figures,
    )
