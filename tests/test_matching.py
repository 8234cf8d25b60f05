"""The matcher, checked by properties over random programs (Hypothesis) and by examples."""

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.programs.matching import Mentee, Mentor, match, preference_list

TOPICS = st.frozensets(st.integers(1, 4), max_size=3)


@st.composite
def programs(draw, max_mentees=7, max_mentors=5):
    n_mentors = draw(st.integers(1, max_mentors))
    n_mentees = draw(st.integers(1, max_mentees))
    mentor_ids = list(range(100, 100 + n_mentors))
    mentee_ids = list(range(1, 1 + n_mentees))

    def ranks(ids):
        return tuple(draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)))

    mentors = [
        Mentor(i, draw(st.integers(0, 3)), draw(st.integers(1, 9)), draw(TOPICS), ranks(mentee_ids))
        for i in mentor_ids
    ]
    mentees = [
        Mentee(i, draw(st.integers(1, 9)), draw(TOPICS), ranks(mentor_ids)) for i in mentee_ids
    ]
    return mentees, mentors


def mentor_prefers(mentor: Mentor, a: Mentee, b: Mentee) -> bool:
    """True when the mentor would rather have `a` than `b`."""

    def key(e):
        if e.id in mentor.ranks:
            return (0, mentor.ranks.index(e.id), 0, e.id)
        return (1, 0, -len(mentor.topics & e.topics), e.id)

    return key(a) < key(b)


def blocking_pairs(mentees, mentors, assignment: dict[int, int | None]):
    """(mentor, mentee) pairs who would both rather be together: none may exist."""
    by_id = {m.id: m for m in mentors if m.capacity > 0}
    people = {e.id: e for e in mentees}
    held = {m: [e for e, a in assignment.items() if a == m] for m in by_id}
    found = []
    for mentee in mentees:
        options = preference_list(mentee, by_id)
        current = assignment[mentee.id]
        better = options[: options.index(current)] if current in options else options
        for mentor_id in better:
            mentor, others = by_id[mentor_id], held[mentor_id]
            if len(others) < mentor.capacity or any(
                mentor_prefers(mentor, mentee, people[o]) for o in others
            ):
                found.append((mentor_id, mentee.id))
    return found


def as_assignment(result, mentees):
    chosen = {p.mentee_id: p.mentor_id for p in result.pairs}
    return {e.id: chosen.get(e.id) for e in mentees}


@settings(max_examples=300, deadline=None)
@given(programs())
def test_result_is_stable_within_capacity_and_complete(program):
    mentees, mentors = program
    result = match(mentees, mentors)
    assignment = as_assignment(result, mentees)
    assert blocking_pairs(mentees, mentors, assignment) == []
    load = {}
    for pair in result.pairs:
        load[pair.mentor_id] = load.get(pair.mentor_id, 0) + 1
    capacity = {m.id: m.capacity for m in mentors}
    assert all(load[m] <= capacity[m] for m in load)
    assert len({p.mentee_id for p in result.pairs}) == len(result.pairs)  # one mentor each
    assert set(result.unmatched) | {p.mentee_id for p in result.pairs} == {e.id for e in mentees}
    assert not set(result.unmatched) & {p.mentee_id for p in result.pairs}
    for pair in result.pairs:  # only acceptable pairs, with honest ranks
        mentee = next(e for e in mentees if e.id == pair.mentee_id)
        assert pair.mentor_id in preference_list(mentee, {m.id: m for m in mentors if m.capacity})
        expected = (
            mentee.ranks.index(pair.mentor_id) + 1 if pair.mentor_id in mentee.ranks else None
        )
        assert pair.mentee_rank == expected


@settings(max_examples=200, deadline=None)
@given(programs(max_mentees=4, max_mentors=3))
def test_every_mentee_does_as_well_as_in_any_stable_matching(program):
    """Mentee-optimal: compared with every stable matching found by brute force."""
    mentees, mentors = program
    open_mentors = {m.id: m for m in mentors if m.capacity > 0}
    lists = {e.id: preference_list(e, open_mentors) for e in mentees}
    ours = as_assignment(match(mentees, mentors), mentees)

    def position(e, mentor_id):
        return lists[e].index(mentor_id) if mentor_id is not None else len(lists[e])

    for choice in itertools.product(*[[None, *lists[e.id]] for e in mentees]):
        assignment = dict(zip([e.id for e in mentees], choice, strict=True))
        loads = [sum(1 for a in choice if a == m) for m in open_mentors]
        if any(
            load > open_mentors[m].capacity for m, load in zip(open_mentors, loads, strict=True)
        ):
            continue
        if blocking_pairs(mentees, mentors, assignment):
            continue
        for e in mentees:
            assert position(e.id, ours[e.id]) <= position(e.id, assignment[e.id])


def test_first_choices_topic_fit_and_reasons():
    mentors = [
        Mentor(10, 1, seniority=2, topics=frozenset({1}), ranks=(1,)),
        Mentor(11, 1, seniority=8, topics=frozenset({2})),
        Mentor(12, 0, topics=frozenset({3})),
    ]
    mentees = [
        Mentee(1, seniority=9, ranks=(10,)),  # gets their first choice
        Mentee(2, seniority=5, ranks=(10,)),  # their only choice is full
        Mentee(3, seniority=5, topics=frozenset({2})),  # ranked nobody: placed by topic
        Mentee(4, topics=frozenset({3})),
    ]
    result = match(mentees, mentors)
    assert {(p.mentor_id, p.mentee_id) for p in result.pairs} == {(10, 1), (11, 3)}
    first = next(p for p in result.pairs if p.mentee_id == 1)
    assert (first.mentee_rank, first.mentor_rank, first.kind) == (1, 1, "reverse")
    assert next(p for p in result.pairs if p.mentee_id == 3).kind == "traditional"
    assert result.choice_counts() == {1: 1, 2: 0, 3: 0}
    assert result.unmatched == {
        2: "All the mentors they ranked are full.",
        4: "They ranked nobody, and no mentor shares their topics.",
    }


def test_a_thousand_mentees_and_three_hundred_mentors():
    rng = random.Random(7)
    mentors = [
        Mentor(
            10_000 + i, rng.randint(2, 5), rng.randint(1, 9), frozenset(rng.sample(range(1, 8), 2))
        )
        for i in range(300)
    ]
    ids = [m.id for m in mentors]
    mentees = [
        Mentee(
            i,
            rng.randint(1, 9),
            frozenset(rng.sample(range(1, 8), 2)),
            tuple(rng.sample(ids, rng.randint(0, 3))),
        )
        for i in range(1000)
    ]
    result = match(mentees, mentors)
    assert len(result.pairs) + len(result.unmatched) == 1000
    assert sum(result.choice_counts().values()) > 500
