"""Kudos: recognition from a coordinator, shown on a mentor's profile."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from portal.accounts.models import User
from portal.clock import utcnow
from portal.errors import DomainError, NotAllowed
from portal.extensions import db
from portal.notifications.services import notify
from portal.text import is_substantive


class Kudos(db.Model):
    """Recognition from a coordinator, shown on the mentor's profile."""

    __tablename__ = "kudos"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sender: Mapped[User] = relationship(foreign_keys=[from_id])


def give_kudos(sender: User, mentor: User, message: str) -> Kudos:
    if not sender.is_coordinator:
        raise NotAllowed("Coordinators send kudos.")
    if sender.id == mentor.id:
        raise DomainError("Send kudos to someone else.", field="message")
    if not is_substantive(message):
        raise DomainError("Say what you are thanking them for (a short sentence).", field="message")
    kudos = Kudos(to_id=mentor.id, from_id=sender.id, message=message.strip())
    db.session.add(kudos)
    notify(
        mentor,
        "kudos_received",
        f"{sender.name} sent you kudos: “{kudos.message[:200]}”",
        f"/people/{mentor.id}",
        subject=f"Kudos from {sender.name}",
    )
    db.session.commit()
    return kudos


def kudos_for(user_id: int) -> list[Kudos]:
    return list(
        db.session.scalars(
            select(Kudos)
            .where(Kudos.to_id == user_id)
            .options(joinedload(Kudos.sender))
            .order_by(Kudos.created_at.desc())
        )
    )
