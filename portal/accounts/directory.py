"""The people directory: who is here, found by name, job title or topic.

Only profile fields (name, job title, seniority, topics, bio): no email, no records. The same
search serves `/people` and the pickers where a coordinator invites people to a program or a
mentor to a group session, so that choosing among 2,000 people is a search, not a list.
A page is four queries: the count, the people, the topics they teach and learn.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User, user_expertise, user_interest
from portal.extensions import db
from portal.topics import Topic

PER_PAGE = 25
PICKER_SIZE = 20  # results a picker shows at once; more means: refine the search
MAX_WORDS = 8


@dataclass
class Found:
    people: list[User]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def _contains(column, word: str):
    """Case-insensitive substring match, `%` and `_` taken literally (as the library's)."""
    if db.engine.dialect.name == "sqlite":
        return column.contains(word, autoescape=True)
    return column.icontains(word, autoescape=True)


def _topic_matches(table, word: str):
    return exists(
        select(1)
        .select_from(table.join(Topic, Topic.id == table.c.topic_id))
        .where(
            table.c.user_id == User.id,
            or_(_contains(Topic.name, word), _contains(Topic.slug, word)),
        )
    )


def _with_topic(table, slug: str):
    return exists(
        select(1)
        .select_from(table.join(Topic, Topic.id == table.c.topic_id))
        .where(table.c.user_id == User.id, Topic.slug == slug)
    )


def _filtered(query: str, teaches: str | None, learns: str | None, exclude=()):
    """Active people matching every word (in name, job title or a topic), and the topics."""
    statement = select(User).where(User.is_active_account.is_(True))
    for word in query.split()[:MAX_WORDS]:
        statement = statement.where(
            or_(
                _contains(User.name, word),
                _contains(User.job_title, word),
                _topic_matches(user_expertise, word),
                _topic_matches(user_interest, word),
            )
        )
    if teaches:
        statement = statement.where(_with_topic(user_expertise, teaches))
    if learns:
        statement = statement.where(_with_topic(user_interest, learns))
    if exclude:
        statement = statement.where(User.id.not_in(list(exclude)))
    return statement


def search(
    query: str = "",
    *,
    teaches: str | None = None,
    learns: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    exclude=(),
) -> Found:
    """One page of the directory, by name (people with the same name by id)."""
    statement = _filtered(query.strip(), teaches, learns, exclude)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    page = max(1, min(page, max(1, -(-total // per_page))))
    people = db.session.scalars(
        statement.options(selectinload(User.expertise), selectinload(User.interests))
        .order_by(User.name, User.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Found(list(people), total, page, per_page)


def chosen(ids, exclude=()) -> list[User]:
    """The active people among `ids` (already ticked in a picker), by name; one query."""
    wanted = [i for i in dict.fromkeys(ids or []) if isinstance(i, int) and i not in exclude]
    if not wanted:
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(User.id.in_(wanted), User.is_active_account.is_(True))
            .order_by(User.name, User.id)
        )
    )


@dataclass
class Pick:
    """What a people picker shows: the people already ticked, then the search's results."""

    q: str
    chosen: list[User]
    results: list[User]
    total: int  # how many match the search (besides the ticked ones)

    @property
    def people(self) -> list[User]:
        return self.chosen + self.results

    @property
    def more(self) -> int:
        return self.total - len(self.results)


def pick(q: str | None, ticked, exclude=(), size: int = PICKER_SIZE) -> Pick:
    """A picker's people: the ticked ones kept, plus the first matches of `q` by name."""
    q = (q or "").strip()[:200]
    exclude = set(exclude)
    chosen_people = chosen(ticked, exclude)
    found = search(q, per_page=size, exclude=exclude | {u.id for u in chosen_people})
    return Pick(q, chosen_people, found.people, found.total)
