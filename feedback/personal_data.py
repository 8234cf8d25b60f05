"""The feedback area's part of a person's data: feedback received and given, ratings,
self-assessments and group feedback; and, when an account is deleted, its received feedback
goes while programs' reports keep counting it (`FeedbackTally`)."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from feedback.models import (
    Feedback,
    FeedbackTally,
    GroupFeedback,
    Rating,
    ReviewClaim,
    Score,
    SelfAssessment,
)
from feedback.program_report import Scope
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
from portal.programs.models import Match, Program


def init_app(app: Flask) -> None:
    register_section(app, Section("feedback_received", "Feedback on you", received_rows, 40))
    register_section(app, Section("feedback_given", "Feedback you gave", given_rows, 41))
    register_section(app, Section("ratings", "Ratings you gave and got", rating_rows, 42))
    register_section(app, Section("self_assessments", "Self-assessments", self_rows, 43))
    register_section(app, Section("group_feedback", "Group feedback you wrote", group_rows, 44))
    register_erasure(app, Erasure("feedback", erase, describe, order=10))


def _feedback(where) -> list[Feedback]:
    return db.session.scalars(
        select(Feedback)
        .where(where)
        .options(
            selectinload(Feedback.scores).selectinload(Score.criterion),
            selectinload(Feedback.topic),
            selectinload(Feedback.author),
            selectinload(Feedback.mentee),
        )
        .order_by(Feedback.created_at, Feedback.id)
    ).all()


def _row(f: Feedback, person_column: str, person: User) -> dict:
    return {
        person_column: person.name,
        "topic": f.topic.name,
        "on": "an answer" if f.submission_id else "an observation",
        "scores": "; ".join(f"{s.criterion.name}: {s.level} of 4" for s in f.scores),
        "strengths": f.strengths,
        "improvements": f.improvements,
        "next_step": f.next_step,
        "outcome": f.outcome or "",
        "created_at": f.created_at,
    }


def received_rows(user: User) -> Rows:
    return [_row(f, "from", f.author) for f in _feedback(Feedback.mentee_id == user.id)]


def given_rows(user: User) -> Rows:
    return [_row(f, "to", f.mentee) for f in _feedback(Feedback.author_id == user.id)]


def rating_rows(user: User) -> Rows:
    found = db.session.scalars(
        select(Rating)
        .where((Rating.rater_id == user.id) | (Rating.mentor_id == user.id))
        .options(selectinload(Rating.lesson), selectinload(Rating.session))
        .order_by(Rating.created_at)
    )
    return [
        {
            # Ratings of your lessons come without the rater's name, as you see them.
            "direction": "given" if r.rater_id == user.id else "received",
            "of": r.lesson.title if r.lesson else r.session.title if r.session else "",
            "helpfulness": r.helpfulness,
            "clarity": r.clarity,
            "comment": r.comment,
            "created_at": r.created_at,
        }
        for r in found
    ]


def self_rows(user: User) -> Rows:
    found = db.session.scalars(
        select(SelfAssessment)
        .where(SelfAssessment.user_id == user.id)
        .options(selectinload(SelfAssessment.topic))
        .order_by(SelfAssessment.created_at)
    )
    return [
        {
            "topic": a.topic.name,
            "confidence": a.confidence,
            "note": a.note,
            "created_at": a.created_at,
        }
        for a in found
    ]


def group_rows(user: User) -> Rows:
    found = db.session.scalars(
        select(GroupFeedback)
        .where(GroupFeedback.author_id == user.id)
        .options(selectinload(GroupFeedback.session))
        .order_by(GroupFeedback.created_at)
    )
    return [
        {
            "session": g.session.title,
            "went_well": g.went_well,
            "work_on": g.work_on,
            "created_at": g.created_at,
        }
        for g in found
    ]


# Deleting an account ---------------------------------------------------------------------


def describe(user: User) -> tuple[list[str], list[str]]:
    received = db.session.scalar(
        select(func.count(Feedback.id)).where(Feedback.mentee_id == user.id)
    )
    lost = ["Your self-assessments."]
    if received:
        lost.insert(
            0,
            f"The {received} piece{'s' if received != 1 else ''} of feedback you received, "
            "with their scores: your progress record is gone.",
        )
    return lost, [
        "Feedback and ratings you gave others, under “Former member”.",
        "Programs' reports still count the feedback you received, as numbers only.",
    ]


def _tally(program_id: int, given: int, observations: int) -> None:
    """Add to the program's kept counts atomically (the first deletion creates the row)."""
    if db.session.get(FeedbackTally, program_id) is None:
        try:
            with db.session.begin_nested():
                db.session.add(FeedbackTally(program_id=program_id))
        except IntegrityError:  # another deletion created it meanwhile
            pass
    db.session.execute(
        update(FeedbackTally)
        .where(FeedbackTally.program_id == program_id)
        .values(
            feedback_given=FeedbackTally.feedback_given + given,
            observations=FeedbackTally.observations + observations,
        )
        .execution_options(synchronize_session=False)
    )


def _keep_counts(user: User) -> None:
    """For each program the person was a matched mentee in: how much of their feedback its
    report counts today, added to the program's tally before the feedback goes."""
    programs = db.session.scalars(
        select(Program)
        .join(Match, Match.program_id == Program.id)
        .where(Match.mentee_id == user.id, Match.status == "confirmed")
        .distinct()
    ).all()
    for program in programs:
        scope = Scope.of(program, date.today())
        given, observations = db.session.execute(
            select(
                func.count(Feedback.id),
                func.count(Feedback.id).filter(Feedback.submission_id.is_(None)),
            )
            .join(Match, scope.pair(Feedback.author_id, Feedback.mentee_id))
            .where(Feedback.mentee_id == user.id, scope.during(Feedback.created_at))
        ).one()
        if given:
            _tally(program.id, given, observations)


def erase(user: User, deletion: Deletion) -> None:
    _keep_counts(user)
    db.session.execute(delete(Feedback).where(Feedback.mentee_id == user.id))
    db.session.execute(delete(SelfAssessment).where(SelfAssessment.user_id == user.id))
    db.session.execute(delete(ReviewClaim).where(ReviewClaim.reviewer_id == user.id))
