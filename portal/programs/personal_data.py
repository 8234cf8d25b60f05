"""The programs area's part of a person's data: memberships, choices, pairs, check-ins of
their pairs (never a coordinator's private notes, unless they wrote them) and hours.
Survey answers are anonymous: the portal cannot tell whose they are, so none are here."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.accounts.personal_data import (
    Deletion,
    Erasure,
    Rows,
    Section,
    register_erasure,
    register_section,
)
from portal.extensions import db
from portal.programs.models import CheckIn, Match, Member, Preference, Program, WorkLog


def init_app(app: Flask) -> None:
    register_section(app, Section("programs", "Programs you were invited to", member_rows, 20))
    register_section(app, Section("program_choices", "Your ranked choices", choice_rows, 21))
    register_section(app, Section("program_pairs", "Your program pairs", pair_rows, 22))
    register_section(app, Section("checkins", "Check-ins of your pairs", checkin_rows, 23))
    register_section(app, Section("hours", "Hours you logged as a mentor", hour_rows, 24))
    register_erasure(app, Erasure("programs", erase, describe, order=30))


def _names() -> dict[int, str]:
    return dict(db.session.execute(select(Program.id, Program.name)).all())


def member_rows(user: User) -> Rows:
    found = db.session.scalars(
        select(Member)
        .where(Member.user_id == user.id)
        .options(selectinload(Member.topics), selectinload(Member.program))
        .order_by(Member.invited_at)
    )
    return [
        {
            "program": m.program.name,
            "role": m.role,
            "answer": m.status,
            "note": m.note,
            "mentees_you_take": m.capacity if m.role == "mentor" else "",
            "topics": "; ".join(t.name for t in m.topics),
            "invited_at": m.invited_at,
            "answered_at": m.responded_at,
        }
        for m in found
    ]


def choice_rows(user: User) -> Rows:
    names = _names()
    found = db.session.scalars(
        select(Preference)
        .where(Preference.chooser_id == user.id)
        .options(selectinload(Preference.chosen))
        .order_by(Preference.program_id, Preference.rank)
    )
    return [
        {"program": names[p.program_id], "rank": p.rank, "chosen": p.chosen.name} for p in found
    ]


def _my_matches(user: User):
    return select(Match).where(or_(Match.mentor_id == user.id, Match.mentee_id == user.id))


def pair_rows(user: User) -> Rows:
    names = _names()
    found = db.session.scalars(
        _my_matches(user).options(selectinload(Match.mentor), selectinload(Match.mentee))
    )
    return [
        {
            "program": names[m.program_id],
            "your_role": "mentor" if m.mentor_id == user.id else "mentee",
            "with": (m.mentee if m.mentor_id == user.id else m.mentor).name,
            "status": m.status,
            "created_at": m.created_at,
        }
        for m in found
    ]


def checkin_rows(user: User) -> Rows:
    names = _names()
    mine = _my_matches(user).with_only_columns(Match.id)
    found = db.session.scalars(
        select(CheckIn)
        .where(or_(CheckIn.match_id.in_(mine), CheckIn.author_id == user.id))
        .options(selectinload(CheckIn.author))
        .order_by(CheckIn.held_on)
    )
    return [
        {
            "program": names[c.program_id],
            "held_on": c.held_on,
            "recorded_by": c.author.name,
            "what_works": c.what_works,
            "what_does_not": c.what_does_not,
            "actions": c.actions,
            # A coordinator's private notes belong to whoever wrote them.
            "your_private_notes": c.private_notes if c.author_id == user.id else "",
        }
        for c in found
    ]


def hour_rows(user: User) -> Rows:
    names = _names()
    found = db.session.scalars(
        select(WorkLog).where(WorkLog.mentor_id == user.id).order_by(WorkLog.week_start)
    )
    return [
        {"program": names[w.program_id], "week_of": w.week_start, "hours": w.hours} for w in found
    ]


def describe(user: User) -> tuple[list[str], list[str]]:
    return (
        ["Your notes to coordinators and your ranked choices in programs."],
        [
            "Programs count you as a former member: invited, accepted and matched people, "
            "check-ins held and hours logged stay as numbers in their reports."
        ],
    )


def erase(user: User, deletion: Deletion) -> None:
    db.session.execute(delete(Preference).where(Preference.chooser_id == user.id))
    db.session.execute(update(Member).where(Member.user_id == user.id).values(note=""))
