"""Agenda templates a meeting starts from: plain data, edited freely once chosen."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Agenda:
    key: str
    name: str
    text: str


AGENDAS: tuple[Agenda, ...] = (
    Agenda(
        "first",
        "First meeting: expectations and goals",
        """1. Introductions: our roles, and what each of us hopes to learn
2. Expectations: how often we meet, how we keep in touch between meetings
3. Goals: one or two things the mentee wants to be able to do by the end
4. Ground rules: what stays between us, how we give each other feedback
5. Next steps: the first lesson or task, and our next meeting""",
    ),
    Agenda(
        "regular",
        "Regular meeting",
        """1. Since last time: how did the agreed actions go?
2. What worked, what was hard
3. One topic to go deeper into today
4. Feedback both ways: one thing to keep, one thing to change
5. Actions until next time: who does what, by when""",
    ),
    Agenda(
        "difficult",
        "Preparing a difficult conversation",
        """1. The conversation: with whom, about what, and when
2. The facts: the situation, the behaviour, its impact (no judgements of the person)
3. What I want to come out of it, and what the other person may want
4. The first sentence, said out loud; how they might react, and how I answer
5. After the conversation: when we talk about how it went""",
    ),
    Agenda(
        "wrap-up",
        "Wrap-up",
        """1. Looking back: where we started, and the goals we set
2. What changed: examples from work, not impressions
3. What each of us learned from the other
4. What the mentee keeps doing on their own from here
5. Feedback on the mentorship for the program""",
    ),
)

BY_KEY = {agenda.key: agenda for agenda in AGENDAS}


def default_key(meetings_so_far: int) -> str:
    """The first meeting starts from expectations and goals; later ones from the regular one."""
    return "first" if meetings_so_far == 0 else "regular"


def agenda_text(key: str | None, meetings_so_far: int = 0) -> str:
    return BY_KEY.get(key or "", BY_KEY[default_key(meetings_so_far)]).text
