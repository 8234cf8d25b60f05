"""The feedback coach: advice on how a piece of feedback is phrased, never a gate.

Pure (no Flask, no database): plain data and plain functions over the three text parts of a
piece of feedback or an observation (strengths, improvements, next step). It points out

- ``person``: judging the person instead of describing what they did ("you are arrogant",
  "you always interrupt");
- ``absolute``: a generalisation the other person can dismiss with one counter-example
  ("nobody reads…", "every time");
- ``vague``: praise or criticism with no concrete example ("great job", "not good");
- ``no_action``: a next step with nothing to do in it ("be more inclusive", "keep it up");
- ``softening``: hedges and apologies piled up until the message disappears ("sorry, I might
  be wrong, but maybe…"), the trap of a junior giving feedback to someone senior.

Each hint names its field and the words it matched, says why it matters and shows a better
shape: situation – behaviour – impact. Words inside quotation marks are someone's words being
reported, not the writer's, and are never matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FIELDS = {
    "strengths": "Strengths",
    "improvements": "Improvements",
    "next_step": "Next step",
}


@dataclass(frozen=True)
class Hint:
    id: str
    field: str  # one of FIELDS
    words: tuple[str, ...]  # the words matched, as written
    title: str
    why: str
    better: str  # an example of a better shape

    @property
    def field_label(self) -> str:
        return FIELDS[self.field]


# -- the words ----------------------------------------------------------------------------------

_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|‘[^’\n]*’|(?<![\w])'[^'\n]*'(?![\w])")

# "you are …" followed by one of these is not a judgement of the person.
_NOT_JUDGING = set(
    (
        "welcome right invited free able going on in at not the now here there also still "
        "clearly already one allowed asked correct entitled responsible doing using about "
        "into ready back due listed booked down up set aware new to with from"
    ).split()
)
_JUDGING_WORDS = (
    r"arrogant|rude|lazy|careless|sloppy|defensive|bossy|pushy|negative|unprofessional|"
    r"dismissive|condescending|patronising|patronizing|stubborn|aggressive|intimidating|"
    r"disorganised|disorganized|chaotic|hopeless|clueless|useless|boring|cold|selfish|"
    r"old-fashioned|outdated|out of touch|closed-minded|narrow-minded|controlling|difficult|"
    r"impatient|insensitive|naive|weak|terrible|awful|brilliant|amazing|a genius|a natural|"
    r"a people person|a (?:bad|poor|terrible|great|good|natural|born) "
    r"(?:listener|leader|communicator|writer|speaker|presenter|manager|boss)"
)
_INTENSIFIER = r"(?:so|too|very|really|quite|a bit|a little|such an?|kind of|pretty|always|not)"
_PERSON = [
    # you are / you're / you seem + (intensifier) + a character word
    re.compile(
        rf"\byou(?:\s+are|['’]re|\s+seem|\s+sound|\s+come across as)"
        rf"(?:\s+(?:{_INTENSIFIER}))*\s+(?:{_JUDGING_WORDS})\b",
        re.I,
    ),
    # you are so / too / such a … (anything but an -ing verb): a label, whatever the word
    re.compile(
        r"\byou(?:\s+are|['’]re)\s+(?:so|too|such an?|always)\s+(?:(?:a bit|a little|an?)\s+)?"
        r"(?!\w+ing\b)[a-z-]+",
        re.I,
    ),
    # you always / you never / you constantly + a verb
    re.compile(r"\byou\s+(?:always|never|constantly)\s+[a-z-]+", re.I),
]

_ABSOLUTE = re.compile(
    r"\b(?:always|never|every\s+(?:single\s+)?time|all\s+the\s+time|constantly|"
    r"nobody|no\s+one|no-one|everyone|everybody)\b",
    re.I,
)
# "not always", "almost never": nuance, not an absolute.
_QUALIFIED = re.compile(r"\b(?:not|almost|nearly|hardly)\s+$", re.I)
# "clear to everyone", "names everyone": the word as an object describes what happened.
_OBJECT = re.compile(
    r"\b(?:to|for|with|from|of|by|at|around|among|names|named|thanked|thanks|welcomed|"
    r"greeted|invited|included|asked|told)\s+$",
    re.I,
)
_SELF = re.compile(r"\b(?:I|I['’]ve|I['’]d|I\s+have|I\s+had|I\s+would)\s+$", re.I)

_PRAISE = (
    r"great job|good job|nice job|great work|good work|nice work|well done|good effort|"
    r"looks good|looks great|looks fine|amazing|awesome|loved it|love it|perfect|excellent|"
    r"brilliant|fantastic|good stuff|nice one|keep up the good work|it was fine|all good|"
    r"great stuff|a natural"
)
_CRITICISM = (
    r"not good|not great|not ideal|could be better|needs work|needs improvement|"
    r"could be improved|was bad|is bad|felt off|a bit off|not quite right|wasn't great|"
    r"was weak|is weak|lacking|some parts"
)
_VAGUE = re.compile(rf"\b(?:{_PRAISE}|{_CRITICISM})\b", re.I)
_CRITICAL = re.compile(rf"\b(?:{_CRITICISM})\b", re.I)
# Signs that the text gives an example: a number, a quotation, a named thing, a reason.
_CONCRETE = re.compile(
    r"\d|[\"“‘']\w|\b(?:because|so that|which|when|where|for example|for instance|e\.g\.|"
    r"such as|you (?:listed|added|used|said|wrote|named|asked|put|opened|gave)|"
    r"slide|post|photo|image|chart|alt text|caption|headline|paragraph|sentence|comment|"
    r"email|meeting|agenda|deck|video|reply)\b",
    re.I,
)

_ACTION_VERBS = (
    r"add|ask|answer|book|break|bring|call|change|check|choose|close|compare|cut|darken|"
    r"delete|describe|draft|drop|edit|email|end|explain|fix|give|hand|include|invite|"
    r"keep \w+ing|label|leave|let|link|list|make|mark|mention|move|name|open|pause|pick|"
    r"plan|post|practise|practice|prepare|publish|put|read|record|rehearse|remove|replace|"
    r"reply|rewrite|run|say|schedule|send|share|show|shorten|skip|spell|split|start|stop|"
    r"swap|tag|take|tell|test|thank|try (?:a|an|one|the|this|it|out|\w+ing)|turn|upload|"
    r"use|wait|watch|write"
)
_ACTION = re.compile(rf"\b(?:{_ACTION_VERBS})\b", re.I)
_NO_ACTION = re.compile(
    r"\b(?:keep (?:it )?up(?: the good work)?|keep going|carry on|try harder|do better|"
    r"be (?:more|less|a bit more)\s+\w+|more \w+ next time|improve (?:the|your)\s+[\w ]+?|"
    r"think about (?:it|this)|something to think about|work on (?:it|this|that))\b",
    re.I,
)

_HEDGES = re.compile(
    r"\b(?:just|maybe|perhaps|possibly|probably|a (?:little\s+)?bit|a little|kind of|"
    r"sort of|slightly|somehow|tiny|small thing|i think|i guess|i suppose|i feel like|"
    r"if you have time|if that makes sense|no big deal|only a thought|just a thought|"
    r"might perhaps|it might|could possibly)\b",
    re.I,
)
_APOLOGIES = re.compile(
    r"\b(?:sorry|i might be wrong|i may be wrong|i could be wrong|i'?m not sure|"
    r"i am not sure|feel free to ignore|ignore this|not the right person|"
    r"don['’]t want to be \w+|it['’]s probably nothing|maybe it['’]s just me)\b",
    re.I,
)
# A hedge that is the ordinary word ("just in time", "just before"), not a softener.
_PLAIN_JUST = re.compile(r"\bjust\s+(?:in time|before|after|now|as|like)\b", re.I)

# -- why and a better shape ---------------------------------------------------------------------

_TITLE = {
    "person": "Describe what they did, not who they are",
    "absolute": "Avoid absolutes",
    "vague": "Give a concrete example",
    "no_action": "Put one action in the next step",
    "softening": "Say it once, plainly and kindly",
}
_WHY = {
    "person": "A label (“you are…”, “you always…”) is about the person, so it invites a "
    "defence rather than a change. Behaviour can change; character feels fixed.",
    "absolute": "“Never”, “always”, “everyone” are easy to disprove with one counter-example, "
    "and then the conversation is about the exception instead of the point.",
    "vague": "Without an example the person cannot tell what to keep doing or what to change, "
    "and praise without detail sounds polite rather than meant.",
    "no_action": "A next step is something the person can do and you could both notice: a "
    "verb, an occasion, an object.",
    "softening": "Piled-up hedges and apologies can make the message disappear: the other "
    "person hears that it does not matter. You can be kind and clear at the same time.",
}
_BETTER = {
    "person": "“In Tuesday’s stand-up (situation) you moved on while Priya was still "
    "speaking (behaviour), and she did not say anything else in the meeting (impact).”",
    "absolute": "“Your last three posts had images without alt text (situation and "
    "behaviour), so colleagues using screen readers heard only ‘image’ (impact).”",
    "vague_praise": "“In your post about the hiring fair (situation), opening with a "
    "question (behaviour) got people replying: 14 comments in a day (impact).”",
    "vague_criticism": "“The chart on slide 3 (situation) uses only red and green "
    "(behaviour), so a colour-blind colleague could not tell the lines apart (impact).”",
    "no_action": "“In the next team meeting, ask the two people who have not spoken for "
    "their view before you sum up.”",
    "softening": "“In the town hall (situation) you answered before the question was "
    "finished (behaviour); two people told me they felt cut off (impact). Could you let the "
    "next question finish?”",
}


def _hint(code: str, field: str, words, better_key: str | None = None) -> Hint:
    seen: list[str] = []
    for word in words:
        word = " ".join(word.split())
        if word.lower() not in (w.lower() for w in seen):
            seen.append(word)
    return Hint(code, field, tuple(seen), _TITLE[code], _WHY[code], _BETTER[better_key or code])


# -- the checks ---------------------------------------------------------------------------------


def _unquoted(text: str) -> str:
    """The text with quoted words blanked out (same length, so positions still match)."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), text)


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?:;\n"


def _person(text: str) -> list[re.Match]:
    found: list[re.Match] = []
    for pattern in _PERSON:
        for match in pattern.finditer(text):
            last = match.group().split()[-1].lower()
            if pattern is not _PERSON[0] and last in _NOT_JUDGING:
                continue  # "you are always welcome to…"
            if not any(m.start() <= match.start() < m.end() for m in found):
                found.append(match)
    return found


def _absolutes(text: str, taken: list[re.Match]) -> list[str]:
    words = []
    for match in _ABSOLUTE.finditer(text):
        if any(m.start() <= match.start() < m.end() for m in taken):
            continue
        word = match.group().lower()
        if word in ("everyone", "everybody") and _OBJECT.search(text[: match.start()][-20:]):
            continue
        if word in ("always", "never"):
            before = text[: match.start()]
            # advice ("Never miss a chance…", "Always put…"), nuance, or the writer's own
            # experience ("I had never seen…") is no generalisation about the other person
            if _sentence_start(text, match.start()) or _QUALIFIED.search(before):
                continue
            if _SELF.search(before[-20:]):
                continue
        words.append(match.group())
    return words


def _vague(text: str) -> list[str]:
    words = [m.group() for m in _VAGUE.finditer(text)]
    if not words:
        return []
    rest = _VAGUE.sub(" ", text)
    has_example = _CONCRETE.search(rest) and len(re.findall(r"\w+", rest)) >= 8
    return [] if has_example else words


def _no_action(text: str) -> list[str]:
    empty = [m.group() for m in _NO_ACTION.finditer(text)]
    rest = _NO_ACTION.sub(" ", text)
    if _ACTION.search(rest):
        return []
    if empty:
        return empty
    # no verb to act on at all: quote the start of the step
    return [" ".join(text.split()[:6])] if text.strip() else []


def _softening(text: str) -> list[str]:
    plain = _PLAIN_JUST.sub(" ", text)
    apologies = [m.group() for m in _APOLOGIES.finditer(plain)]
    rest = _APOLOGIES.sub(" ", plain)
    hedges = [m.group() for m in _HEDGES.finditer(rest)]
    many = len(hedges) + len(apologies) >= 3 or (apologies and hedges)
    return apologies + hedges if many else []


def check(field: str, text: str) -> list[Hint]:
    """The hints for one text part of a piece of feedback."""
    if field not in FIELDS:
        raise ValueError(f"unknown feedback field: {field}")
    text = _unquoted(text or "")
    hints: list[Hint] = []
    person = _person(text)
    if person:
        hints.append(_hint("person", field, [m.group() for m in person]))
    if absolutes := _absolutes(text, person):
        hints.append(_hint("absolute", field, absolutes))
    if vague := _vague(text):
        critical = any(_CRITICAL.fullmatch(word) for word in vague)
        hints.append(
            _hint("vague", field, vague, "vague_criticism" if critical else "vague_praise")
        )
    if field == "next_step" and (empty := _no_action(text)):
        hints.append(_hint("no_action", field, empty))
    if softening := _softening(text):
        hints.append(_hint("softening", field, softening))
    return hints


def coach(strengths: str = "", improvements: str = "", next_step: str = "") -> list[Hint]:
    """The hints for a whole piece of feedback (or an observation), in the form's order."""
    parts = {"strengths": strengths, "improvements": improvements, "next_step": next_step}
    return [hint for field, text in parts.items() for hint in check(field, text)]


def for_feedback(item) -> list[Hint]:
    """The hints for saved feedback: anything with the three text parts as attributes."""
    return coach(item.strengths, item.improvements, item.next_step)
