"""Demo content of the accounts area: the demo pair's own conversation (`seed-demo`)."""

from __future__ import annotations

from datetime import timedelta

from portal.accounts.mentorships import open_between
from portal.accounts.services import find_by_email
from portal.clock import utcnow
from portal.conversations import services as conversations
from portal.extensions import db

# (days ago, who, message) on Leo and Margaret's mentorship page.
PAIR_TALK = (
    (
        20,
        "margaret",
        "Thank you for Thursday. Could we look at **our customer portal's login page** next "
        "time? The audit named it first.",
    ),
    (
        19.8,
        "leo",
        "Yes. Before then, try signing in with the keyboard only (Tab, Enter) and note where "
        "you get stuck — we'll go through your notes together.",
    ),
    (
        6,
        "margaret",
        "I got stuck twice: the focus disappears after the password field, and the error "
        "message is only red text.",
    ),
    (
        5.9,
        "leo",
        "Both are real problems, and exactly what a screen-reader user meets too. Bring them "
        "to our next session and we'll write them up for the product team.",
    ),
)


def seed_conversation() -> None:
    """Leo and Margaret's conversation on their mentorship page, once."""
    leo, margaret = (find_by_email(f"{n}@flipside.example") for n in ("leo", "margaret"))
    pair = open_between(leo.id, margaret.id) if leo and margaret else None
    if pair is None or conversations.thread_page("mentorship", pair.id).total:
        return
    people = {"leo": leo, "margaret": margaret}
    for days, who, text in PAIR_TALK:
        comment = conversations.post(people[who], "mentorship", pair.id, text)
        comment.created_at = utcnow() - timedelta(days=days)
    db.session.commit()
