"""Topics: what people teach and learn. Accounts, programs and lessons all point at them."""

from __future__ import annotations

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import SelectChoice

from portal.extensions import db
from portal.widgets import options


class Topic(db.Model):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(500), default="")

    def __repr__(self) -> str:
        return f"<Topic {self.slug}>"


def all_topics() -> list[Topic]:
    """Every topic by name."""
    return list(db.session.scalars(select(Topic).order_by(Topic.name)))


def topic_choices(topics: list[Topic] | None = None) -> list[SelectChoice]:
    """Topics (all of them unless given) as form choices."""
    return options((t.id, t.name) for t in (all_topics() if topics is None else topics))
