"""Rubrics: sensible defaults per topic, the current version, and editing by new versions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from feedback.models import Criterion, Level, Rubric
from portal.errors import Conflict, DomainError
from portal.extensions import db
from portal.topics import Topic


@dataclass
class CriterionData:
    name: str
    description: str
    descriptors: tuple[str, str, str, str]  # levels 1 to 4


def _c(name: str, description: str, *levels: str) -> CriterionData:
    return CriterionData(name, description, levels)


DEFAULTS: dict[str, list[CriterionData]] = {
    "social-media": [
        _c(
            "Audience and purpose",
            "Knows who a post is for and what it should achieve.",
            "No clear audience or goal.",
            "Audience implied, goal vague.",
            "Clear audience and one goal.",
            "Audience, goal and call to action fit and can be measured.",
        ),
        _c(
            "Voice and story",
            "Tells a concrete story in a personal voice.",
            "Reads like an announcement.",
            "Some personal voice; the story is buried.",
            "A concrete story in a personal voice.",
            "A vivid, specific story that invites replies.",
        ),
        _c(
            "Platform craft",
            "Format, hashtags, alt text, timing, analytics.",
            "Ignores the platform's norms.",
            "Follows some norms.",
            "Uses format, tags and alt text well.",
            "Uses the platform deliberately and learns from analytics.",
        ),
        _c(
            "Engagement and safety",
            "Responds well and keeps to policy.",
            "Does not respond, or risks sharing confidential information.",
            "Responds now and then.",
            "Responds constructively and keeps to policy.",
            "Builds conversation and models good practice.",
        ),
    ],
    "accessibility": [
        _c(
            "Text alternatives",
            "Images and media have purposeful alternatives.",
            "Images lack alt text.",
            "Alt text present but vague or redundant.",
            "Alt text conveys each image's purpose.",
            "Concise, purposeful alt text; complex images have data alternatives.",
        ),
        _c(
            "Structure and links",
            "Real headings, lists and descriptive links.",
            "Formatting is visual only.",
            "Some real headings; levels skipped.",
            "Real headings and descriptive links throughout.",
            "A screen-reader user can skim and jump with ease.",
        ),
        _c(
            "Colour and readability",
            "Contrast, plain language, nothing by colour alone.",
            "Low contrast or meaning by colour alone.",
            "Mostly readable; some contrast problems.",
            "Meets AA contrast; meaning never by colour alone.",
            "Plain language and good contrast, checked with a tool.",
        ),
        _c(
            "Inclusive habits",
            "Checks work and involves disabled colleagues.",
            "Accessibility is not considered.",
            "Fixes problems when told.",
            "Checks own work before sharing.",
            "Asks users, teaches others, champions accessibility.",
        ),
    ],
    "leadership": [
        _c(
            "Motivating the team",
            "Recognition and a clear sense of purpose.",
            "Rarely recognises effort; goals unclear.",
            "Recognises results now and then.",
            "Recognises specific contributions and links work to purpose.",
            "The team describes feeling energised and trusted.",
        ),
        _c(
            "Communication",
            "Sharing information and listening.",
            "Information arrives late or not at all; interrupts.",
            "Shares information but rarely listens.",
            "Shares openly, listens, invites questions.",
            "Makes room for every voice; people speak up readily.",
        ),
        _c(
            "Conducting assessments",
            "Fair, evidence-based reviews of people's work.",
            "Assessments are vague or inconsistent.",
            "Assessments use some evidence.",
            "Fair and evidence-based, with specific examples.",
            "Transparent and two-way, leading to growth plans.",
        ),
        _c(
            "Receiving feedback",
            "How feedback from the team is taken and acted on.",
            "Defensive when challenged.",
            "Listens but rarely acts.",
            "Thanks, asks, and commits to a change.",
            "Seeks feedback and visibly closes the loop.",
        ),
    ],
}

GENERIC = [
    _c(
        "Understanding",
        "Grasps the ideas of the lesson.",
        "Misreads the main idea.",
        "Gets the gist; details missing.",
        "Explains the ideas accurately.",
        "Explains the ideas and their limits in own words.",
    ),
    _c(
        "Application",
        "Uses the ideas in real work.",
        "No application yet.",
        "A first, partial try.",
        "Applies the ideas to a real case.",
        "Applies them well and adapts them to context.",
    ),
    _c(
        "Reflection",
        "Learns from the attempt.",
        "No reflection.",
        "Describes what happened.",
        "Says what to change next time.",
        "Draws a lesson others could use.",
    ),
]


def _build(topic_id: int, version: int, criteria: list[CriterionData], editor_id=None) -> Rubric:
    rubric = Rubric(topic_id=topic_id, version=version, created_by_id=editor_id)
    for position, data in enumerate(criteria, start=1):
        criterion = Criterion(
            position=position, name=data.name.strip(), description=data.description.strip()
        )
        criterion.levels = [
            Level(level=n, descriptor=text.strip()) for n, text in enumerate(data.descriptors, 1)
        ]
        rubric.criteria.append(criterion)
    return rubric


def ensure_default_rubrics() -> None:
    """Give every topic without a rubric its default one (idempotent)."""
    with_rubric = set(db.session.scalars(select(Rubric.topic_id)))
    for topic in db.session.scalars(select(Topic)):
        if topic.id not in with_rubric:
            db.session.add(_build(topic.id, 1, DEFAULTS.get(topic.slug, GENERIC)))
    db.session.commit()


def current_rubric(topic_id: int) -> Rubric:
    """The newest version of a topic's rubric, with criteria and levels loaded."""
    rubric = db.session.scalar(
        select(Rubric)
        .where(Rubric.topic_id == topic_id)
        .order_by(Rubric.version.desc())
        .limit(1)
        .options(selectinload(Rubric.criteria).selectinload(Criterion.levels))
    )
    if rubric is None:  # a topic added after set-up gets the generic rubric on first use
        ensure_default_rubrics()
        return current_rubric(topic_id)
    return rubric


def save_rubric(topic_id: int, editor_id: int, criteria: list[CriterionData]) -> Rubric:
    """Save an edited rubric as a new version; feedback already given keeps its version."""
    if not 3 <= len(criteria) <= 5:
        raise DomainError("A rubric has 3 to 5 criteria.", field="criteria")
    latest = db.session.scalar(select(func.max(Rubric.version)).where(Rubric.topic_id == topic_id))
    rubric = _build(topic_id, (latest or 0) + 1, criteria, editor_id)
    db.session.add(rubric)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict(
            "Someone else saved this rubric a moment ago. Reload and try again."
        ) from exc
    return rubric
