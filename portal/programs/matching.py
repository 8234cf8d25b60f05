"""Ranked matching of mentees to mentors: plain data in, plain data out (no Flask, no database).

Mentee-proposing deferred acceptance (Gale–Shapley with capacities), so the result is stable
and the best stable result for every mentee. A mentee's list is the mentors they ranked, in
order; someone who ranked nobody is placed by topic fit (mentors sharing most of their
interest topics first). Mentors prefer the mentees they ranked, in order, then topic fit.
Remaining ties go to the lower id, so the same input always gives the same result.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mentor:
    id: int
    capacity: int
    seniority: int = 1
    topics: frozenset[int] = frozenset()
    ranks: tuple[int, ...] = ()  # mentee ids, first choice first


@dataclass(frozen=True)
class Mentee:
    id: int
    seniority: int = 1
    topics: frozenset[int] = frozenset()
    ranks: tuple[int, ...] = ()  # mentor ids, first choice first


@dataclass(frozen=True)
class Pair:
    mentor_id: int
    mentee_id: int
    mentee_rank: int | None  # the rank the mentee gave this mentor (1–3), if any
    mentor_rank: int | None  # the rank the mentor gave this mentee, if any
    overlap: frozenset[int]  # shared topics
    kind: str  # reverse / peer / traditional


@dataclass
class Result:
    pairs: list[Pair]
    unmatched: dict[int, str] = field(default_factory=dict)  # mentee id -> reason

    def choice_counts(self) -> dict[int, int]:
        """How many mentees got their 1st, 2nd and 3rd choice."""
        counts = Counter(p.mentee_rank for p in self.pairs if p.mentee_rank)
        return {rank: counts.get(rank, 0) for rank in (1, 2, 3)}


def kind(mentor_seniority: int, mentee_seniority: int) -> str:
    if mentor_seniority < mentee_seniority:
        return "reverse"
    return "peer" if mentor_seniority == mentee_seniority else "traditional"


def preference_list(mentee: Mentee, mentors: dict[int, Mentor]) -> list[int]:
    """The mentors a mentee would accept, best first."""
    ranked = [m for m in dict.fromkeys(mentee.ranks) if m in mentors]
    if mentee.ranks:
        return ranked
    by_fit = [m for m in mentors.values() if m.topics & mentee.topics]
    by_fit.sort(key=lambda m: (-len(m.topics & mentee.topics), m.id))
    return [m.id for m in by_fit]


def _mentor_key(mentor: Mentor, mentee: Mentee, rank_of: dict[int, int]) -> tuple:
    """Smaller is better for the mentor."""
    rank = rank_of.get(mentee.id)
    return (
        (0, rank, 0, mentee.id)
        if rank is not None
        else (1, 0, -len(mentor.topics & mentee.topics), mentee.id)
    )


def match(mentees: list[Mentee], mentors: list[Mentor]) -> Result:
    """Match mentees to mentors: stable, within capacities, mentee-optimal."""
    by_id = {m.id: m for m in mentors if m.capacity > 0}
    people = {e.id: e for e in mentees}
    lists = {e.id: preference_list(e, by_id) for e in mentees}
    ranks = {m.id: {e: i for i, e in enumerate(m.ranks, start=1)} for m in by_id.values()}
    held: dict[int, list[tuple]] = {m: [] for m in by_id}  # max-heap by mentor key (negated)
    next_choice = dict.fromkeys(people, 0)
    free = list(reversed([e.id for e in mentees]))
    while free:
        mentee_id = free.pop()
        options = lists[mentee_id]
        if next_choice[mentee_id] >= len(options):
            continue  # exhausted: stays unmatched
        mentor_id = options[next_choice[mentee_id]]
        next_choice[mentee_id] += 1
        mentor = by_id[mentor_id]
        key = _mentor_key(mentor, people[mentee_id], ranks[mentor_id])
        heapq.heappush(held[mentor_id], (tuple(-x for x in key), mentee_id))  # worst on top
        if len(held[mentor_id]) > mentor.capacity:
            _worst, rejected = heapq.heappop(held[mentor_id])
            free.append(rejected)
    return _result(people, by_id, lists, held, ranks)


def _result(people, mentors, lists, held, ranks) -> Result:
    pairs, matched = [], set()
    for mentor_id, entries in held.items():
        mentor = mentors[mentor_id]
        for _key, mentee_id in sorted(entries, key=lambda e: e[1]):
            mentee = people[mentee_id]
            matched.add(mentee_id)
            rank = mentee.ranks.index(mentor_id) + 1 if mentor_id in mentee.ranks else None
            pairs.append(
                Pair(
                    mentor_id,
                    mentee_id,
                    rank,
                    ranks[mentor_id].get(mentee_id),
                    mentor.topics & mentee.topics,
                    kind(mentor.seniority, mentee.seniority),
                )
            )
    pairs.sort(key=lambda p: (p.mentee_id, p.mentor_id))
    unmatched = {e: _reason(people[e], lists[e], mentors) for e in people if e not in matched}
    return Result(pairs, unmatched)


def _reason(mentee: Mentee, options: list[int], mentors: dict[int, Mentor]) -> str:
    if not mentors:
        return "No mentor has room for a mentee."
    if mentee.ranks and not options:
        return "None of the mentors they ranked can take a mentee."
    if mentee.ranks:
        return "All the mentors they ranked are full."
    if not options:
        return "They ranked nobody, and no mentor shares their topics."
    return "They ranked nobody, and every mentor sharing their topics is full."
