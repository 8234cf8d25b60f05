"""Demo content of the programs area: a support request to the coordinator (`seed-demo`)."""

from __future__ import annotations

from datetime import timedelta

from portal.accounts.mentorships import open_between
from portal.accounts.services import find_by_email
from portal.clock import utcnow
from portal.conversations import services as conversations
from portal.extensions import db
from portal.programs import support
from portal.programs.models import SupportRequest


def seed_support() -> None:
    """Helen asks Sam for help preparing a conversation with her mentor; Sam answers."""
    helen, priya, sam = (find_by_email(f"{n}@flipside.example") for n in ("helen", "priya", "sam"))
    pair = open_between(priya.id, helen.id) if helen and priya else None
    if pair is None or support.program_of(pair) is None:
        return
    if db.session.scalar(
        db.select(SupportRequest.id).where(SupportRequest.mentorship_id == pair.id)
    ):
        return
    request = support.ask(
        helen,
        pair,
        "conversation",
        "Priya's observations are spot on, and I want to tell her that I will change how I run "
        "the all-hands. I'm worried I'll sound defensive about the part on interrupting. How "
        "would you open that conversation?",
    )
    request.created_at = utcnow() - timedelta(days=2)
    first = conversations.thread_page("support", request.id).comments[0]
    first.created_at = request.created_at
    reply = conversations.post(
        sam,
        "support",
        request.id,
        "Start with what you heard, in your own words, before what you'll change: *“You saw me "
        "cut people off twice in the all-hands.”* Then one change you'll try. Shall we take "
        "ten minutes on Thursday to practise it?",
    )
    reply.created_at = utcnow() - timedelta(days=1, hours=20)
    thanks = conversations.post(
        helen,
        "support",
        request.id,
        "Thursday works. Could we also talk about how to ask her for the next observation?",
    )
    thanks.created_at = utcnow() - timedelta(hours=6)
    db.session.commit()
